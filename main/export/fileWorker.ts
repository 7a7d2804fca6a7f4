// Runs the planning pass and exportFile() for the pool in workerPool.ts, one task at a time.
import { parentPort } from 'node:worker_threads';
import type { DeidProfile } from '../../shared/deid';
import { exportFile, type FileTask } from './exportFile';
import { sha256Hex } from './journal';
import { planInput } from './planFile';

export type WorkerRequest = { id: number; kind: 'export'; task: FileTask } | { id: number; kind: 'plan'; input: string; profile: DeidProfile };

parentPort?.on('message', async (request: WorkerRequest) => {
  const result = request.kind === 'plan' ? await planInput(request.input, request.profile) : await exportFile(request.task, sha256Hex);
  parentPort?.postMessage({ id: request.id, result });
});
