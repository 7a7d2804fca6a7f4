// Runs fuzz inputs one at a time in a worker thread with a time and a memory
// budget: the V8 heap is capped by `resourceLimits`, and everything else
// (ArrayBuffers, WASM memory) by watching the process's resident size. A worker
// that runs out of time or memory is killed and replaced, and the input is
// classified as a hang or an unbounded allocation.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fixtures } from '../fixtures/paths';
import { seedCorpus } from './corpus';
import { mutateInput } from './mutate';
import { inputSeed, Rng } from './prng';
import type { StageResult } from './target';
import { verdictOf } from './target';
import type { FuzzAnswer, FuzzRequest } from './worker';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type Outcome = 'ok' | 'typed' | 'crash' | 'hang' | 'oom';

export interface FuzzCase {
  source: string;
  seed: number;
}

export interface CaseResult extends FuzzCase {
  outcome: Outcome;
  ops: string[];
  size?: number;
  ms: number;
  results: StageResult[];
  /** Hang / OOM / worker death: what the parent saw. */
  detail?: string;
}

export interface FuzzOptions {
  /** Number of generated inputs (ignored when `cases` is given). */
  inputs?: number;
  seed?: number;
  /** Exact cases to replay (regressions). */
  cases?: FuzzCase[];
  /** Per input. */
  timeoutMs?: number;
  /** The worker's V8 old-generation cap. */
  heapMb?: number;
  /** Growth of the process's resident memory allowed while one input runs. */
  rssBudgetMb?: number;
  onResult?: (result: CaseResult, index: number) => void;
}

export interface FuzzSummary {
  inputs: number;
  counts: Record<Outcome, number>;
  /** Typed errors by class (and code). */
  typed: Record<string, number>;
  /** Crashes, hangs and OOMs with their recipes. */
  failures: CaseResult[];
  slowest: { ms: number; source: string; seed: number; ops: string[] };
  peakRssGrowthMb: number;
  seconds: number;
}

/** The worker as one ESM file (esbuild, ~0.2 s); npm packages load from node_modules. */
async function bundleWorker(): Promise<{ file: string; dispose: () => void }> {
  const { build } = await import('esbuild');
  const outdir = path.join(repo, 'dist', 'fuzz', `${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(outdir, { recursive: true });
  await build({
    absWorkingDir: repo,
    entryPoints: { worker: 'test/fuzz/worker.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return { file: path.join(outdir, 'worker.mjs'), dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** The cases of a seeded run: input i is (a corpus file, a seed), both from (runSeed, i). */
export function generatedCases(runSeed: number, inputs: number, corpus = seedCorpus()): FuzzCase[] {
  if (corpus.length === 0) throw new Error(`No seed files under ${fixtures.root}: run npm run fixtures`);
  return Array.from({ length: inputs }, (_, i) => {
    const seed = inputSeed(runSeed, i);
    return { source: corpus[new Rng(seed).int(corpus.length)]!, seed };
  });
}

interface Running {
  worker: Worker;
  baselineRss: number;
}

export async function runFuzz(options: FuzzOptions = {}): Promise<FuzzSummary> {
  const started = Date.now();
  const cases = options.cases ?? generatedCases(options.seed ?? 1, options.inputs ?? 100);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const heapMb = options.heapMb ?? 768;
  const rssBudget = (options.rssBudgetMb ?? 1536) * 1024 * 1024;
  const bundle = await bundleWorker();
  const counts: Record<Outcome, number> = { ok: 0, typed: 0, crash: 0, hang: 0, oom: 0 };
  const typed: Record<string, number> = {};
  const failures: CaseResult[] = [];
  let slowest = { ms: 0, source: '', seed: 0, ops: [] as string[] };
  let peakGrowth = 0;

  const start = async (): Promise<Running> => {
    const worker = new Worker(bundle.file, {
      workerData: { fixturesRoot: fixtures.root },
      // A 1 MB stack like a main thread's (V8's default is about that), not a worker's usual 4 MB.
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 1 },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return { worker, baselineRss: process.memoryUsage.rss() };
  };

  let running = await start();
  try {
    for (let index = 0; index < cases.length; index++) {
      const fuzzCase = cases[index]!;
      const request: FuzzRequest = { id: index, source: fuzzCase.source, seed: fuzzCase.seed };
      const t0 = performance.now();
      const { worker, baselineRss } = running;
      const settled = await new Promise<{ answer?: FuzzAnswer; outcome?: Outcome; detail?: string }>((resolve) => {
        const finish = (value: { answer?: FuzzAnswer; outcome?: Outcome; detail?: string }) => {
          clearTimeout(timer);
          clearInterval(watch);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          resolve(value);
        };
        const onMessage = (answer: FuzzAnswer) => {
          if (answer.id === index) finish({ answer });
        };
        const onError = (error: Error & { code?: string }) =>
          finish(
            error.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? { outcome: 'oom', detail: `V8 heap over ${heapMb} MB` }
              : { outcome: 'crash', detail: `worker threw ${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 6).join('\n')}` },
          );
        const onExit = (code: number) => finish({ outcome: 'crash', detail: `worker exited (${code})` });
        const timer = setTimeout(() => finish({ outcome: 'hang', detail: `no answer in ${timeoutMs} ms` }), timeoutMs);
        const watch = setInterval(() => {
          const growth = process.memoryUsage.rss() - baselineRss;
          peakGrowth = Math.max(peakGrowth, growth);
          if (growth > rssBudget) finish({ outcome: 'oom', detail: `resident memory grew by ${Math.round(growth / 2 ** 20)} MB` });
        }, 20);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage(request);
      });
      const ms = performance.now() - t0;
      let result: CaseResult;
      if (settled.answer) {
        const { ops, size, results } = settled.answer;
        result = { ...fuzzCase, outcome: verdictOf(results), ops, size, ms: settled.answer.ms, results };
        for (const r of results) {
          if (r.verdict === 'typed') typed[`${r.error}${r.code ? `:${r.code}` : ''}`] = (typed[`${r.error}${r.code ? `:${r.code}` : ''}`] ?? 0) + 1;
        }
      } else {
        let ops: string[];
        try {
          ops = mutateInput(new Uint8Array(readFileSync(path.join(fixtures.root, fuzzCase.source))), fuzzCase.seed).ops;
        } catch (error) {
          ops = [`(the mutator itself failed: ${String(error)})`];
        }
        result = { ...fuzzCase, outcome: settled.outcome!, ops, ms, results: [], detail: settled.detail };
        // The worker is dead or stuck: replace it (its memory goes with it).
        await worker.terminate().catch(() => undefined);
        running = await start();
      }
      counts[result.outcome]++;
      if (result.outcome === 'crash' || result.outcome === 'hang' || result.outcome === 'oom') failures.push(result);
      if (result.ms > slowest.ms) slowest = { ms: Math.round(result.ms), source: result.source, seed: result.seed, ops: result.ops };
      options.onResult?.(result, index);
    }
  } finally {
    await running.worker.terminate().catch(() => undefined);
    bundle.dispose();
  }
  return { inputs: cases.length, counts, typed, failures, slowest, peakRssGrowthMb: Math.round(peakGrowth / 2 ** 20), seconds: (Date.now() - started) / 1000 };
}
