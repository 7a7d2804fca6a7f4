// One input → one verified output file, on disk: shared/export's exportCopy does
// the per-file steps; here the copy goes to a temporary name in the export's
// partial folder, is read back from disk and verified, and is left there
// "staged": the caller syncs staged files in batches and only then renames them
// into place (commitStaged), so nothing unverified or unsynced ever has a final
// name (PS3.15 E: nothing leaves unverified). Kept free of shared state so it
// can run in a worker thread.
//
// Disk access is synchronous except fsync: reads and writes of a few hundred KB
// hit the page cache and cost less than the thread-pool hop of an async call.
// One fsync per file (each a journal commit of the file system) cost more than
// all the rest, and file creation waited behind them: a batch of files synced at
// once shares its commits.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsync, mkdirSync, open, openSync, promises as fs, readSync, renameSync, rmSync, writevSync } from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { AuditEntry, DeidProfile, IdentifyingValue } from '../../shared/deid';
import type { RedactionBox } from '../../shared/redact';
import { readDicom, type DicomFile } from '../../shared/dicom';
import { exportCopy, failureReason, type CopySink, type FileDeface, type PixelCleaningTask, type VerificationResult } from '../../shared/export';
import { pixelTools } from './pixelTools';
import { FileRefusedError } from '../files/readOnly';
import { formatBytes, MAX_FILE_BYTES } from '../files/limits';
import { toPlainEntry, type PlainDirectoryEntry } from './directoryRecord';

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
  /** CRC-32 of the bytes written (`outputChecksum`), for the journal. */
  checksum?: string;
  size?: number;
  /** The written file's DICOMDIR entry (from the bytes read back), so the DICOMDIR needs no second read. */
  directory?: PlainDirectoryEntry;
  redactions?: RedactionBox[];
  /** An exported file's verified copy in the partial folder, for commitStaged to sync and rename to `target`. */
  staged?: string;
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

/** Buffers at most this big are reused between files (bigger ones are rare and get their own). */
const POOLED_BYTES = 4 << 20;
const spareBuffers: ArrayBuffer[] = [];

/**
 * The read buffers of one file's export, handed back for the next file once it is done:
 * a fresh buffer per read cost page faults and garbage collections (external memory)
 * that added up to more than the reads. Only for files whose bytes nothing keeps.
 */
export class ReadBuffers {
  private held: ArrayBuffer[] = [];

  take(length: number): Uint8Array<ArrayBuffer> {
    if (length > POOLED_BYTES) return fresh(length);
    const at = spareBuffers.findIndex((b) => b.byteLength >= length);
    const buffer = at >= 0 ? spareBuffers.splice(at, 1)[0] : (Buffer.allocUnsafeSlow(Math.max(length, 256 * 1024)).buffer as ArrayBuffer);
    this.held.push(buffer);
    return new Uint8Array(buffer, 0, length);
  }

  release(): void {
    // Bounded: a few files in flight per thread.
    for (const buffer of this.held) if (spareBuffers.length < 16) spareBuffers.push(buffer);
    this.held = [];
  }
}

/** allocUnsafeSlow skips the zero fill (every byte returned is read) and never shares Node's pool. */
function fresh(length: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.allocUnsafeSlow(length).buffer as ArrayBuffer, 0, length);
}

/**
 * Reads `length` bytes from `position` (fewer at the end of the file) into a buffer of its
 * own, or one of `buffers` (nothing else lives in either).
 */
function readAt(fd: number, length: number, position: number, buffers?: ReadBuffers): Uint8Array<ArrayBuffer> {
  const bytes = buffers ? buffers.take(length) : fresh(length);
  let offset = 0;
  while (offset < length) {
    // Single reads stay under Node's 2 GiB limit.
    const n = readSync(fd, bytes, offset, Math.min(length - offset, 1 << 26), position + offset);
    if (n === 0) break;
    offset += n;
  }
  return offset === length ? bytes : bytes.subarray(0, offset);
}

