// The fuzz worker thread: builds each input from its recipe (source + seed),
// runs the pipeline and answers with the verdicts. The parent kills and
// replaces it on a timeout or when its memory passes the budget.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { registerNodeCodecs } from '../../main/pixels/codecs';
import { mutateInput } from './mutate';
import { runPipeline, type StageResult } from './target';

export interface FuzzRequest {
  id: number;
  /** Relative to the fixtures root. */
  source: string;
  seed: number;
}

export interface FuzzAnswer {
  id: number;
  ops: string[];
  size: number;
  ms: number;
  results: StageResult[];
}

const { fixturesRoot } = workerData as { fixturesRoot: string };
const sources = new Map<string, Uint8Array>();

function sourceBytes(relative: string): Uint8Array {
  let bytes = sources.get(relative);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(path.join(fixturesRoot, relative)));
    if (sources.size > 64) sources.clear();
    sources.set(relative, bytes);
  }
  return bytes;
}

await registerNodeCodecs();
parentPort!.on('message', (request: FuzzRequest) => {
  const input = mutateInput(sourceBytes(request.source), request.seed);
  const started = performance.now();
  const results = runPipeline(input.bytes);
  const answer: FuzzAnswer = { id: request.id, ops: input.ops, size: input.bytes.length, ms: performance.now() - started, results };
  parentPort!.postMessage(answer);
});
parentPort!.postMessage('ready');
