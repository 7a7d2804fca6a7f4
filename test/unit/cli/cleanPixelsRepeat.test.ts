// `veil deid --plan` on three copies of the real ankle screenshot (distinct UIDs,
// the same pixels): the second and third copies' check is answered from the frame
// memory (VEIL_TIMINGS says so), and still fails every copy whose plan leaves the
// patient ID readable; with the full plan every copy is exported and the tesseract
// CLI reads none of the identifying tokens in any of them. With --jobs 2 the run
// ends (this thread's own OCR worker is closed with the export).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tags, readDicom, setValue, uidFromName, writeDicom } from '../../../shared/dicom';
import type { FileReport } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const launcher = path.join(repo, 'main', 'cli', 'veil.mjs');
const identifying = [/JFK/, /IMAGING/, /CENTER/, /1993/, /151832/, /06:27/];
const device = { rows: 512, columns: 512, manufacturer: 'GE MEDICAL SYSTEMS', model: 'GENESIS_ZEUS' };
const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height, frame: 'all', image: 'pixels', origin: 'user', redact: true });

let base: string;
let input: string;
beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-clean-repeat-'));
  input = path.join(base, 'in');
  mkdirSync(input);
  const bytes = new Uint8Array(readFileSync(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')));
  for (let copy = 0; copy < 3; copy++) {
    const file = readDicom(bytes);
    for (const tag of [Tags.StudyInstanceUID, Tags.SeriesInstanceUID, Tags.SOPInstanceUID]) {
      const uid = file.dataset.string(tag);
      if (uid) setValue(file.dataset, tag, uidFromName(`repeat-${copy}:${uid}`), 'UI');
    }
    if (file.meta.has(Tags.MediaStorageSOPInstanceUID)) setValue(file.meta, Tags.MediaStorageSOPInstanceUID, file.dataset.string(Tags.SOPInstanceUID), 'UI');
    writeFileSync(path.join(input, `ankle-${copy}.dcm`), writeDicom(file));
  }
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function exportWithPlan(name: string, boxes: ReturnType<typeof box>[]): { status: number | null; stderr: string; report: { files: FileReport[] } } {
  const planFile = path.join(base, `${name}.json`);
  writeFileSync(planFile, JSON.stringify({ files: {}, signatures: [{ ...device, boxes }], keepTechnicalText: true }));
  const reportFile = path.join(base, `${name}-report.json`);
  const run = spawnSync(process.execPath, [launcher, 'deid', input, '--out', path.join(base, `${name}-out`), '--plan', planFile, '--report', reportFile, '--jobs', '1'], {
    encoding: 'utf8',
    env: { ...process.env, VEIL_SECRET_FILE: path.join(base, 'secret'), VEIL_TIMINGS: '1' },
    timeout: 180_000,
  });
  return { status: run.status, stderr: run.stderr, report: JSON.parse(readFileSync(reportFile, 'utf8')) };
}

describe('clean pixels on copies that repeat their frames', () => {
  it('fails every copy whose plan leaves the patient ID readable, the remembered ones too', () => {
    const { status, stderr, report } = exportWithPlan('short', [box(0, 0, 512, 40)]);
    expect(status).toBe(1);
    expect(stderr).toMatch(/pixels \(this thread\).*frames 2 reused \/ 1 new, fills 2 reused \/ 1 new/);
    expect(report.files).toHaveLength(3);
    for (const file of report.files) {
      expect(file.status).toBe('failed');
      expect(file.output).toBeNull();
      expect(file.reason).toMatch(/^pixel verification failed: identifying text still readable in frame 1/);
    }
  });

  it('exports every copy with the full plan, and the tesseract CLI reads no identifying token in any', () => {
    const { status, stderr, report } = exportWithPlan('full', [box(0, 0, 512, 72)]);
    expect(status).toBe(0);
    expect(stderr).toMatch(/frames 2 reused \/ 1 new/);
    expect(report.files).toHaveLength(3);
    for (const file of report.files) {
      expect(file.status, file.reason ?? '').toBe('exported');
      const copy = path.join(base, 'full-out', file.output!);
      expect(readDicom(new Uint8Array(readFileSync(copy))).dataset.string('00280301')).toBe('NO');
      const png = `${copy}.png`;
      const render = spawnSync('dcmj2pnm', ['--write-png', copy, png], { encoding: 'utf8' });
      expect(render.status, render.stderr).toBe(0);
      const read = spawnSync('tesseract', [png, '-', '--psm', '11'], { encoding: 'utf8' });
      expect(read.status, read.stderr).toBe(0);
      for (const token of identifying) expect(read.stdout, `${file.output}: ${token}`).not.toMatch(token);
    }
  });

  it('ends with --jobs 2, where this thread cleans pixels beside a worker (its OCR is closed too)', () => {
    // octave-dicom's files three times each (the ankle, the echo cine, the icon photo...): this thread takes some.
    const folder = path.join(base, 'jobs2-in');
    mkdirSync(folder);
    for (let copy = 0; copy < 3; copy++) {
      for (const name of readdirSync(fixtures.octave)) writeFileSync(path.join(folder, `${copy}-${name}`), readFileSync(path.join(fixtures.octave, name)));
    }
    const reportFile = path.join(base, 'jobs2-report.json');
    const run = spawnSync(process.execPath, [launcher, 'deid', folder, '--out', path.join(base, 'jobs2-out'), '--clean-pixels', '--report', reportFile, '--jobs', '2'], {
      encoding: 'utf8',
      env: { ...process.env, VEIL_SECRET_FILE: path.join(base, 'secret') },
      timeout: 120_000,
    });
    // A tesseract worker left running in this thread kept the process alive: killed at the timeout, no status.
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { files: FileReport[] };
    expect(report.files.filter((f) => f.status === 'exported').length).toBeGreaterThanOrEqual(12);
    expect(report.files.filter((f) => f.status === 'failed')).toEqual([]);
  });
});
