// Reading originals: opened read-only, never written, refused when too big.
import { promises as fs } from 'node:fs';
import { formatBytes, MAX_FILE_BYTES } from './limits';

/** A file Veil will not read, with the reason shown to the user. */
export class FileRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRefusedError';
  }
}

/** Reads at most this much per read(2): Node refuses single reads over 2 GiB - 1. */
const CHUNK_BYTES = 64 * 1024 ** 2;

/** The whole file, into an ArrayBuffer of exactly its size. */
export async function readOriginal(filePath: string, maxBytes = MAX_FILE_BYTES): Promise<Uint8Array<ArrayBuffer>> {
  // stat before open: opening a FIFO or device for reading could block forever.
  const before = await fs.stat(filePath);
  if (!before.isFile()) throw new FileRefusedError('not a regular file');
  refuseIfTooLarge(before.size, maxBytes);

  // 'r' = O_RDONLY: an original is never opened with write access.
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    refuseIfTooLarge(size, maxBytes);
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, Math.min(CHUNK_BYTES, size - offset), offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    // A file that shrank while being read: hand over what is there.
    return offset === size ? bytes : bytes.slice(0, offset);
  } finally {
    await handle.close();
  }
}

function refuseIfTooLarge(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new FileRefusedError(`too large to open (${formatBytes(size)}; the limit is ${formatBytes(maxBytes)})`);
  }
}

/** A short reason for a failed read, for the skipped list. */
export function readFailureReason(error: unknown): string {
  if (error instanceof FileRefusedError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EIO':
      return 'read error (damaged media?)';
    default:
      return `cannot read (${error instanceof Error ? error.message : String(error)})`;
  }
}
