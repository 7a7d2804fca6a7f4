// `veil scan --json` reports marks on the skin: known dots, rings and lines are
// placed into the real Cranium CT's skin (test/unit/detect/marker/support.ts),
// the slices written back as DICOM, and the CLI must list them as findings of
// kind "skin-marker" at their places; the unmodified series has none.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';
import { writeMarkedCranium } from '../detect/marker/markedCranium';
import type { PlacedMarker } from '../detect/marker/support';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let base: string;
let placed: PlacedMarker[];

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-markers-'));
  placed = writeMarkedCranium(path.join(base, 'in'), { count: 6, seed: 7, shapes: ['dot', 'ring', 'line'] }).placed;
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
