// `npm run bench`: speed and memory figures next to the reference tools.
// VEIL_BENCH=deid,text,... runs only those benches (the queue bench alone takes minutes).
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

const benches: Record<string, () => Promise<void> | void> = {
  parse: () => printParse(benchParse()),
  deid: () => printDeid(benchDeid()),
  redact: async () => printRedact(await benchRedact()),
  text: async () => printText(await benchText()),
  cleanPixels: () => printCleanPixels(benchCleanPixels()),
  face: async () => printFace(await benchFace()),
  deface: async () => printDeface(await benchDeface()),
  markers: () => printMarkers(benchMarkers()),
  viewer: () => benchViewer(),
  queue: async () => printQueue(await benchQueue()),
};

async function main(): Promise<void> {
  await fetchFixtures();
  const only = process.env.VEIL_BENCH?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !(name in benches)) ?? [];
  if (unknown.length > 0) throw new Error(`VEIL_BENCH: unknown bench ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  for (const [name, run] of Object.entries(benches)) {
    if (!only || only.includes(name)) await run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
