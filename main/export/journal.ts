// The export journal: one line per file that was written, verified and renamed
// into place, so an interrupted export resumes where it stopped. Inputs are
// named by a keyed hash, never by path: the journal sits in the export folder.
import { createHash, createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';

export interface JournalEntry {
  /** HMAC(secret, input path, size, mtime, profile): changes when any of them does. */
  key: string;
  /** Output File ID, "/"-joined. */
  output: string;
  sha256: string;
  size: number;
}

export function journalKey(secret: string, input: string, size: number, mtimeMs: number, profileJson: string): string {
  return createHmac('sha256', secret).update(`journal\0${input}\0${size}\0${mtimeMs}\0${profileJson}`).digest('hex');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
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
      if (typeof entry.key === 'string' && typeof entry.output === 'string' && typeof entry.sha256 === 'string') {
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
