// Runs the planning pass and exportFile() for the pool in workerPool.ts, one task at a time.
// An export's outcome goes back as one JSON string (plain data: audit lines, the DICOMDIR
// entry as strings): structured clone of its few hundred small objects cost more per file
// than parsing them. A patient's search list comes once per worker (identifiersKey).
import { parentPort } from 'node:worker_threads';
import type { DeidProfile, IdentifyingValue } from '../../shared/deid';
import { exportFile, type FileTask } from './exportFile';
import { outputChecksum } from './journal';
import { planInput } from './planFile';
import { rememberIdentifiers } from './identifierLists';

export type WorkerRequest =
  | { id: number; kind: 'export'; task: FileTask; /** The task's identifiers were sent before under its identifiersKey. */ knownIdentifiers?: boolean }
  | { id: number; kind: 'plan'; input: string; profile: DeidProfile };

export type WorkerReply = { id: number; result?: unknown; json?: string };

const lists = rememberIdentifiers<IdentifyingValue[]>();

parentPort?.on('message', async (request: WorkerRequest) => {
  if (request.kind === 'plan') {
    parentPort?.postMessage({ id: request.id, result: await planInput(request.input, request.profile) } satisfies WorkerReply);
    return;
  }
  const { task } = request;
  const key = task.identifiersKey;
  if (key !== undefined) {
    if (request.knownIdentifiers) task.identifiers = lists.get(key) ?? [];
    else lists.set(key, task.identifiers);
  }
  const outcome = await exportFile(task, outputChecksum);
  parentPort?.postMessage({ id: request.id, json: JSON.stringify(outcome) } satisfies WorkerReply);
});
