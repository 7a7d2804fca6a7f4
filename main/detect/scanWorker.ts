// The privacy scan's pixel work (burned-in text, faces, skin markers) in a
// worker thread, so main's event loop — and every window's IPC — stays free.
// One scan per worker: the host (scanHost.ts) starts it with the inputs, gets
// progress and the document back, and sends `cancel` to stop it early.
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanDocument } from '../../shared/export';
import { scanInputs, type ScanOptions } from '../cli/scan';
import { parallelScanOptions } from './parallelScan';

/** What the host may ask for: the plain-data part of `ScanOptions` (the worker picks its own engines). */
export type ScanWorkerOptions = Omit<ScanOptions, 'signal' | 'onProgress' | 'createOcr' | 'createFaceDetector' | 'concurrency'>;

export interface ScanWorkerData {
  kind: 'veil-scan';
  inputs: string[];
  options: ScanWorkerOptions;
}

export type ScanWorkerRequest = { kind: 'cancel' };

export type ScanWorkerMessage =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'done'; document: ScanDocument }
  | { kind: 'failed'; name: string; message: string };

const data = workerData as ScanWorkerData | undefined;
if (parentPort && data?.kind === 'veil-scan') {
  const port = parentPort;
  const controller = new AbortController();
  port.on('message', (request: ScanWorkerRequest) => {
    if (request.kind === 'cancel') controller.abort();
  });
  const post = (message: ScanWorkerMessage): void => port.postMessage(message);
  scanInputs(data.inputs, {
    ...data.options,
    ...parallelScanOptions(),
    signal: controller.signal,
    onProgress: (done, total) => post({ kind: 'progress', done, total }),
  }).then(
    (document) => post({ kind: 'done', document }),
    // scanInputs has ended its OCR threads and face detector by now.
    (error: unknown) => post({ kind: 'failed', name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) }),
  );
}
