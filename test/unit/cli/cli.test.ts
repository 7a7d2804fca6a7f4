// The `veil` command as a user or a script runs it: through the package's bin
// launcher, in a child process, on real scans. Exit codes, the JSON report's
// shape, the scan document against its committed JSON Schema, worker threads,
// Ctrl-C and resume.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/paths';
import { injectInto, sha256File } from '../export/inject';
import { main } from '../../../main/cli/cli';
import { validate, type Schema } from './jsonSchema';
import { allFiles } from '../../support/files';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const launcher = path.join(repo, 'main', 'cli', 'veil.mjs');
const schema = JSON.parse(readFileSync(path.join(repo, 'shared', 'export', 'scan.schema.json'), 'utf8')) as Schema;

let base: string;
let secretFile: string;
let input: string;

function veil(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [launcher, ...args], {
    cwd: base,
    encoding: 'utf8',
    env: { ...process.env, VEIL_SECRET_FILE: secretFile },
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-cli-'));
  secretFile = path.join(base, 'config', 'secret');
  input = path.join(base, 'in');
  for (const name of readdirSync(fixtures.daikonBrain).filter((n) => /^brain_00\d\.dcm$/.test(n))) {
    injectInto(path.join(fixtures.daikonBrain, name), input);
  }
  writeFileSync(path.join(input, 'referral.pdf'), '%PDF-1.4 letter');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('veil usage errors exit 2', () => {
  it.each([
    [[], /Usage/],
    [['frobnicate'], /unknown command/],
    [['deid', 'x'], /--out/],
    [['deid', '--out', 'o'], /at least one input/],
    [['deid', 'x', '--out', 'o', '--bogus'], /bogus/],
    [['deid', 'x', '--out', 'o', '--jobs', 'many'], /--jobs/],
    [['deid', 'x', '--out', 'o', '--profile', '/nonexistent.json'], /profile/],
    [['scan'], /at least one input/],
  ])('veil %j', async (args, message) => {
    // In process (the launcher itself is exercised by every other test here).
    let text = '';
    const io = { stdout: { write: (t: string) => (text += t) }, stderr: { write: (t: string) => (text += t) } };
    expect(await main(args, io)).toBe(2);
    expect(text).toMatch(message);
  });

  it('refuses a report inside the export folder (it names the inputs)', () => {
    const out = path.join(base, 'out-report-inside');
    const run = veil(['deid', input, '--out', out, '--report', path.join(out, 'r.json')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/outside the export folder/);
  });

  it('refuses an output folder inside the input', () => {
    expect(veil(['deid', input, '--out', path.join(input, 'out')]).status).toBe(2);
  });

  it('rejects an invalid profile file', () => {
    const profile = path.join(base, 'bad-profile.json');
    writeFileSync(profile, JSON.stringify({ name: 'x', options: ['removeEverything'] }));
    const run = veil(['deid', input, '--out', path.join(base, 'o'), '--profile', profile]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not valid/);
  });
});

describe('veil deid', () => {
  let out: string;
  let report: { files: Array<Record<string, unknown>> } & Record<string, unknown>;

  beforeAll(() => {
    out = path.join(base, 'out');
    const run = veil(['deid', input, '--out', out, '--report', path.join(base, 'report.json'), '--html', path.join(base, 'report.html')]);
    expect(run.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(run.status).toBe(0);
    report = JSON.parse(readFileSync(path.join(base, 'report.json'), 'utf8'));
  });

  it('writes the JSON report the issue specifies', () => {
    expect(Array.isArray(report.files)).toBe(true);
    for (const file of report.files) {
      expect(Object.keys(file)).toEqual(expect.arrayContaining(['input', 'output', 'status', 'reason']));
      expect(['exported', 'skipped', 'failed']).toContain(file.status);
      expect(typeof file.input).toBe('string');
      if (file.status === 'exported') {
        expect(existsSync(path.join(out, file.output as string))).toBe(true);
        expect(file.reason).toBeNull();
      } else {
        expect(file.output).toBeNull();
        expect(typeof file.reason).toBe('string');
      }
    }
    expect(report.files.filter((f) => f.status === 'exported')).toHaveLength(9);
    expect(report.files.find((f) => String(f.input).endsWith('referral.pdf'))?.status).toBe('skipped');
    expect(readFileSync(path.join(base, 'report.html'), 'utf8')).toContain('Export complete');
  });

  it('keeps the secret in a file only the user can read', () => {
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(allFiles(out).some((f) => readFileSync(f).includes(readFileSync(secretFile, 'utf8').trim()))).toBe(false);
  });

  it('gives the same files with --jobs 2 (worker threads) as with one thread', () => {
    const parallel = path.join(base, 'out-jobs');
    const run = veil(['deid', input, '--out', parallel, '--jobs', '2']);
    expect(run.status).toBe(0);
    const files = allFiles(path.join(out, 'VEIL'));
    expect(files).toHaveLength(9);
    for (const file of files) expect(sha256File(path.join(parallel, path.relative(out, file)))).toBe(sha256File(file));
  });

  it('runs as an executable, as npx runs it: the shebang starts node with the young generation capped', () => {
    expect(readFileSync(launcher, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env -S node --max-semi-space-size=8');
    const direct = path.join(base, 'out-direct');
    const run = spawnSync(launcher, ['deid', input, '--out', direct], {
      cwd: base,
      encoding: 'utf8',
      env: { ...process.env, VEIL_SECRET_FILE: secretFile },
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const files = allFiles(path.join(out, 'VEIL'));
    for (const file of files) expect(sha256File(path.join(direct, path.relative(out, file)))).toBe(sha256File(file));
  });

  it('exits 1 when a DICOM input fails, and still exports the rest', () => {
    const mixed = path.join(base, 'mixed');
    mkdirSync(mixed);
    injectInto(path.join(fixtures.daikonBrain, 'brain_010.dcm'), mixed);
    const whole = readFileSync(path.join(mixed, 'brain_010.dcm'));
    writeFileSync(path.join(mixed, 'cut.dcm'), whole.subarray(0, whole.length - 4000));
    const reportFile = path.join(base, 'mixed.json');
    const run = veil(['deid', mixed, '--out', path.join(base, 'mixed-out'), '--report', reportFile]);
    expect(run.status).toBe(1);
    const files = (JSON.parse(readFileSync(reportFile, 'utf8')) as typeof report).files;
    expect(files.find((f) => String(f.input).endsWith('cut.dcm'))?.status).toBe('failed');
    expect(files.find((f) => String(f.input).endsWith('brain_010.dcm'))?.status).toBe('exported');
  });
});

describe('veil scan --json', () => {
  it('prints one document valid against scan.schema.json, with header findings and skipped files', () => {
    const run = veil(['scan', input, '--json']);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(validate(document, schema)).toEqual([]);
    expect(document.series).toHaveLength(1);
    const [series] = document.series;
    expect(series.modality).toBe('MR');
    expect(series.files).toHaveLength(9);
    const names = series.findings.filter((f: { where: { tag?: string } }) => f.where.tag === '(0010,0010)');
    expect(names.length).toBeGreaterThanOrEqual(9);
    expect(names[0].kind).toBe('header-phi');
    expect(series.findings.some((f: { where: { path?: string } }) => f.where.path === '(0010,1002)[0].(0010,0021)')).toBe(true);
    expect(run.stdout.toLowerCase()).not.toContain('quixby');
    expect(document.skipped.map((s: { input: string }) => path.basename(s.input))).toContain('referral.pdf');
  });

  it('includes the values only when asked, still schema-valid', () => {
    const run = veil(['scan', input, '--json', '--values']);
    const document = JSON.parse(run.stdout);
    expect(validate(document, schema)).toEqual([]);
    expect(run.stdout).toContain('QUIXBY^ZELDORA');
  });

  it('validates on every kind of fixture file, unreadable ones listed as skipped', () => {
    const run = veil(['scan', fixtures.pydicom, fixtures.pydicomCharsets, fixtures.dicom3tools, '--json']);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(validate(document, schema)).toEqual([]);
    expect(document.series.length).toBeGreaterThan(20);
    expect(document.skipped.length).toBeGreaterThan(0);
  });

  it('reads burned-in text in the pixels of the real ankle CT and echo cine (with the text read), none with --header-only', () => {
    const files = [path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), path.join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')];
    const run = veil(['scan', ...files, '--json']);
    expect(run.status).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(validate(document, schema)).toEqual([]);
    type TextFinding = { kind: string; textClass: string; text: string; where: { file: string; frame: number; box: number[]; image: string } };
    const text = (document.series as Array<{ findings: TextFinding[] }>).flatMap((s) => s.findings).filter((f) => f.kind === 'burned-in-text');
    const ankle = text.filter((f) => f.where.file.endsWith('ankle.dcm'));
    expect(ankle.some((f) => f.textClass === 'identifying' && /JFK IMAGING CENTER/.test(f.text))).toBe(true);
    const echo = text.filter((f) => f.where.file.endsWith('echo.dcm'));
    // The banner is on every one of the 10 frames.
    expect(new Set(echo.filter((f) => f.textClass === 'identifying').map((f) => f.where.frame)).size).toBe(10);
    for (const f of text) {
      expect(f.where.image).toBe('pixels');
      expect(f.where.box).toHaveLength(4);
    }
    const headerOnly = JSON.parse(veil(['scan', ...files, '--json', '--header-only']).stdout);
    expect(JSON.stringify(headerOnly)).not.toContain('burned-in-text');
  });

  it('prints a readable summary without --json', () => {
    const run = veil(['scan', input]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Series .* MR: 9 file\(s\)/);
    expect(run.stdout).toMatch(/A person name is stored in \(0010,0010\)/);
  });
});

describe('Ctrl-C during veil deid', () => {
  it('stops cleanly with a resumable export; running again finishes it', async () => {
    const out = path.join(base, 'interrupted');
    const child = spawn(process.execPath, [launcher, 'deid', fixtures.craniumDicom, '--out', out], {
      cwd: base,
      env: { ...process.env, VEIL_SECRET_FILE: secretFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && /^exported /m.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(sent).toBe(true);
    expect(status).toBe(1);
    expect(stderr).toMatch(/run the same command again to resume/);
    expect(existsSync(path.join(out, '.veil-partial', 'journal.jsonl'))).toBe(true);
    const doneBefore = allFiles(path.join(out, 'VEIL')).length;
    expect(doneBefore).toBeGreaterThan(0);
    expect(doneBefore).toBeLessThan(108);

    const reportFile = path.join(base, 'resumed.json');
    const again = veil(['deid', fixtures.craniumDicom, '--out', out, '--report', reportFile]);
    expect(again.status).toBe(0);
    const files = (JSON.parse(readFileSync(reportFile, 'utf8')) as { files: Array<{ resumed?: boolean; status: string }> }).files;
    expect(files.filter((f) => f.status === 'exported')).toHaveLength(108);
    expect(files.filter((f) => f.resumed).length).toBe(doneBefore);
    expect(existsSync(path.join(out, '.veil-partial'))).toBe(false);
  });
});
