// `--jobs n`: the per-file work (read, de-identify, write, verify) runs in n
// worker threads; the calling thread keeps the plan, the journal and renames'
// bookkeeping. Tasks and outcomes are plain data (structured clone).
import { Worker } from 'node:worker_threads';
import type { DeidProfile } from '../../shared/deid';
import type { FileOutcome, FileTask } from './exportFile';
import type { WorkerRequest } from './fileWorker';
import type { PlannedInput } from './planFile';

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

export function createWorkerRunner(size: number, script = new URL('./fileWorker.mjs', import.meta.url)): WorkerRunner {
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const waiting: Array<(worker: Worker) => void> = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;

  const release = (worker: Worker): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(worker);
    else idle.push(worker);
  };

  const acquire = (): Promise<Worker> => {
    const worker = idle.pop();
    if (worker) return Promise.resolve(worker);
    if (all.length < size) {
      const created = new Worker(script);
      created.on('message', ({ id, result }: { id: number; result: unknown }) => {
        pending.get(id)?.resolve(result);
        pending.delete(id);
      });
      created.on('error', (error) => {
        for (const p of pending.values()) p.reject(error);
        pending.clear();
      });
      all.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const send = async <R>(request: Request): Promise<R> => {
    const worker = await acquire();
    try {
      return await new Promise<R>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
        worker.postMessage({ ...request, id });
      });
    } finally {
      release(worker);
    }
  };

  return {
    run: (task) => send<FileOutcome>({ kind: 'export', task }),
    plan: (input, profile) => send<PlannedInput>({ kind: 'plan', input, profile }),
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
