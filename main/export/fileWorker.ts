// Runs exportFile() for the pool in workerPool.ts, one task at a time.
import { parentPort } from 'node:worker_threads';
import { exportFile, type FileTask } from './exportFile';
import { sha256Hex } from './journal';

parentPort?.on('message', async ({ id, task }: { id: number; task: FileTask }) => {
  const outcome = await exportFile(task, sha256Hex);
  parentPort?.postMessage({ id, outcome });
});
