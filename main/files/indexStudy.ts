// Reads the collected files (read-only) into the shared study index, and hands
// out file ids only for the files that made it into the result.
import type { FileId, OpenResult, ProgressEvent } from '../../shared/api/contract';
import { createStudyIndexBuilder, type StudyIndexBuilder } from '../../shared/dicom';
import { collectInputFiles, type CollectLimits } from './collect';
import { readFailureReason, readOriginal } from './readOnly';
import { createFileId, type FileRegistry } from './registry';

export interface IndexOptions {
  registry: FileRegistry;
  onProgress?: (event: ProgressEvent) => void;
  /** Seam for tests; the shared builder otherwise. */
  createBuilder?: () => StudyIndexBuilder;
  limits?: CollectLimits;
}

/** At most this many progress events per second reach the renderer. */
const PROGRESS_INTERVAL_MS = 100;

/** Opens `inputs` (files, folders, DICOMDIRs) as one `OpenResult` named `source`. */
export async function indexStudy(inputs: readonly string[], source: string, options: IndexOptions): Promise<OpenResult> {
  const progress = throttledProgress(options.onProgress);
  progress({ done: 0, total: 0, message: 'Looking for files…' }, true);
  const { files, skipped } = await collectInputFiles(inputs, options.limits);

  const builder = (options.createBuilder ?? createStudyIndexBuilder)();
  for (const entry of skipped) builder.skip(entry);
  const pathsById = new Map<FileId, string>();

  // Read the next file while the current one is parsed.
  let next = files.length > 0 ? settle(readOriginal(files[0])) : undefined;
  for (let index = 0; index < files.length; index++) {
    const filePath = files[index];
    const read = await next!;
    next = index + 1 < files.length ? settle(readOriginal(files[index + 1])) : undefined;
    progress({ done: index, total: files.length, message: `Reading ${filePath}` });
    if (!read.ok) {
      builder.skip({ displayPath: filePath, reason: readFailureReason(read.error) });
      continue;
    }
    const fileId = createFileId();
    pathsById.set(fileId, filePath);
    builder.add(fileId, filePath, read.value);
  }

  const result = builder.result(source);
  for (const fileId of referencedFileIds(result)) {
    const filePath = pathsById.get(fileId);
    if (filePath) options.registry.register(fileId, filePath);
  }
  const count = pathsById.size;
  progress({ done: files.length, total: files.length, message: `Indexed ${count} file${count === 1 ? '' : 's'}` }, true);
  return result;
}

export function referencedFileIds(result: OpenResult): FileId[] {
  return result.patients.flatMap((patient) =>
    patient.studies.flatMap((study) => study.series.flatMap((series) => series.instances.map((i) => i.fileId))),
  );
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function throttledProgress(listener: ((event: ProgressEvent) => void) | undefined) {
  let last = 0;
  return (event: ProgressEvent, force = false) => {
    if (!listener) return;
    const now = Date.now();
    if (!force && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    listener(event);
  };
}
