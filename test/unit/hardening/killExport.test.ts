// Crash-safe export: `veil deid` on the Cranium CT series is killed with SIGKILL
// (no handler runs, nothing is flushed) at points drawn from fixed seeds — before
// the first file, after the first, mid-way, near the end, and again while
// resuming. After every kill, each file in the export tree must be exactly what
// an uninterrupted run writes (byte for byte), anything unfinished may only be
// in .veil-partial/, and the originals are untouched. Running again finishes.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/paths';
import { Rng } from '../../fuzz/prng';
import { allFiles } from '../../support/files';

const launcher = path.resolve('main/cli/veil.mjs');
const input = fixtures.craniumDicom;
let base: string;
let secretFile: string;
/** Relative path → SHA-256 of an uninterrupted export of the same input with the same secret. */
let reference: Map<string, string>;
let originals: Map<string, string>;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function hashes(root: string): Map<string, string> {
  return new Map(allFiles(root).map((file) => [path.relative(root, file), sha256(file)]));
}

function deid(out: string, extra: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [launcher, 'deid', input, '--out', out, ...extra], {
    cwd: base,
    encoding: 'utf8',
    env: { ...process.env, VEIL_SECRET_FILE: secretFile },
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

type KillPoint = { afterMs: number } | { afterExported: number };

/** Starts `veil deid` and SIGKILLs it at the point; resolves to how many files it had reported exported. */
function deidKilled(out: string, point: KillPoint): Promise<{ exportedLines: number; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [launcher, 'deid', input, '--out', out], {
    cwd: base,
    env: { ...process.env, VEIL_SECRET_FILE: secretFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let exportedLines = 0;
  let buffered = '';
  const kill = () => child.kill('SIGKILL');
  if ('afterMs' in point) setTimeout(kill, point.afterMs);
  child.stderr.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('exported ')) continue;
      exportedLines++;
      if ('afterExported' in point && exportedLines === point.afterExported) kill();
    }
  });
  return new Promise((resolve) => child.on('close', (_code, signal) => resolve({ exportedLines, signal })));
}

/** What may be in an export folder after a kill: finished files identical to the reference, temporaries only in .veil-partial/. */
function expectOnlyCompleteFiles(out: string): { finished: number; temporaries: string[] } {
  if (!existsSync(out)) return { finished: 0, temporaries: [] };
  let finished = 0;
  const temporaries: string[] = [];
  for (const file of allFiles(out)) {
    const relative = path.relative(out, file);
    if (relative.startsWith(`.veil-partial${path.sep}`)) {
      const name = path.basename(relative);
      expect(name === 'journal.jsonl' || name.endsWith('.part'), relative).toBe(true);
      temporaries.push(relative);
      continue;
    }
    // In VEIL/ or the DICOMDIR: present means complete and correct.
    expect(reference.has(relative), `${relative} is not part of the export`).toBe(true);
    expect(sha256(file), `${relative} differs from an uninterrupted export`).toBe(reference.get(relative));
    finished++;
  }
  return { finished, temporaries };
}

function expectResumedToCompletion(out: string): void {
  const run = deid(out);
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/Export complete: 108 exported, 0 failed, 0 skipped/);
  expect(existsSync(path.join(out, '.veil-partial'))).toBe(false);
  expect(existsSync(path.join(out, 'DICOMDIR'))).toBe(true);
  expect(hashes(out)).toEqual(reference);
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-kill-'));
  secretFile = path.join(base, 'config', 'secret');
  originals = hashes(input);
  expect(originals.size).toBe(108);
  const run = deid(path.join(base, 'reference'));
  expect(run.status, run.stderr).toBe(0);
  reference = hashes(path.join(base, 'reference'));
  expect(reference.size).toBe(109); // 108 images and the DICOMDIR
  // The reference itself is valid DICOM to an independent reader.
  const dump = spawnSync('dcmdump', ['-q', '+sd', '+r', path.join(base, 'reference')], { encoding: 'latin1', maxBuffer: 256 * 2 ** 20 });
  expect(dump.status).toBe(0);
  expect(dump.stderr).toBe('');
}, 120_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('SIGKILL during veil deid', () => {
  // Kill points from fixed seeds: a time before or around start-up, and counts of finished files.
  const rng = new Rng(8);
  const points: Array<[string, KillPoint]> = [
    ['during start-up', { afterMs: rng.range(50, 400) }],
    ['after the first file', { afterExported: 1 }],
    ['early', { afterExported: rng.range(2, 20) }],
    ['mid-way', { afterExported: rng.range(40, 70) }],
    ['near the end', { afterExported: rng.range(95, 107) }],
    // Every image is done: the DICOMDIR is being written (or the run just ended).
    ['at the DICOMDIR', { afterExported: 108 }],
  ];

  it.each(points)('%s (%j): only complete files in place, a second run finishes', async (_name, point) => {
    const out = path.join(base, `out-${JSON.stringify(point).replace(/\W+/g, '-')}`);
    const killed = await deidKilled(out, point);
    if ('afterExported' in point && point.afterExported < 108) {
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.exportedLines).toBeGreaterThanOrEqual(point.afterExported);
    }
    const { finished } = expectOnlyCompleteFiles(out);
    // Reported exported means renamed into place (a file is reported after its rename).
    if ('afterExported' in point) expect(finished).toBeGreaterThanOrEqual(point.afterExported);
    expectResumedToCompletion(out);
  });

  it('killed again while resuming, then finished', async () => {
    const out = path.join(base, 'out-twice');
    await deidKilled(out, { afterExported: 30 });
    expectOnlyCompleteFiles(out);
    await deidKilled(out, { afterExported: 20 });
    expectOnlyCompleteFiles(out);
    expectResumedToCompletion(out);
  });

  it('left every original byte-identical', () => {
    expect(hashes(input)).toEqual(originals);
    expect(readdirSync(input)).toHaveLength(108);
  });
});
