// Runs one privacy scan in a worker thread (scanWorker.ts) and answers as
// scanInputs would: the same document, progress as it goes, and an abort that
// ends the worker — and with it its OCR threads — before the promise settles.
import { Worker } from 'node:worker_threads';
import type { ScanDocument } from '../../shared/export';
import type { ScanWorkerData, ScanWorkerMessage, ScanWorkerOptions } from './scanWorker';

/** The worker outside the bundle; the app passes the bundled `scanWorker.cjs` (main/app/locations.ts). */
export const devScanWorkerScript = new URL('./scanWorker.mjs', import.meta.url);

/** How long a cancelled worker gets to end its OCR threads itself before it is terminated. */
const cancelGraceMs = 2_000;

export interface WorkerScanRequest extends ScanWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  script?: URL;
}

const live = new Set<Worker>();

/** Scan workers running now (tests check that none outlive their scan). */
export function liveScanWorkers(): number {
  return live.size;
}

export function scanInWorker(inputs: readonly string[], request: WorkerScanRequest = {}): Promise<ScanDocument> {
  const { signal, onProgress, script = devScanWorkerScript, ...options } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const data: ScanWorkerData = { kind: 'veil-scan', inputs: [...inputs], options };
  const worker = new Worker(script, { workerData: data });
  live.add(worker);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => live.delete(worker));

  return new Promise<ScanDocument>((resolve, reject) => {
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
      // Settle only once the thread is gone: a caller that awaits the scan sees no worker left.
      void worker.terminate().then(() => exited).then(outcome);
    };
    const onAbort = (): void => {
      // The worker stops at its next frame or file and answers; one stuck in a long step is terminated.
      worker.postMessage({ kind: 'cancel' });
      grace = setTimeout(() => finish(() => reject(signal!.reason)), cancelGraceMs);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: ScanWorkerMessage) => {
      if (message.kind === 'progress') {
        if (!signal?.aborted) onProgress?.(message.done, message.total);
      } else if (signal?.aborted) finish(() => reject(signal.reason));
      else if (message.kind === 'done') finish(() => resolve(message.document));
      else finish(() => reject(Object.assign(new Error(message.message), { name: message.name })));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The scan worker stopped (exit code ${code})`))));
  });
}
