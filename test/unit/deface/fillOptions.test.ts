// The fill options on the real Cranium head CT with the real detector: a blur
// fill (each masked voxel the mean of a 25 mm box of the original) written
// back per file equals the filled volume, and the proof decides whether the
// blurred face is still a face; the ears option adds the outer ears on both
// sides, never bone nor the cranial cavity, and leaves the face mask as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFace, volumeFromSeries, voxelToPatient, type FaceCheck, type FaceDetector, type Volume } from '../../../shared/detect/face';
import { defacedFrames, defaceVolume, faceMask, inFaceMask } from '../../../shared/deface';
import { pixelInfo } from '../../../shared/pixels';
import { HumanFaceDetector } from '../../../main/detect/face/humanDetector';
import { fixtures } from '../../fixtures/paths';
import { readSeries, savePng } from '../detect/face/support';

let detector: FaceDetector;
let cranium: Volume;
let files: ReturnType<typeof readSeries>;
let before: FaceCheck;

beforeAll(async () => {
  detector = await HumanFaceDetector.create();
  files = readSeries(fixtures.craniumDicom);
  const built = volumeFromSeries(files);
  if (!built.ok) throw new Error(built.reason);
  cranium = built.volume;
  before = await checkFace(cranium, detector, { allViews: true, keepRenders: true });
}, 120_000);

afterAll(() => detector.dispose());

describe('fill options on the Cranium head CT', () => {
  it('blur: the written stored values are the blurred volume; the proof says whether a face is left', async () => {
    const started = performance.now();
    const r = await defaceVolume(cranium, detector, { before, fill: { method: 'blur' } });
    const ms = performance.now() - started;
    expect(r.plan.method).toBe('blur');
    expect(r.mask.voxels).toBeGreaterThan(50_000);
    // Blurred, not a level: the masked voxels take many values between air and tissue.
    const values = new Set<number>();
    let changed = 0;
    for (let p = 0; p < cranium.data.length; p++) {
      if (r.volume.data[p] === cranium.data[p]) continue;
      changed++;
      values.add(r.volume.data[p]!);
      expect(r.volume.data[p]).toBeGreaterThanOrEqual(-1024);
      expect(r.volume.data[p]).toBeLessThanOrEqual(3071);
    }
    expect(values.size).toBeGreaterThan(100);
    // Per file: stored values through the file's rescale give back the filled volume.
    const plane = cranium.dims[0] * cranium.dims[1];
    for (const f of defacedFrames(files, cranium, r.mask, r.plan, r.volume)) {
      const info = pixelInfo(files[f.index]!);
      for (const frame of f.frames) {
        const k = cranium.sources!.findIndex((s) => s.file === f.index && s.frame === frame.frame);
        let n = 0;
        for (let p = 0; p < plane; p++) {
          if (!frame.mask[p]) continue;
          const stored = typeof frame.value === 'number' ? frame.value : frame.value[n]!;
          n++;
          expect(stored * (info.rescaleSlope || 1) + info.rescaleIntercept).toBe(r.volume.data[k * plane + p]);
        }
      }
    }
    for (const x of r.proof!.renders) savePng(`deface-blur-yaw${x.view.yaw}-after`, x.after);
    const confirmed = r.proof!.views.filter((v) => v.confirmed).length;
    console.log(`blur fill: ${r.mask.voxels} voxels masked, ${changed} changed, ${values.size} distinct values; attempts ${r.attempts}; views confirming a face after: ${confirmed} of ${r.proof!.views.length} (faceFree ${r.proof!.faceFree}); ${(ms / 1000).toFixed(1)} s`);
    expect(r.proof!.faceFree).toBe(confirmed === 0);
  }, 120_000);

  it('ears: adds both outer ears, never bone nor the cranial cavity; the face mask is unchanged', () => {
    const face = faceMask(cranium, before);
    const started = performance.now();
    const withEars = faceMask(cranium, before, { ears: true });
    const ms = performance.now() - started;
    const [nx, ny, nz] = cranium.dims;
    let added = 0;
    let bone = 0;
    let leftSide = 0;
    let rightSide = 0;
    let tissue = 0;
    const midX = voxelToPatient(cranium, nx / 2, ny / 2, 0)[0];
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const inFace = inFaceMask(face, i, j, k);
          const inBoth = inFaceMask(withEars, i, j, k);
          if (inFace) expect(inBoth).toBe(true);
          if (!inBoth || inFace) continue;
          added++;
          const value = cranium.data[(k * ny + j) * nx + i]!;
          if (value >= 300) bone++;
          if (value > -300) tissue++;
          if (voxelToPatient(cranium, i, j, k)[0] > midX) leftSide++;
          else rightSide++;
        }
    console.log(`ears: face ${face.voxels} voxels, with ears ${withEars.voxels} (+${added}: left ${leftSide}, right ${rightSide}, ${tissue} of them above −300 HU); ${ms.toFixed(0)} ms`);
    expect(bone).toBe(0);
    expect(leftSide).toBeGreaterThan(1000);
    expect(rightSide).toBeGreaterThan(1000);
    expect(tissue).toBeGreaterThan(added / 2);
  });
});
