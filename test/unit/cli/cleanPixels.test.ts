// `veil deid --clean-pixels` on the two real images with burned-in text (the
// octave-dicom ankle CT screenshot and the US echo cine, palette colour RLE):
// the identifying text is gone by Veil's own OCR (the export verifies it) and by
// an independent one (the tesseract CLI on dcmtk's rendering); pixels outside
// the reported boxes are unchanged; Clean Pixel Data is claimed; originals are
// untouched.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDicom } from '../../../shared/dicom';
import { decodeFrame, frameCount } from '../../../shared/pixels';
import type { FileReport } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';
import { sha256File } from '../export/inject';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const launcher = path.join(repo, 'main', 'cli', 'veil.mjs');

/** Tokens of the burned-in identifying text (date, time, institution, patient ID), as tesseract spells them on the originals. */
const identifying: Record<string, RegExp[]> = {
  'CT-MONO2-16-ankle.dcm': [/JFK/, /IMAGING/, /CENTER/, /1993/, /151832/, /06:27/],
  'US-PAL-8-10x-echo.dcm': [/JAN/, /4:58/, /03:46/],
};

let base: string;
let report: { files: FileReport[]; complete: boolean };
const checksums = new Map<string, string>();

function tesseract(png: string): string {
  const run = spawnSync('tesseract', [png, '-', '--psm', '11'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

function renderPng(dicom: string, png: string, frame = 1): string {
  const run = spawnSync('dcmj2pnm', ['--write-png', '+F', String(frame), dicom, png], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return png;
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-clean-pixels-'));
  const input = path.join(base, 'in');
  mkdirSync(input);
  for (const name of Object.keys(identifying)) {
    copyFileSync(path.join(fixtures.octave, name), path.join(input, name));
    checksums.set(name, sha256File(path.join(input, name)));
  }
  const run = spawnSync(process.execPath, [launcher, 'deid', input, '--out', path.join(base, 'out'), '--clean-pixels', '--report', path.join(base, 'report.json')], {
    encoding: 'utf8',
    env: { ...process.env, VEIL_SECRET_FILE: path.join(base, 'secret') },
    timeout: 180_000,
  });
  expect(run.status, run.stderr + run.stdout).toBe(0);
  report = JSON.parse(readFileSync(path.join(base, 'report.json'), 'utf8'));
}, 200_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('veil deid --clean-pixels on real burned-in text', () => {
  it('exports both files, verified, and leaves the originals byte-identical', () => {
    expect(report.complete).toBe(true);
    for (const file of report.files) expect(file.status, file.reason ?? '').toBe('exported');
    for (const [name, sum] of checksums) expect(sha256File(path.join(base, 'in', name))).toBe(sum);
  });

  it('the tesseract CLI reads the identifying text on the originals and none of it on the copies', () => {
    for (const [name, tokens] of Object.entries(identifying)) {
      const file = report.files.find((f) => f.input.endsWith(name))!;
      const before = tesseract(renderPng(path.join(base, 'in', name), path.join(base, `${name}-in.png`)));
      // The oracle can read what must go: otherwise the check below proves nothing.
      expect(tokens.filter((t) => t.test(before)).length, `${name} original: ${before}`).toBeGreaterThanOrEqual(2);
      const frames = frameCount(readDicom(new Uint8Array(readFileSync(path.join(base, 'in', name)))));
      for (const frame of new Set([1, frames])) {
        const after = tesseract(renderPng(path.join(base, 'out', file.output!), path.join(base, `${name}-out-${frame}.png`), frame));
        for (const token of tokens) expect(after, `${name} frame ${frame}`).not.toMatch(token);
      }
    }
  });

  it('changes no pixel outside the reported boxes, and fills every box', () => {
    for (const name of Object.keys(identifying)) {
      const file = report.files.find((f) => f.input.endsWith(name))!;
      const boxes = file.redactions ?? [];
      expect(boxes.length).toBeGreaterThan(0);
      const original = readDicom(new Uint8Array(readFileSync(path.join(base, 'in', name))));
      const copy = readDicom(new Uint8Array(readFileSync(path.join(base, 'out', file.output!))));
      const columns = original.dataset.number('00280011')!;
      let changedOutside = 0;
      let changedInside = 0;
      for (let f = 0; f < frameCount(original); f++) {
        const a = decodeFrame(original, f, { raw: true }).data;
        const b = decodeFrame(copy, f, { raw: true }).data;
        const samples = a.length / (columns * original.dataset.number('00280010')!);
        const own = boxes.filter((x) => x.image === 'pixels' && (x.frame === 'all' || x.frame === f));
        for (let i = 0; i < a.length; i++) {
          if (a[i] === b[i]) continue;
          const pixel = Math.floor(i / samples);
          const x = pixel % columns;
          const y = Math.floor(pixel / columns);
          if (own.some((box) => x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height)) changedInside++;
          else changedOutside++;
        }
      }
      expect(changedOutside, name).toBe(0);
      expect(changedInside, name).toBeGreaterThan(0);
    }
  });

  it('claims Clean Pixel Data (BurnedInAnnotation NO, code 113101) only on the verified copies', () => {
    for (const file of report.files) {
      const copy = readDicom(new Uint8Array(readFileSync(path.join(base, 'out', file.output!))));
      expect(copy.dataset.string('00280301')).toBe('NO');
      const codes = copy.dataset.items('00120064').map((item) => item.string('00080100'));
      expect(codes).toContain('113101');
      expect(codes).not.toContain('113102');
      expect(file.actions?.some((a) => a.path === '(7FE0,0010)' && a.action === 'cleaned')).toBe(true);
    }
  });
});

describe('veil deid --plan (the viewer\'s decisions, as a device signature)', () => {
  const device = { rows: 512, columns: 512, manufacturer: 'GE MEDICAL SYSTEMS', model: 'GENESIS_ZEUS' };
  const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height, frame: 'all', image: 'pixels', origin: 'user', redact: true });

  function exportWithPlan(name: string, boxes: ReturnType<typeof box>[]): { status: number | null; report: { files: FileReport[] } } {
    const planFile = path.join(base, `${name}.json`);
    writeFileSync(planFile, JSON.stringify({ files: {}, signatures: [{ ...device, boxes }], keepTechnicalText: true }));
    const input = path.join(base, `${name}-in`);
    mkdirSync(input, { recursive: true });
    copyFileSync(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), path.join(input, 'ankle.dcm'));
    const reportFile = path.join(base, `${name}-report.json`);
    const run = spawnSync(process.execPath, [launcher, 'deid', input, '--out', path.join(base, `${name}-out`), '--plan', planFile, '--report', reportFile], {
      encoding: 'utf8',
      env: { ...process.env, VEIL_SECRET_FILE: path.join(base, 'secret') },
      timeout: 120_000,
    });
    return { status: run.status, report: JSON.parse(readFileSync(reportFile, 'utf8')) };
  }

  it("fills the signature's boxes on an image of that device and verifies the copy", () => {
    const { status, report } = exportWithPlan('plan-complete', [box(0, 0, 512, 72)]);
    expect(status).toBe(0);
    const [file] = report.files;
    expect(file.status, file.reason ?? '').toBe('exported');
    expect(file.redactions).toEqual([box(0, 0, 512, 72)]);
  });

  it('fails the file when the plan leaves identifying text readable (the patient ID under the top band)', () => {
    const { status, report } = exportWithPlan('plan-short', [box(0, 0, 512, 40)]);
    expect(status).toBe(1);
    const [file] = report.files;
    expect(file.status).toBe('failed');
    expect(file.output).toBeNull();
    expect(file.reason).toMatch(/^pixel verification failed: identifying text still readable in frame 1/);
  });
});

