// Input checks for every IPC request. The renderer is treated as untrusted:
// anything not exactly the expected shape is rejected with an Error.
import path from 'node:path';
import type { FileId } from '../../shared/api/contract';
import { isWellFormedFileId } from '../files/registry';

/**
 * Paths per drop. Selecting every image of a CD folder and dropping them is
 * real (thousands); beyond this the folder itself is the better thing to drop.
 */
export const MAX_DROPPED_PATHS = 20_000;
/** Longer than any real path (PATH_MAX is 4096 on Linux). */
export const MAX_PATH_LENGTH = 4_096;
export const MAX_SOURCE_LENGTH = 8_192;

export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}

export function expectNoArguments(channel: string, args: readonly unknown[]): void {
  if (args.length !== 0) throw new InvalidRequestError(`${channel} takes no arguments`);
}

export function expectArgumentCount(channel: string, args: readonly unknown[], count: number): void {
  if (args.length !== count) throw new InvalidRequestError(`${channel} takes ${count} argument${count === 1 ? '' : 's'}`);
}

export function parseFileId(value: unknown): FileId {
  if (!isWellFormedFileId(value)) throw new InvalidRequestError('readFile expects a file id it was given');
  return value;
}

export function parseSource(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SOURCE_LENGTH) {
    throw new InvalidRequestError('openRecent expects a source from recentStudies()');
  }
  return value;
}

/** `{ kind: 'paths', paths }` exactly, as the preload sends it. */
export function parseDroppedPaths(value: unknown): string[] {
  if (!isPlainRecord(value)) throw new InvalidRequestError('openDropped expects { kind, paths }');
  const keys = Reflect.ownKeys(value);
  if (keys.length !== 2 || !keys.includes('kind') || !keys.includes('paths')) {
    throw new InvalidRequestError('openDropped expects exactly { kind, paths }');
  }
  if (value.kind !== 'paths') throw new InvalidRequestError("openDropped expects kind 'paths' (the preload converts dropped files)");
  const paths = value.paths;
  if (!Array.isArray(paths) || paths.length === 0) throw new InvalidRequestError('openDropped expects at least one path');
  if (paths.length > MAX_DROPPED_PATHS) {
    throw new InvalidRequestError(`openDropped takes at most ${MAX_DROPPED_PATHS} paths; drop the folder instead`);
  }
  return paths.map(parseAbsolutePath);
}

function parseAbsolutePath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH) {
    throw new InvalidRequestError('openDropped expects path strings');
  }
  if (value.includes('\0')) throw new InvalidRequestError('openDropped refuses a path with a NUL byte');
  if (!path.isAbsolute(value)) throw new InvalidRequestError('openDropped expects absolute paths');
  return value;
}

/** An object literal (or null-prototype object): no class instances, arrays or proxies of prototypes. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
