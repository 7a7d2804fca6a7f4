// The recent-studies list: a small JSON file in the user-data folder, last 10,
// replaced atomically (write a temporary file, then rename over the old one)
// so a crash mid-write never leaves a half-written list.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RecentStudy } from '../../shared/api/contract';

export const MAX_RECENT = 10;

/** What is stored: the public entry plus the paths to re-open. */
export interface RecentEntry extends RecentStudy {
  paths: string[];
}

export class RecentStore {
  /** Loaded once; a promise so concurrent first calls share one read. */
  private entries: Promise<RecentEntry[]> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly filePath: string) {}

  /** The public list, newest first (paths stay in main). */
  async list(): Promise<RecentStudy[]> {
    return (await this.load()).map(({ source, label, openedAt }) => ({ source, label, openedAt }));
  }

  async find(source: string): Promise<RecentEntry | undefined> {
    return (await this.load()).find((entry) => entry.source === source);
  }

  async remember(entry: Omit<RecentEntry, 'openedAt'>, openedAt = new Date()): Promise<void> {
    // Each update reads, changes and writes the list as one step, queued
    // behind the previous one: concurrent opens must not lose each other's
    // entries, and an older list must never land after a newer one.
    const update = this.writing.catch(() => undefined).then(async () => {
      const entries = await this.load();
      const next: RecentEntry[] = [
        { ...entry, paths: [...entry.paths], openedAt: openedAt.toISOString() },
        ...entries.filter((existing) => existing.source !== entry.source),
      ].slice(0, MAX_RECENT);
      this.entries = Promise.resolve(next);
      await writeAtomically(this.filePath, JSON.stringify({ version: 1, recent: next }, null, 2));
    });
    this.writing = update;
    await update;
  }

  private load(): Promise<RecentEntry[]> {
    // Missing or damaged: start a new list rather than refuse to start.
    this.entries ??= fs
      .readFile(this.filePath, 'utf8')
      .then((text) => parseRecent(JSON.parse(text)))
      .catch(() => []);
    return this.entries;
  }
}

/** Keeps only well-formed entries of a stored list. */
export function parseRecent(data: unknown): RecentEntry[] {
  if (typeof data !== 'object' || data === null) return [];
  const recent = (data as { recent?: unknown }).recent;
  if (!Array.isArray(recent)) return [];
  return recent
    .filter(
      (item): item is RecentEntry =>
        typeof item === 'object' &&
        item !== null &&
        typeof item.source === 'string' &&
        typeof item.label === 'string' &&
        typeof item.openedAt === 'string' &&
        Array.isArray(item.paths) &&
        item.paths.every((p: unknown) => typeof p === 'string'),
    )
    .map(({ source, label, openedAt, paths }) => ({ source, label, openedAt, paths }))
    .slice(0, MAX_RECENT);
}

export async function writeAtomically(filePath: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  const temporary = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, filePath);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
