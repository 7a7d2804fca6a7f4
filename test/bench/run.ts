// `npm run bench`: speed and memory figures next to the reference tools.
import { fetchFixtures } from '../fixtures/fetch';
import { benchCleanPixels, printCleanPixels } from './cleanPixels';
import { benchDeface, printDeface } from './deface';
import { benchDeid, printDeid } from './deid';
import { benchFace, printFace } from './face';
import { benchMarkers, printMarkers } from './markers';
import { benchParse, printParse } from './parse';
import { benchQueue, printQueue } from './queue';
import { benchRedact, printRedact } from './redact';
import { benchText, printText } from './text';
import { benchViewer } from './viewer';

async function main(): Promise<void> {
  await fetchFixtures();
  // VEIL_BENCH=queue: the batch queue's figures only (they take minutes of their own).
  if (process.env.VEIL_BENCH === 'queue') return printQueue(await benchQueue());
  printParse(benchParse());
  printDeid(benchDeid());
  printRedact(await benchRedact());
  printText(await benchText());
  printCleanPixels(benchCleanPixels());
  printFace(await benchFace());
  printDeface(await benchDeface());
  printMarkers(benchMarkers());
  await benchViewer();
  printQueue(await benchQueue());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
