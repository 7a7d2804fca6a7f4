// Runs one pixel job in a worker thread (scanWorker.ts) — a privacy scan, or
// the viewer's defacing preview — and answers as the in-process call would:
// the same result, progress as it goes, and an abort that ends the worker (and
// with it its OCR threads) before the promise settles.
import { Worker } from 'node:worker_threads';
import type { DefacePreview } from '../../shared/deface';
import type { ScanDocument } from '../../shared/export';
import type { DefacePreviewOptions, ScanWorkerData, ScanWorkerMessage, ScanWorkerOptions } from './scanWorker';

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
  const { signal, onProgress, script, ...options } = request;
  return runInWorker<ScanDocument>({ kind: 'veil-scan', inputs: [...inputs], options }, { signal, onProgress, script });
}

/** One series defaced as the export would, nothing written (the viewer's before / after). */
export function defacePreviewInWorker(inputs: readonly string[], options: DefacePreviewOptions, script?: URL): Promise<DefacePreview> {
  return runInWorker<DefacePreview>({ kind: 'veil-deface-preview', inputs: [...inputs], options }, { script });
}

function runInWorker<T>(data: ScanWorkerData, request: Pick<WorkerScanRequest, 'signal' | 'onProgress' | 'script'>): Promise<T> {
  const { signal, onProgress, script = devScanWorkerScript } = request;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const worker = new Worker(script, { workerData: data });
  live.add(worker);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => live.delete(worker));

  return new Promise<T>((resolve, reject) => {
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
      else if (message.kind === 'done') finish(() => resolve(message.result as T));
      else finish(() => reject(Object.assign(new Error(message.message), { name: message.name })));
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The scan worker stopped (exit code ${code})`))));
  });
}
