// One input → one verified output file, on disk: shared/export's exportCopy does
// the per-file steps; here the copy goes to a temporary name in the export's
// partial folder, synced, read back from disk, and is renamed into place only
// once verified (PS3.15 E: nothing leaves unverified). Kept free of shared
// state so it can run in a worker thread.
//
// Disk access is synchronous except fsync: reads and writes of a few hundred KB
// hit the page cache and cost less than the thread-pool hop of an async call,
// while async calls (five per read, four per write) queue behind the slow
// fsyncs in libuv's four threads. fsync alone goes to the pool, so the other
// files in flight are parsed and verified while it waits.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { AuditEntry, DeidProfile, IdentifyingValue } from '../../shared/deid';
import type { RedactionBox } from '../../shared/redact';
import { readDicom } from '../../shared/dicom';
import { exportCopy, failureReason, type CopySink, type FileDeface, type PixelCleaningTask, type VerificationResult } from '../../shared/export';
import { pixelTools } from './pixelTools';
import { FileRefusedError } from '../files/readOnly';
import { formatBytes, MAX_FILE_BYTES } from '../files/limits';
import { toPlainEntry, type PlainDirectoryEntry } from './directoryRecord';

const fsyncAsync = promisify(fsync);

export interface FileTask {
  input: string;
  /** Absolute output path of the finished file. */
  target: string;
  /** Folder for temporary files (same file system as `target`, so rename is atomic). */
  partialFolder: string;
  /** Identifying values to search this file's copy for (its patient's, other patients' names…). */
  identifiers: IdentifyingValue[];
  /** Stable name of that list within one export, so workers prepare it once (verifyExport cacheKey). */
  identifiersKey?: string;
  originalUIDs: string[];
  profile: DeidProfile;
  secret: string;
  /** fsync before rename, so a crash never leaves a half file under a final name. */
  durable: boolean;
  /** Clean Pixel Data (burned-in text filled, then checked by OCR). */
  cleanPixels?: PixelCleaningTask;
  /** Clean Recognizable Visual Features: this file's part of its series' defacing. */
  deface?: FileDeface;
}

export interface FileOutcome {
  status: 'exported' | 'failed';
  reason: string | null;
  actions?: AuditEntry[];
  verification?: VerificationResult;
  sha256?: string;
  size?: number;
  /** The written file's DICOMDIR entry (from the bytes read back), so the DICOMDIR needs no second read. */
  directory?: PlainDirectoryEntry;
  redactions?: RedactionBox[];
}

/** Series folders are created once, not once per file. */
const createdFolders = new Set<string>();
function ensureFolder(folder: string): void {
  if (createdFolders.has(folder)) return;
  mkdirSync(folder, { recursive: true });
  createdFolders.add(folder);
}

function refuseIfTooLarge(size: number): void {
  if (size > MAX_FILE_BYTES) throw new FileRefusedError(`too large to open (${formatBytes(size)}; the limit is ${formatBytes(MAX_FILE_BYTES)})`);
}

/**
 * Reads `length` bytes from `position` (fewer at the end of the file) into a fresh
 * buffer of its own: allocUnsafeSlow skips the zero fill (every byte returned was read)
 * and never shares Node's pool, so nothing else lives in the ArrayBuffer.
 */
function readAt(fd: number, length: number, position: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer, 0, length);
  let offset = 0;
  while (offset < length) {
    // Single reads stay under Node's 2 GiB limit.
    const n = readSync(fd, bytes, offset, Math.min(length - offset, 1 << 26), position + offset);
    if (n === 0) break;
    offset += n;
  }
  return offset === length ? bytes : bytes.subarray(0, offset);
}

/** The original, read-only (O_RDONLY), like files/readOnly's readOriginal: no FIFOs, size-limited. */
export function readOriginalSync(filePath: string): Uint8Array<ArrayBuffer> {
  // stat before open: opening a FIFO or device for reading could block forever.
  const before = statSync(filePath);
  if (!before.isFile()) throw new FileRefusedError('not a regular file');
  refuseIfTooLarge(before.size);
  const fd = openSync(filePath, 'r');
  try {
    const { size } = fstatSync(fd);
    refuseIfTooLarge(size);
    return readAt(fd, size, 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a new file ('wx+': a temporary name is never reused, nothing existing is
 * overwritten), fsyncs it when durable, and returns what a read of the file now gives
 * (one byte more is asked for, so a longer file shows). Read back through the same
 * descriptor after the sync: the same bytes a fresh open would see, one open fewer.
 */
async function writeSyncedAndReadBack(filePath: string, bytes: Uint8Array, durable: boolean): Promise<Uint8Array<ArrayBuffer>> {
  const fd = openSync(filePath, 'wx+', 0o644);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, Math.min(bytes.length - offset, 1 << 26), offset);
    if (durable) await fsyncAsync(fd);
    return readAt(fd, bytes.length + 1, 0);
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(filePath: string): void {
  try {
    rmSync(filePath, { force: true });
  } catch {
    // Best effort: a leftover .part is removed by the next run.
  }
}

// Temporary names: unique per process and file without asking the OS for randomness each time.
const tempPrefix = randomBytes(6).toString('hex');
let tempCounter = 0;

/** The disk behind the shared per-file routine: a fresh .part file, renamed into place once verified. */
function diskSink(task: FileTask): CopySink {
  const temp = path.join(task.partialFolder, `${tempPrefix}-${(tempCounter++).toString(36)}.part`);
  return {
    write: (bytes) => writeSyncedAndReadBack(temp, bytes, task.durable),
    async commit() {
      ensureFolder(path.dirname(task.target));
      try {
        renameSync(temp, task.target);
      } catch (error) {
        // The folder went away since it was created (an output folder deleted between exports).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        mkdirSync(path.dirname(task.target), { recursive: true });
        renameSync(temp, task.target);
      }
    },
    async discard() {
      removeQuietly(temp);
      removeQuietly(task.target);
    },
  };
}

export async function exportFile(task: FileTask, sha256Hex: (bytes: Uint8Array) => string): Promise<FileOutcome> {
  const sink = diskSink(task);
  let original;
  try {
    original = readDicom(readOriginalSync(task.input));
  } catch (error) {
    await sink.discard();
    return { status: 'failed', reason: failureReason(error) };
  }
  const tools = task.cleanPixels ? await pixelTools() : undefined;
  const outcome = await exportCopy(original, task, sink, tools);
  const { written, directory, ...rest } = outcome;
  if (outcome.status !== 'exported' || !written || !directory) return rest;
  return { ...rest, sha256: sha256Hex(written), size: written.length, directory: toPlainEntry(directory) };
}
