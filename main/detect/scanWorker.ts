// The privacy scan's pixel work (burned-in text, faces, skin markers) and the
// viewer's defacing preview in a worker thread, so main's event loop — and
// every window's IPC — stays free. One job per worker: the host (scanHost.ts)
// starts it with the inputs, gets progress and the result back, and sends
// `cancel` to stop a scan early.
import { parentPort, workerData } from 'node:worker_threads';
import { previewDefaceFiles, type DefacePreviewOptions } from '../app/defacePreview';
import { scanInputs, type ScanOptions } from '../cli/scan';
import { parallelScanOptions } from './parallelScan';

export type { DefacePreviewOptions };

/** What the host may ask for: the plain-data part of `ScanOptions` (the worker picks its own engines). */
export type ScanWorkerOptions = Omit<ScanOptions, 'signal' | 'onProgress' | 'createOcr' | 'createFaceDetector' | 'concurrency'>;

export type ScanWorkerData =
  | { kind: 'veil-scan'; inputs: string[]; options: ScanWorkerOptions }
  | { kind: 'veil-deface-preview'; inputs: string[]; options: DefacePreviewOptions };

export type ScanWorkerRequest = { kind: 'cancel' };

export type ScanWorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; result: unknown }
  | { kind: 'failed'; name: string; message: string };

const data = workerData as ScanWorkerData | undefined;
if (parentPort && data) {
  const port = parentPort;
  const controller = new AbortController();
  port.on('message', (request: ScanWorkerRequest) => {
    if (request.kind === 'cancel') controller.abort();
  });
  const post = (message: ScanWorkerMessage): void => port.postMessage(message);
  const job: Promise<unknown> =
    data.kind === 'veil-scan'
      ? scanInputs(data.inputs, {
          ...data.options,
          ...parallelScanOptions(),
          signal: controller.signal,
          onProgress: (done, total) => post({ kind: 'progress', done, total }),
        })
      : previewDefaceFiles(data.inputs, data.options);
  job.then(
    (result) => post({ kind: 'done', result }),
    // scanInputs has ended its OCR threads and face detector by now.
    (error: unknown) => post({ kind: 'failed', name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) }),
  );
}
