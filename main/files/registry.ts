// Opaque file ids handed to the renderer. The renderer never sends a path to
// read: it can only name a file main indexed for it, by an unguessable id.
import { randomBytes } from 'node:crypto';
import type { FileId } from '../../shared/api/contract';

/** 128 random bits, base64url: 22 characters. */
export function createFileId(): FileId {
  return randomBytes(16).toString('base64url');
}

const fileIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Shape check only; whether the id is known is the registry's business. */
export function isWellFormedFileId(value: unknown): value is FileId {
  return typeof value === 'string' && fileIdPattern.test(value);
}

export class FileRegistry {
  private readonly paths = new Map<FileId, string>();

  /** Oldest ids are forgotten beyond `capacity`, so repeated opens stay bounded. */
  constructor(private readonly capacity = 500_000) {}

  register(fileId: FileId, absolutePath: string): void {
    if (!isWellFormedFileId(fileId)) throw new Error('Malformed file id');
    this.paths.delete(fileId);
    this.paths.set(fileId, absolutePath);
    while (this.paths.size > this.capacity) {
      const oldest = this.paths.keys().next().value as FileId;
      this.paths.delete(oldest);
    }
  }

  /** The path behind an id, or undefined for anything main did not hand out. */
  pathOf(fileId: unknown): string | undefined {
    if (!isWellFormedFileId(fileId)) return undefined;
    return this.paths.get(fileId);
  }

  get size(): number {
    return this.paths.size;
  }
}
