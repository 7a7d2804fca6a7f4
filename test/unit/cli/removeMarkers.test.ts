// `veil deid --remove-markers`: known dots, rings and lines are placed into the
// real Cranium CT's skin (as in scanMarkers.test.ts), the CLI removes what it
// finds, and then `veil scan` of the export finds no skin marker, voxels more
// than 3 mm from a placed marker keep their values, and the JSON and HTML
// reports say which files, where and how each was filled.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volumeFromSeries, type Volume } from '../../../shared/detect/face';
import { readDicom, type DicomFile } from '../../../shared/dicom';
import type { ExportReport, ScanDocument } from '../../../shared/export';
import { writeMarkedCranium } from '../detect/marker/markedCranium';
import type { PlacedMarker } from '../detect/marker/support';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const launcher = path.join(repo, 'main', 'cli', 'veil.mjs');
let base: string;
let placed: PlacedMarker[];
let original: Volume;
let marked: Volume;
let report: ExportReport;

const veil = (args: string[]) =>
  spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8', env: { ...process.env, VEIL_SECRET_FILE: path.join(base, 'secret') }, timeout: 280_000, maxBuffer: 1 << 26 });

const volumeOf = (folder: string): Volume => {
  const files: DicomFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== 'DICOMDIR') files.push(readDicom(new Uint8Array(readFileSync(full))));
    }
  };
  walk(folder);
  const built = volumeFromSeries(files);
  if (!built.ok) throw new Error(built.reason);
  return built.volume;
};

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-remove-markers-'));
  ({ original, marked, placed } = writeMarkedCranium(path.join(base, 'in'), { count: 6, seed: 7, shapes: ['dot', 'ring', 'line'] }));
  const started = performance.now();
  const run = veil(['deid', path.join(base, 'in'), '--out', path.join(base, 'out'), '--remove-markers', '--report', path.join(base, 'report.json'), '--html', path.join(base, 'report.html')]);
  console.log(`veil deid --remove-markers: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  expect(run.status, run.stderr + run.stdout).toBe(0);
  report = JSON.parse(readFileSync(path.join(base, 'report.json'), 'utf8'));
}, 300_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('veil deid --remove-markers on Cranium with markers placed', () => {
  it('removes every placed marker: veil scan of the export finds none', () => {
    expect(report.complete).toBe(true);
    expect(report.markers).toHaveLength(1);
    const [series] = report.markers!;
    expect(series.status).toBe('removed');
    expect(series.remaining).toBe(0);
    const removed = series.markers!.filter((m) => m.removed);
    const near = (m: PlacedMarker) => removed.some((f) => Math.hypot(...m.centre.map((c, a) => c - f.position[a]!)) < 8);
    expect(placed.filter(near)).toHaveLength(placed.length);
    const scan = veil(['scan', path.join(report.outputFolder, 'VEIL'), '--json']);
    expect(scan.status, scan.stderr).toBe(0);
    const findings = (JSON.parse(scan.stdout) as ScanDocument).series.flatMap((s) => s.findings).filter((f) => f.kind === 'skin-marker');
    console.log(`skin markers: ${placed.length} placed, ${removed.length} removed (${series.voxels} voxels), ${findings.length} found by veil scan of the export`);
    expect(findings).toEqual([]);
  }, 300_000);

  it('changes no voxel more than 3 mm from a placed marker (beyond a bone rim of ≤ 1 %)', () => {
    const out = volumeOf(path.join(report.outputFolder, 'VEIL'));
    expect(out.dims).toEqual(marked.dims);
    const [nx, ny, nz] = marked.dims;
    const [sx, sy, sz] = marked.spacing;
    const near = new Uint8Array(marked.data.length);
    const r = [Math.floor(3 / sx), Math.floor(3 / sy), Math.floor(3 / sz)];
    for (let p = 0; p < marked.data.length; p++) {
      if (marked.data[p] === original.data[p]) continue;
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      for (let dz = -r[2]!; dz <= r[2]!; dz++)
        for (let dy = -r[1]!; dy <= r[1]!; dy++)
          for (let dx = -r[0]!; dx <= r[0]!; dx++) {
            const [x, y, z] = [i + dx, j + dy, k + dz];
            if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
            if ((dx * sx) ** 2 + (dy * sy) ** 2 + (dz * sz) ** 2 <= 9) near[(z * ny + y) * nx + x] = 1;
          }
    }
    let changed = 0;
    let far = 0;
    for (let p = 0; p < out.data.length; p++) {
      if (out.data[p] === marked.data[p]) continue;
      changed++;
      if (!near[p]) far++;
    }
    console.log(`voxels changed: ${changed}; more than 3 mm from a placed marker: ${far}`);
    expect(changed).toBe(report.markers![0]!.voxels);
    expect(far).toBeLessThanOrEqual(changed * 0.01);
  });

  it('the reports list each marker with its files and fill; copies do not claim the face option', () => {
    const removed = report.markers![0]!.markers!.filter((m) => m.removed);
    for (const m of removed) {
      expect(m.files.length).toBeGreaterThan(0);
      expect(['soft tissue', 'air']).toContain(m.fill);
    }
    const touched = report.files.filter((f) => f.actions?.some((a) => a.keyword === 'PixelData' && /skin marker/.test(a.rule)));
    expect(touched.length).toBeGreaterThan(0);
    for (const f of touched) {
      const copy = readDicom(new Uint8Array(readFileSync(path.join(report.outputFolder, f.output!))), { headerOnly: true });
      expect(copy.dataset.items('00120064').map((item) => item.string('00080100'))).not.toContain('113102');
    }
    const html = readFileSync(path.join(base, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Skin markers</h2>');
    expect(html).toMatch(/filled with (soft tissue|air) in <code>/);
  });
});

describe('veil deid --deface --deface-ears --deface-fill noise --remove-markers: both in one pass', () => {
  it('defaces, removes the markers outside the face, claims 113102 on every copy; the export shows no face and none of the markers', () => {
    const out = path.join(base, 'both');
    const run = veil(['deid', path.join(base, 'in'), '--out', out, '--deface', '--deface-ears', '--deface-fill', 'noise', '--remove-markers', '--report', path.join(base, 'both.json')]);
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const both = JSON.parse(readFileSync(path.join(base, 'both.json'), 'utf8')) as ExportReport;
    expect(both.faces?.[0]?.status).toBe('defaced');
    expect(both.markers?.[0]?.status).toMatch(/removed|none-found/);
    const removed = both.markers![0]!.markers!.filter((m) => m.removed).length;
    for (const file of both.files) {
      const copy = readDicom(new Uint8Array(readFileSync(path.join(out, file.output!))), { headerOnly: true });
      expect(copy.dataset.items('00120064').map((item) => item.string('00080100'))).toContain('113102');
    }
    const scan = veil(['scan', path.join(out, 'VEIL'), '--json']);
    const findings = (JSON.parse(scan.stdout) as ScanDocument).series.flatMap((s) => s.findings);
    console.log(`deface + markers: face ${both.faces![0]!.voxels} voxels; ${removed} markers removed, ${both.markers![0]!.remnants ?? 0} remnants of the cut; scan of the export: ${findings.filter((f) => f.kind === 'skin-marker').length} skin markers, ${findings.filter((f) => f.kind === 'face').length} faces`);
    expect(findings.filter((f) => f.kind === 'face')).toEqual([]);
    // The placed markers are gone, and the bone the cut bared (the nasal cavity's walls) is not read as marks.
    expect(findings.filter((f) => f.kind === 'skin-marker')).toEqual([]);
  }, 300_000);
});
