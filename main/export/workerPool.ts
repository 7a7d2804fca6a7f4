// `--jobs n`: the per-file work (read, de-identify, write, verify) runs in n
// worker threads; the calling thread keeps the plan, the journal and renames'
// bookkeeping. Tasks and outcomes are plain data (structured clone). Each worker
// takes several files at once (`perWorker`): one file's disk waits (open, fsync,
// rename) overlap another's parsing, else the threads mostly sit idle. In the CLI the
// calling thread is one of the n (callerWorks): it takes a file whenever it is free.
import { Worker } from 'node:worker_threads';
import type { DeidProfile } from '../../shared/deid';
import { exportFile, type FileOutcome, type FileTask } from './exportFile';
import { outputChecksum } from './journal';
import type { WorkerReply, WorkerRequest } from './fileWorker';
import { rememberIdentifiers, type RememberedLists } from './identifierLists';
import { planInput, type PlannedInput } from './planFile';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface WorkerRunner {
  run(task: FileTask): Promise<FileOutcome>;
  plan(input: string, profile: DeidProfile): Promise<PlannedInput>;
  close(): Promise<void>;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Files in flight per worker thread by default. */
export const filesPerWorker = 4;

/**
 * Below this many inputs one thread wins. Starting the workers costs ~0.15 s (about 50 CT
 * files' work); on 2 cores 1,080 CT files took 2.8 s with two workers against 3.1 s in one
 * thread (1.0 s of worker overhead when the machine is busy with other work).
 */
export const filesWorthWorkers = 200;

/**
 * The workers' young generation (V8: 3 semi-spaces), as `veil.mjs`'s shebang caps the CLI's
 * own thread (--max-semi-space-size=8): left to grow to 48 MB, it made an export's peak
 * memory rise with its number of files.
 */
export const workerYoungGenerationMb = 24;

/** With Clean Pixel Data each file is OCR'd (tens of ms per text region): workers pay off from a few files. */
export const filesWorthOcrWorkers = 8;

export interface RunnerOptions {
  /**
   * The calling thread is one of the `size` threads (one file at a time, in between its
   * bookkeeping): one isolate fewer to start and warm up. Only where nothing else waits on
   * this thread (the CLI; never the app's main process, whose window it answers).
   */
  callerWorks?: boolean;
}

export function createWorkerRunner(size: number, script = new URL('./fileWorker.mjs', import.meta.url), perWorker = filesPerWorker, options: RunnerOptions = {}): WorkerRunner {
  const all: Worker[] = [];
  const load = new Map<Worker, number>();
  const waiting: Array<(worker: Worker) => void> = [];
  const pending = new Map<number, Pending>();
  /** The search lists each worker has (see fileWorker.ts): a list goes once per worker, not once per file. */
  const sentLists = new Map<Worker, RememberedLists<true>>();
  let nextId = 0;

  const release = (worker: Worker): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(worker);
    else load.set(worker, load.get(worker)! - 1);
  };

  const spawn = (): Worker => {
    const created = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: workerYoungGenerationMb } });
    created.on('message', ({ id, result, json }: WorkerReply) => {
      pending.get(id)?.resolve(json !== undefined ? JSON.parse(json) : result);
      pending.delete(id);
    });
    created.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    all.push(created);
    load.set(created, 0);
    sentLists.set(created, rememberIdentifiers<true>());
    return created;
  };
  // All threads start now: loading the bundle (~0.1 s each) overlaps the caller's own start-up.
  const callerWorks = !!options.callerWorks;
  for (let i = callerWorks ? 1 : 0; i < size; i++) spawn();
  let callerBusy = false;

  const acquire = (): Promise<Worker> => {
    // The least busy worker with room, else wait for one.
    let best: Worker | undefined;
    for (const w of all) if (load.get(w)! < perWorker && (!best || load.get(w)! < load.get(best)!)) best = w;
    if (best) {
      load.set(best, load.get(best)! + 1);
      return Promise.resolve(best);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const send = async <R>(request: Request | ((worker: Worker) => Request)): Promise<R> => {
    const worker = await acquire();
    try {
      return await new Promise<R>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
        worker.postMessage({ ...(typeof request === 'function' ? request(worker) : request), id });
      });
    } finally {
      release(worker);
    }
  };

  /** With callerWorks: runs `work` in this thread when it is free and every worker has some queued; else undefined. */
  const inCaller = async <R>(work: () => Promise<R>): Promise<{ result: R } | undefined> => {
    if (!callerWorks || callerBusy || !all.every((w) => load.get(w)! > 0)) return undefined;
    callerBusy = true;
    try {
      return { result: await work() };
    } finally {
      callerBusy = false;
    }
  };

  return {
    run: async (task) => {
      const here = await inCaller(() => exportFile(task, outputChecksum));
      if (here) return here.result;
      return send<FileOutcome>((worker) => {
        const key = task.identifiersKey;
        const sent = sentLists.get(worker)!;
        if (key === undefined) return { kind: 'export', task };
        // Messages arrive in order: the worker stores the list before any task that omits it.
        if (sent.has(key)) return { kind: 'export', task: { ...task, identifiers: [] }, knownIdentifiers: true };
        sent.set(key, true);
        return { kind: 'export', task };
      });
    },
    plan: async (input, profile) => {
      // While the workers load, the caller plans alone; then they share the headers.
      const here = await inCaller(() => planInput(input, profile));
      return here ? here.result : send<PlannedInput>({ kind: 'plan', input, profile });
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
