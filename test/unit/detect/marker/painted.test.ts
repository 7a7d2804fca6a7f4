// Painting on the skin, on the real Cranium CT: a view ray from outside stops
// on the skin (the segmented body's surface), and a painted region's fill
// changes only soft tissue within its radius and the skin shell, with soft
// tissue; bone, brain and everything farther away keep their values.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePaintRegions } from '../../../../main/cli/paintRegion';
import { parseExportRequest } from '../../../../main/ipc/validate';
import { readDicom } from '../../../../shared/dicom';
import { seriesPixels } from '../../../../shared/export/seriesPixels';
import { allFiles } from '../../../support/files';
import { inBody, patientToVoxel, segmentSkin, voxelToPatient, type SkinMask, type Vec3, type Volume } from '../../../../shared/detect/face';
import { fillPaintedRegions, paintedVoxels } from '../../../../shared/detect/marker/painted';
import { pickSurface } from '../../../../shared/detect/marker/surfacePick';
import { fixtures } from '../../../fixtures/paths';
import { loadVolume } from '../face/support';

const add = (a: Vec3, b: Vec3, s: number): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(...a);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** Distance (mm) from a point to the body mask's boundary: the nearest sample (`step` mm grid, within `reach`) on the other side. */
function distanceToSurface(volume: Volume, skin: SkinMask, at: Vec3, reach = 4, step = 0.25): number {
  const inside = (p: Vec3) => inBody(skin, ...patientToVoxel(volume, p));
  const side = inside(at);
  let best = Infinity;
  for (let dz = -reach; dz <= reach; dz += step)
    for (let dy = -reach; dy <= reach; dy += step)
      for (let dx = -reach; dx <= reach; dx += step) {
        const d = Math.hypot(dx, dy, dz);
        if (d >= best || d > reach) continue;
        if (inside([at[0] + dx, at[1] + dy, at[2] + dz]) !== side) best = d;
      }
  return best;
}

describe('painting on the real Cranium CT', () => {
  let cranium: Volume;
  let skin: SkinMask;
  let centre: Vec3;
  beforeAll(() => {
    cranium = loadVolume(fixtures.craniumDicom);
    skin = segmentSkin(cranium);
    const b = skin.bounds;
    centre = voxelToPatient(cranium, (b[0][0] + b[0][1]) / 2, (b[1][0] + b[1][1]) / 2, (b[2][0] + b[2][1]) / 2);
  });

  const directions: Array<[string, Vec3]> = [
    ['from the front', [0, 1, 0]],
    ['from the right', [1, 0, 0]],
    ['from the left', [-1, 0, 0]],
    ['from above, front-left', unit([-1, 1, -1])],
    ['from behind, right', unit([1, -1, -0.3])],
  ];

  it.each(directions)('a ray %s towards the head centre stops within 2 mm of the segmented skin surface', (_, direction) => {
    const origin = add(centre, direction, -400);
    const hit = pickSurface(cranium, origin, direction, { threshold: skin.threshold, accept: (i, j, k) => inBody(skin, i, j, k) });
    expect(hit).not.toBeNull();
    const d = distanceToSurface(cranium, skin, hit!);
    expect(d).toBeLessThanOrEqual(2);
    // It is the first surface on the way: the ray is outside the body up to it.
    for (let t = 0; t < Math.hypot(hit![0] - origin[0], hit![1] - origin[1], hit![2] - origin[2]) - 3; t += 1) {
      expect(inBody(skin, ...patientToVoxel(cranium, add(origin, direction, t)))).toBe(false);
    }
  });

  it('as the 3D view calls it (no body mask): the skin of the face from the front; from behind, the head holder it shows first', () => {
    const front = pickSurface(cranium, add(centre, [0, 1, 0], -400), [0, 1, 0], { threshold: skin.threshold })!;
    expect(distanceToSurface(cranium, skin, front)).toBeLessThanOrEqual(2);
    const direction = unit([1, -1, -0.3]);
    const behind = pickSurface(cranium, add(centre, direction, -400), direction, { threshold: skin.threshold })!;
    expect(inBody(skin, ...patientToVoxel(cranium, behind))).toBe(false);
    // A region painted there changes nothing: only the body's soft tissue is filled.
    expect(paintedVoxels(cranium, { centre: behind, radiusMm: 5 }, { skin })).toHaveLength(0);
  });

  it('a ray that misses the volume picks nothing', () => {
    expect(pickSurface(cranium, add(centre, [1, 0, 0], 2000), [0, 0, 1], { threshold: skin.threshold })).toBeNull();
  });

  it('a painted region on the side of the head fills soft tissue within its radius and the skin shell, nothing else', () => {
    const direction: Vec3 = [-1, 0, 0];
    const at = pickSurface(cranium, add(centre, direction, -400), direction, { threshold: skin.threshold, accept: (i, j, k) => inBody(skin, i, j, k) })!;
    const region = { centre: at, radiusMm: 5 };
    const result = fillPaintedRegions(cranium, [region], { skin });
    expect(result.voxels).toBeGreaterThan(50);
    expect(result.regions[0]!.changed).toBe(result.voxels);
    const [nx, ny] = cranium.dims;
    const before = cranium.data;
    const after = result.volume.data;
    const half = Math.max(...cranium.spacing) / 2;
    let changed = 0;
    for (let p = 0; p < before.length; p++) {
      if (before[p] === after[p]) continue;
      changed++;
      const ijk: Vec3 = [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))];
      const x = voxelToPatient(cranium, ...ijk);
      // Within the radius; soft tissue before (not air, not bone) and soft tissue after.
      expect(Math.hypot(x[0] - at[0], x[1] - at[1], x[2] - at[2])).toBeLessThanOrEqual(region.radiusMm + half);
      expect(before[p]).toBeGreaterThan(-300);
      expect(before[p]).toBeLessThan(250);
      expect(after[p]).toBeGreaterThan(-250);
      expect(after[p]).toBeLessThan(150);
      // In the shell: the body's surface (the mask's ~2 mm boundary) is within 6 mm and a cell.
      expect(distanceToSurface(cranium, skin, x, 8.5, 0.5)).toBeLessThanOrEqual(8.5);
    }
    expect(changed).toBe(result.voxels);
    // The change files: slices and values for the exporter.
    const listed = [...result.changes.values()].reduce((n, c) => n + c.indices.length, 0);
    expect(listed).toBe(result.voxels);
  });

  it('a region painted deep in the head (the brain) changes nothing', () => {
    expect(paintedVoxels(cranium, { centre, radiusMm: 20 }, { skin })).toHaveLength(0);
    expect(fillPaintedRegions(cranium, [{ centre, radiusMm: 20 }], { skin }).voxels).toBe(0);
  });
});

