// The export journal: one line per file that was written, verified and renamed
// into place, so an interrupted export resumes where it stopped. Inputs are
// named by a keyed hash, never by path: the journal sits in the export folder.
import { createHash, createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { crc32 } from 'node:zlib';

export interface JournalEntry {
  /** HMAC(secret, input path, size, mtime, profile): changes when any of them does. */
  key: string;
  /** Output File ID, "/"-joined. */
  output: string;
  /** The output's CRC-32 (8 hex digits): whether it is still what was written. */
  crc32?: string;
  /** Journals written before CRC-32: still honoured on resume. */
  sha256?: string;
  size: number;
}

export function journalKey(secret: string, input: string, size: number, mtimeMs: number, profileJson: string): string {
  return createHmac('sha256', secret).update(`journal\0${input}\0${size}\0${mtimeMs}\0${profileJson}`).digest('hex');
}

/**
 * A journal entry's check of an output: catches a file changed or cut short since it was
 * journaled (with the size). Not a claim in any report, and whoever can rewrite an output can
 * rewrite the journal beside it, so a cryptographic hash buys nothing here: CRC-32 costs
 * ~0.03 ms for a 132 KB CT file where SHA-256 took ~0.1.
 */
export function outputChecksum(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

/** Whether `bytes` are still the output `entry` journaled. */
export function stillAsJournaled(entry: JournalEntry, bytes: Uint8Array): boolean {
  if (bytes.length !== entry.size) return false;
  if (entry.crc32 !== undefined) return outputChecksum(bytes) === entry.crc32;
  return entry.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') === entry.sha256;
}

export async function readJournal(journalPath: string): Promise<Map<string, JournalEntry>> {
  const entries = new Map<string, JournalEntry>();
  let text: string;
  try {
    text = await fs.readFile(journalPath, 'utf8');
  } catch {
    return entries;
  }
  // A line cut short by a crash is ignored: that file is simply exported again.
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (typeof entry.key === 'string' && typeof entry.output === 'string' && (typeof entry.crc32 === 'string' || typeof entry.sha256 === 'string')) {
        entries.set(entry.key, entry);
      }
    } catch {
      continue;
    }
  }
  return entries;
}

export class JournalWriter {
  private lines: string[] = [];

  private constructor(private readonly handle: fs.FileHandle) {}

  static async open(journalPath: string): Promise<JournalWriter> {
    return new JournalWriter(await fs.open(journalPath, 'a', 0o600));
  }

  async append(entry: JournalEntry): Promise<void> {
    this.lines.push(`${JSON.stringify(entry)}\n`);
    // Written and synced 32 lines at a time, not per file: a lost tail (a crash, a second
    // Ctrl-C) only costs re-exporting those files, whose outputs are simply replaced.
    if (this.lines.length >= 32) await this.sync();
  }

  async sync(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    await this.handle.write(text);
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.sync();
    await this.handle.close();
  }
}
