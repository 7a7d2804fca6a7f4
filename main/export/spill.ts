// Per-file data of an export that is only needed again at the end (report
// entries, DICOMDIR entries) waits on disk, so memory stays flat however many
// files an export has. Lines are appended to a file in a private temporary
// folder (it names input paths: never the export folder) and read back by
// index; what stays in memory is an offset and a length per line.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Temporary folders still open, removed if the process exits first (a second Ctrl-C). */
const open = new Set<string>();
let exitHook = false;

function removeOnExit(folder: string): void {
  open.add(folder);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const f of open) rmSync(f, { recursive: true, force: true });
  });
}

/**
 * A private temporary folder (0700) for one export's spill files, made when the first line is
 * written (after the inputs were walked: a temporary folder inside an input is not found by
 * the walk); `remove()` when done.
 */
export class SpillFolder {
  private made?: string;
  private readonly files: SpillFile[] = [];

  get path(): string {
    if (!this.made) {
      this.made = mkdtempSync(path.join(tmpdir(), 'veil-spill-'));
      removeOnExit(this.made);
    }
    return this.made;
  }

  file(name: string): SpillFile {
    const file = new SpillFile(() => path.join(this.path, name));
    this.files.push(file);
    return file;
  }

  remove(): void {
    for (const file of this.files.splice(0)) file.close();
    if (!this.made) return;
    rmSync(this.made, { recursive: true, force: true });
    open.delete(this.made);
  }
}

/** Text lines appended and read back by index (synchronous: page-cache I/O, like exportFile's). */
export class SpillFile {
  private fd = -1;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  private written = 0;
  private pending: string[] = [];
  private pendingBytes = 0;
  private buffer = Buffer.alloc(1 << 16);

  /** `where` names the file; it is created on the first write. */
  constructor(private readonly where: () => string) {}

  get size(): number {
    return this.count;
  }

  /** Appends `text` (no line breaks needed); returns its index. */
  append(text: string): number {
    if (this.count === this.offsets.length) {
      const offsets = new Float64Array(this.count * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const lengths = new Uint32Array(this.count * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    const bytes = Buffer.byteLength(text);
    this.offsets[this.count] = this.written + this.pendingBytes;
    this.lengths[this.count] = bytes;
    this.pending.push(text);
    this.pendingBytes += bytes;
    // Small batches: a line waiting long survives young-generation GCs and is promoted, then is old garbage.
    if (this.pendingBytes >= 1 << 14) this.flush();
    return this.count++;
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    if (this.fd < 0) this.fd = openSync(this.where(), 'wx+', 0o600);
    const chunk = Buffer.from(this.pending.join(''));
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  read(index: number): string {
    if (index < 0 || index >= this.count) throw new RangeError(`no spilled line ${index}`);
    this.flush();
    const length = this.lengths[index]!;
    if (this.buffer.length < length) this.buffer = Buffer.alloc(Math.max(length, this.buffer.length * 2));
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, this.buffer, done, length - done, this.offsets[index]! + done);
      if (n === 0) throw new Error('a spilled line was cut short');
      done += n;
    }
    return this.buffer.toString('utf8', 0, length);
  }

  /** After this, nothing can be read. */
  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -2;
  }
}
