// `npm run bench`: speed and memory figures next to the reference tools.
import { fetchFixtures } from '../fixtures/fetch';
import { benchCleanPixels, printCleanPixels } from './cleanPixels';
import { benchDeface, printDeface } from './deface';
import { benchDeid, printDeid } from './deid';
import { benchFace, printFace } from './face';
import { benchMarkers, printMarkers } from './markers';
import { benchParse, printParse } from './parse';
import { benchRedact, printRedact } from './redact';
import { benchText, printText } from './text';
import { benchViewer } from './viewer';

async function main(): Promise<void> {
  await fetchFixtures();
  printParse(benchParse());
  printDeid(benchDeid());
  printRedact(await benchRedact());
  printText(await benchText());
  printCleanPixels(benchCleanPixels());
  printFace(await benchFace());
  printDeface(await benchDeface());
  printMarkers(benchMarkers());
  await benchViewer();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
