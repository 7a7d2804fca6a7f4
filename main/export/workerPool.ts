// `--jobs n`: the per-file work (read, de-identify, write, verify) runs in n
// worker threads; the calling thread keeps the plan, the journal and renames'
// bookkeeping. Tasks and outcomes are plain data (structured clone).
import { Worker } from 'node:worker_threads';
import type { FileOutcome, FileTask } from './exportFile';

interface Pending {
  resolve(outcome: FileOutcome): void;
  reject(error: Error): void;
}

export interface WorkerRunner {
  run(task: FileTask): Promise<FileOutcome>;
  close(): Promise<void>;
}

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
      created.on('message', ({ id, outcome }: { id: number; outcome: FileOutcome }) => {
        pending.get(id)?.resolve(outcome);
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

  return {
    async run(task) {
      const worker = await acquire();
      try {
        return await new Promise<FileOutcome>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          worker.postMessage({ id, task });
        });
      } finally {
        release(worker);
      }
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
