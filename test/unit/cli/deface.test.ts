// `veil deid --deface` on the real Cranium head CT: the face is found,
// replaced, and the series rendered again without a face before the copies
// claim Clean Recognizable Visual Features; slices away from the face keep
// their pixels to the byte; `veil scan` finds no face in the copy; the report
// shows before/after renders; originals are untouched.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicom, Tags } from '../../../shared/dicom';
import type { ExportReport, ScanDocument } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';
import { sha256File } from '../export/inject';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const launcher = path.join(repo, 'main', 'cli', 'veil.mjs');
let base: string;
let report: ExportReport;
const before = new Map<string, string>();

const veil = (args: string[]) =>
  spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8', env: { ...process.env, VEIL_SECRET_FILE: path.join(base, 'secret') }, timeout: 240_000, maxBuffer: 1 << 26 });

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-deface-'));
  for (const name of readdirSync(fixtures.craniumDicom)) before.set(name, sha256File(path.join(fixtures.craniumDicom, name)));
  const run = veil(['deid', fixtures.craniumDicom, '--out', path.join(base, 'out'), '--deface', '--report', path.join(base, 'report.json'), '--html', path.join(base, 'report.html')]);
  expect(run.status, run.stderr + run.stdout).toBe(0);
  report = JSON.parse(readFileSync(path.join(base, 'report.json'), 'utf8'));
}, 260_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('veil deid --deface on the Cranium head CT', () => {
  it('defaces the series, proves it, and claims 113102 on every copy', () => {
    expect(report.complete).toBe(true);
    expect(report.faces).toHaveLength(1);
    const [face] = report.faces!;
    expect(face.status).toBe('defaced');
    expect(face.voxels).toBeGreaterThan(10_000);
    expect(face.renders?.length).toBeGreaterThan(0);
    for (const file of report.files) {
      expect(file.status).toBe('exported');
      const copy = readDicom(new Uint8Array(readFileSync(path.join(report.outputFolder, file.output!))), { headerOnly: true });
      expect(copy.dataset.string('00280302')).toBe('NO');
      expect(copy.dataset.items('00120064').map((item) => item.string('00080100'))).toContain('113102');
    }
  });

  it('changes the pixels of the face slices only; the top of the head keeps its pixels to the byte', () => {
    let changed = 0;
    let untouchedTop = 0;
    for (const file of report.files) {
      const original = readDicom(new Uint8Array(readFileSync(file.input)));
      const copy = readDicom(new Uint8Array(readFileSync(path.join(report.outputFolder, file.output!))));
      const same = Buffer.from(original.dataset.get(Tags.PixelData)!.bytes).equals(Buffer.from(copy.dataset.get(Tags.PixelData)!.bytes));
      if (!same) changed++;
      // Above the brows (the slices highest along the patient's head) nothing is touched.
      const z = original.dataset.numbers('00200032')[2]!;
      if (z > 100 && same) untouchedTop++;
      if (z > 100) expect(same, `${path.basename(file.input)} at z ${z}`).toBe(true);
    }
    expect(changed).toBeGreaterThan(20);
    expect(untouchedTop).toBeGreaterThan(0);
  });

  it('the copy has no face for veil scan; the HTML report shows the renders; originals unchanged', () => {
    const scan = veil(['scan', path.join(report.outputFolder, 'VEIL'), '--json', '--header-only']);
    expect(scan.status).toBe(0);
    const withPixels = veil(['scan', path.join(report.outputFolder, 'VEIL'), '--json']);
    const document = JSON.parse(withPixels.stdout) as ScanDocument;
    expect(document.series.flatMap((s) => s.findings).filter((f) => f.kind === 'face')).toEqual([]);
    const html = readFileSync(path.join(base, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Faces</h2>');
    expect(html).toMatch(/<img alt="after, yaw 0°" src="data:image\/png;base64,/);
    for (const [name, sum] of before) expect(sha256File(path.join(fixtures.craniumDicom, name))).toBe(sum);
  });
});
