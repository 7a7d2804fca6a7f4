// `veil scan --json` reports marks on the skin: known dots, rings and lines are
// placed into the real Cranium CT's skin (test/unit/detect/marker/support.ts),
// the slices written back as DICOM, and the CLI must list them as findings of
// kind "skin-marker" at their places; the unmodified series has none.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentSkin, volumeFromSeries } from '../../../shared/detect/face';
import { readDicom, writeDicom, type DicomFile } from '../../../shared/dicom';
import type { ScanDocument } from '../../../shared/export';
import { pixelInfo, replaceFrames } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { placeMarkers, surfacePoints, type PlacedMarker } from '../detect/marker/support';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let base: string;
let placed: PlacedMarker[];

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-markers-'));
  const names = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort();
  const files: DicomFile[] = names.map((n) => readDicom(new Uint8Array(readFileSync(path.join(fixtures.craniumDicom, n)))));
  const built = volumeFromSeries(files);
  if (!built.ok) throw new Error(built.reason);
  const skin = segmentSkin(built.volume);
  const result = placeMarkers(built.volume, skin, surfacePoints(built.volume, skin), { count: 6, seed: 7, shapes: ['dot', 'ring', 'line'], spacingMm: 40 });
  placed = result.markers.filter((m) => m.thicknessMm >= 2 || m.shape !== 'dot');
  // The changed planes back into their files, in stored values (the files' own rescale).
  const { dims, data, sources } = result.volume;
  const plane = dims[0] * dims[1];
  mkdirSync(path.join(base, 'in'));
  files.forEach((file, index) => {
    const k = sources!.findIndex((s) => s.file === index);
    const info = pixelInfo(file);
    const slope = file.dataset.number('00281053') ?? 1;
    const intercept = file.dataset.number('00281052') ?? 0;
    const stored = new Int16Array(plane);
    for (let p = 0; p < plane; p++) stored[p] = Math.round((data[k * plane + p]! - intercept) / slope);
    if (info.pixelRepresentation === 0) throw new Error('Cranium is signed');
    replaceFrames(file, [stored]);
    writeFileSync(path.join(base, 'in', names[index]!), writeDicom(file));
  });
}, 120_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

const scanMarkers = (folder: string) => {
  const run = spawnSync(process.execPath, [path.join(repo, 'main', 'cli', 'veil.mjs'), 'scan', folder, '--json'], { encoding: 'utf8', timeout: 240_000, maxBuffer: 1 << 26 });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as ScanDocument).series.flatMap((s) => s.findings).filter((f) => f.kind === 'skin-marker');
};

describe('veil scan --json: skin markers', () => {
  it('lists the marks placed into the real Cranium skin at their places, and none on the real series', () => {
    expect(placed.length).toBeGreaterThanOrEqual(3);
    const found = scanMarkers(path.join(base, 'in'));
    const near = (m: PlacedMarker) => found.some((f) => Math.hypot(...m.centre.map((c, a) => c - f.where.position![a]!)) < 8);
    const hits = placed.filter(near).length;
    console.log(`skin markers: ${hits} of ${placed.length} placed found by veil scan; ${found.length} findings`);
    expect(hits).toBe(placed.length);
    for (const f of found) {
      expect(f.where.sizeMm?.length).toBeGreaterThan(0);
      expect(f.detail).toMatch(/mm/);
    }
    expect(scanMarkers(fixtures.craniumDicom)).toEqual([]);
  }, 300_000);
});