describe('painted regions through the export', () => {
  it('seriesPixels fills a painted region on Cranium, lists it in the report (kind, place, radius, voxels, files) and writes only its files', async () => {
    const inputs = allFiles(fixtures.craniumDicom).filter((p) => p.endsWith('.dcm'));
    const files = inputs.map((p) => readDicom(new Uint8Array(readFileSync(p))));
    const volume = loadVolume(fixtures.craniumDicom);
    const skin = segmentSkin(volume);
    const b = skin.bounds;
    const centre = voxelToPatient(volume, (b[0][0] + b[0][1]) / 2, (b[1][0] + b[1][1]) / 2, (b[2][0] + b[2][1]) / 2);
    const at = pickSurface(volume, add(centre, [1, 0, 0], -400), [1, 0, 0], { threshold: skin.threshold, accept: (i, j, k) => inBody(skin, i, j, k) })!;
    const result = await seriesPixels(inputs, files, { markers: { accepted: [], painted: [{ centre: at, radiusMm: 6 }] } });
    expect(result.failed).toBeUndefined();
    const report = result.markers!;
    expect(report.status).toBe('removed');
    expect(report.painted).toHaveLength(1);
    const entry = report.painted![0]!;
    expect(entry).toMatchObject({ kind: 'painted', radiusMm: 6 });
    expect(entry.voxels).toBeGreaterThan(50);
    expect(report.voxels).toBe(entry.voxels);
    // Only the slices within the radius are rewritten (Cranium's slices are parallel to the axial plane).
    expect(entry.files.length).toBeGreaterThan(0);
    expect(result.files.size).toBe(entry.files.length);
    expect(entry.files.length).toBeLessThanOrEqual(Math.ceil((2 * 6) / volume.spacing[2]) + 1);
  });

  it('the export request takes painted regions with finite centres and radii of 1–30 mm only', () => {
    const approved = (folder: string) => folder === '/tmp/out';
    const request = (regions: unknown) => ({ fileIds: ['f0123456789abcdef0123456789abcdef'], target: '/tmp/out', skinMarkers: { accepted: [], painted: [{ seriesInstanceUID: '1.2.3', regions }] } });
    const parsed = parseExportRequest(request([{ centre: [1, 2, 3], radiusMm: 5 }]), approved);
    expect(parsed.skinMarkers?.painted?.get('1.2.3')).toEqual([{ centre: [1, 2, 3], radiusMm: 5 }]);
    expect(parsed.skinMarkers?.accepted?.size).toBe(0);
    expect(() => parseExportRequest(request([{ centre: [1, 2, 3], radiusMm: 0.5 }]), approved)).toThrow(/radiusMm/);
    expect(() => parseExportRequest(request([{ centre: [1, 2, 3], radiusMm: 31 }]), approved)).toThrow(/radiusMm/);
    expect(() => parseExportRequest(request([{ centre: [1, Number.NaN, 3], radiusMm: 5 }]), approved)).toThrow(/painted/);
    expect(() => parseExportRequest(request([{ centre: [1, 2], radiusMm: 5 }]), approved)).toThrow(/painted/);
    expect(() => parseExportRequest(request([{ centre: [1, 2, 3], radiusMm: 5, extra: 1 }]), approved)).toThrow(/painted/);
    expect(() => parseExportRequest(request(Array.from({ length: 201 }, () => ({ centre: [1, 2, 3], radiusMm: 5 }))), approved)).toThrow(/painted/);
  });
});

describe('veil deid --paint-region', () => {
  it('reads <series UID>:<x>,<y>,<z>:<radius> per region and refuses anything else', () => {
    const parsed = parsePaintRegions(['1.2.3:0,-81.5,98.9:8', '1.2.3:10,0,0:1', '4.5:1,2,3:30']);
    expect(parsed?.get('1.2.3')).toEqual([
      { centre: [0, -81.5, 98.9], radiusMm: 8 },
      { centre: [10, 0, 0], radiusMm: 1 },
    ]);
    expect(parsed?.get('4.5')).toHaveLength(1);
    expect(parsePaintRegions(undefined)).toBeUndefined();
    for (const bad of ['1.2.3:0,0,0:0.5', '1.2.3:0,0,0:31', '1.2.3:0,0:5', 'x:0,0,0:5', '1.2.3:0,0,0']) expect(() => parsePaintRegions([bad])).toThrow(/--paint-region/);
  });
});