/**
 * Opens an original read-only, refusing anything but a regular file within the size limit.
 * O_NONBLOCK: opening a FIFO or device for reading could otherwise block forever; fstat on
 * the descriptor then refuses it (one system call fewer than a stat before the open).
 */
function openOriginal(filePath: string): { fd: number; size: number; mtimeMs: number } {
  const fd = openSync(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefusedError('not a regular file');
    refuseIfTooLarge(stats.size);
    return { fd, size: stats.size, mtimeMs: stats.mtimeMs };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** The original, read-only (O_RDONLY), like files/readOnly's readOriginal: no FIFOs, size-limited. */
export function readOriginalSync(filePath: string, buffers?: ReadBuffers): Uint8Array<ArrayBuffer> {
  const { fd, size } = openOriginal(filePath);
  try {
    return readAt(fd, size, 0, buffers);
  } finally {
    closeSync(fd);
  }
}

/** What a header-only read asks for first: most headers are a few KiB, MR private blocks some tens. */
const HEADER_GUESS = 32 * 1024;

/**
 * The original's header (up to Pixel Data), read-only like readOriginalSync but reading
 * only the file's beginning when the header fits in it; the whole file otherwise. With
 * `buffers`, the header's values point into them: used up before they are released.
 */
export function readOriginalHeaderSync(filePath: string, buffers?: ReadBuffers): { header: DicomFile; size: number; mtimeMs: number } {
  const { fd, size, mtimeMs } = openOriginal(filePath);
  try {
    const start = readAt(fd, Math.min(size, HEADER_GUESS), 0, buffers);
    if (start.length < size) {
      try {
        return { header: readDicom(start, { headerOnly: true, fileSize: size }), size, mtimeMs };
      } catch {
        // The header goes on past the beginning read (or the file is damaged): read it all.
      }
    }
    return { header: readDicom(start.length < size ? readAt(fd, size, 0, buffers) : start, { headerOnly: true }), size, mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/**
 * Descriptors of staged files written in this thread, kept open for commitStaged's fsync (an
 * open and a close fewer per file). Bounded: a file never committed gives its descriptor up
 * once this many more are staged, and commitStaged then opens it by name.
 */
const stagedDescriptors = new Map<string, number>();
const MAX_STAGED_DESCRIPTORS = 256;
/** A worker thread's files are committed by the calling thread, which opens them by name. */
const keepsDescriptors = isMainThread;

function keepDescriptor(filePath: string, fd: number): void {
  if (!keepsDescriptors) return closeSync(fd);
  if (stagedDescriptors.size >= MAX_STAGED_DESCRIPTORS) {
    const [oldest, oldFd] = stagedDescriptors.entries().next().value as [string, number];
    stagedDescriptors.delete(oldest);
    closeQuietly(oldFd);
  }
  stagedDescriptors.set(filePath, fd);
}

function takeDescriptor(filePath: string): number | undefined {
  const fd = stagedDescriptors.get(filePath);
  stagedDescriptors.delete(filePath);
  return fd;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
}

/**
 * Starts creating a new file ('wx+': a temporary name is never reused, nothing existing is
 * overwritten) in the thread pool: while the group commit's fsyncs run, creating a file can
 * wait on the file system's journal, and this thread reads and de-identifies meanwhile.
 */
function createTemporary(filePath: string): Promise<number> {
  return new Promise((resolve, reject) => open(filePath, 'wx+', 0o644, (error, fd) => (error ? reject(error) : resolve(fd))));
}

/**
 * Writes the file's pieces in one writev through `fd` and returns what a read of the file
 * now gives (one byte more is asked for, so a longer file shows), through the same
 * descriptor, which stays open for the commit's fsync (keepDescriptor).
 */
function writeAndReadBack(fd: number, filePath: string, parts: readonly Uint8Array[], buffers?: ReadBuffers): Uint8Array<ArrayBuffer> {
  try {
    let length = 0;
    for (const part of parts) length += part.length;
    let written = 0;
    const pending = parts.filter((p) => p.length > 0);
    while (pending.length > 0) {
      let n = writevSync(fd, pending.slice(0, 1024), written);
      written += n;
      // A short write: go on from where it stopped.
      while (pending.length > 0 && n >= pending[0].length) n -= pending.shift()!.length;
      if (n > 0) pending[0] = pending[0].subarray(n);
    }
    const read = readAt(fd, length + 1, 0, buffers);
    keepDescriptor(filePath, fd);
    return read;
  } catch (error) {
    closeSync(fd);
    throw error;
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

/** The disk behind the shared per-file routine: a fresh .part file, left staged once verified (see commitStaged). */
function diskSink(task: FileTask, temp: string, buffers?: ReadBuffers): CopySink & { discard(): Promise<void> } {
  const created = createTemporary(temp);
  // Awaited by write, or by discard; never an unhandled rejection in between.
  created.catch(() => undefined);
  let written = false;
  const write = async (parts: readonly Uint8Array[]): Promise<Uint8Array> => {
    const fd = await created;
    written = true;
    return writeAndReadBack(fd, temp, parts, buffers);
  };
  return {
    write: (bytes) => write([bytes]),
    writeParts: write,
    // Committed by the caller, in a batch: synced together, then renamed.
    async commit() {},
    async discard() {
      const fd = written ? takeDescriptor(temp) : await created.catch(() => undefined);
      if (fd !== undefined) closeQuietly(fd);
      removeQuietly(temp);
      removeQuietly(task.target);
    },
  };
}

export interface StagedFile {
  staged: string;
  target: string;
}

/**
 * Puts verified staged copies in place: all synced first when `durable` (in parallel, so
 * the file system commits them together), then each renamed to its target. A file under
 * its final name is therefore always complete and verified, even after a power cut.
 * Resolves to each file's error, or undefined once it is in place.
 */
export async function commitStaged(files: readonly StagedFile[], durable: boolean): Promise<Array<Error | undefined>> {
  const errors: Array<Error | undefined> = await Promise.all(
    files.map(async ({ staged }) => {
      const fd = takeDescriptor(staged);
      try {
        if (fd !== undefined) {
          // Written in this thread: synced (in the thread pool) through the descriptor it was written with.
          try {
            if (durable) await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
          } finally {
            closeSync(fd);
          }
          return undefined;
        }
        if (!durable) return undefined;
        const handle = await fs.open(staged, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        return undefined;
      } catch (error) {
        return error as Error;
      }
    }),
  );
  files.forEach(({ staged, target }, i) => {
    if (errors[i]) return removeQuietly(staged);
    try {
      ensureFolder(path.dirname(target));
      try {
        renameSync(staged, target);
      } catch (error) {
        // The folder went away since it was created (an output folder deleted between exports).
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        mkdirSync(path.dirname(target), { recursive: true });
        renameSync(staged, target);
      }
    } catch (error) {
      errors[i] = error as Error;
      removeQuietly(staged);
    }
  });
  return errors;
}

export async function exportFile(task: FileTask, checksumOf: (bytes: Uint8Array) => string): Promise<FileOutcome> {
  const temp = path.join(task.partialFolder, `${tempPrefix}-${(tempCounter++).toString(36)}.part`);
  // The outcome is plain data (strings, copied DICOMDIR keys): the bytes read are free again
  // once it is made. Pixel stages may keep frames (OCR, defacing): those files read afresh.
  const buffers = task.cleanPixels || task.deface ? undefined : new ReadBuffers();
  try {
    const sink = diskSink(task, temp, buffers);
    let original;
    try {
      original = readDicom(readOriginalSync(task.input, buffers));
    } catch (error) {
      await sink.discard();
      return { status: 'failed', reason: failureReason(error) };
    }
    let tools;
    try {
      tools = task.cleanPixels ? await pixelTools() : undefined;
    } catch (error) {
      await sink.discard();
      throw error;
    }
    const outcome = await exportCopy(original, task, sink, tools);
    const { written, directory, ...rest } = outcome;
    if (outcome.status !== 'exported' || !written || !directory) return rest;
    return { ...rest, checksum: checksumOf(written), size: written.length, directory: toPlainEntry(directory), staged: temp };
  } finally {
    buffers?.release();
  }
}
