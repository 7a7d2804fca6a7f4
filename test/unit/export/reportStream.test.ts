// The report written by streaming over its entries on disk is the report the
// in-memory form gives, byte for byte (JSON and HTML), in input order, on real
// scans with a damaged file and a letter among them; an interrupted
// export still gives a valid report; the entries' temporary folder goes.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import {
  ReportTotals,
  renderReportHtml,
  reportJsonEntry,
  reportJsonHead,
  reportJsonTail,
  summariseReport,
  summariseTotals,
  type ExportReport,
} from '../../../shared/export';
import { exportStudies, exportStudiesReport, type ExportRun } from '../../../main/export/exportStudies';
import { exportFile, type FileTask } from '../../../main/export/exportFile';
import { outputChecksum } from '../../../main/export/journal';
import { reportInMemory, writeReports } from '../../../main/export/reportFiles';
import { collectInputFiles } from '../../../main/files/collect';
import { fixtures } from '../../fixtures/paths';

const secret = 'report-stream-secret';
let base: string;
let input: string;
let spillRoot: string;
let savedTmp: string | undefined;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-report-stream-'));
  input = path.join(base, 'in');
  mkdirSync(input);
  // Brain MR slices and other patients' files, with a damaged file and a letter in the middle.
  const brain = readdirSync(fixtures.daikonBrain).filter((n) => /^brain_\d+\.dcm$/.test(n)).sort();
  brain.slice(0, 10).forEach((n) => copyFileSync(path.join(fixtures.daikonBrain, n), path.join(input, `a_${n}`)));
  const whole = readFileSync(path.join(fixtures.daikonBrain, brain[10]!));
  writeFileSync(path.join(input, 'b_damaged.dcm'), whole.subarray(0, 2000));
  writeFileSync(path.join(input, 'b_letter.txt'), 'Dear doctor, ...');
  brain.slice(10).forEach((n) => copyFileSync(path.join(fixtures.daikonBrain, n), path.join(input, `c_${n}`)));
  for (const n of ['CT_small', 'MR_small', 'rtstruct']) copyFileSync(path.join(fixtures.pydicom, `${n}.dcm`), path.join(input, `d_${n}.dcm`));
  // The entries' temporary folders are made here, so the test sees them come and go.
  savedTmp = process.env.TMPDIR;
  spillRoot = path.join(base, 'tmp');
  mkdirSync(spillRoot);
  process.env.TMPDIR = spillRoot;
});

afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(base, { recursive: true, force: true });
});

/** Writes both reports from the run, and returns them with the in-memory form of the same run. */
async function written(run: ExportRun, name: string): Promise<{ json: string; html: string; memory: ExportReport }> {
  const json = path.join(base, `${name}.json`);
  const html = path.join(base, `${name}.html`);
  await writeReports(run, { json, html });
  return { json: readFileSync(json, 'utf8'), html: readFileSync(html, 'utf8'), memory: reportInMemory(run) };
}

describe('the report written by streaming', () => {
  it('equals the in-memory report byte for byte, in input order, its totals those of its entries', async () => {
    const run = await exportStudies({ inputs: [input], outputFolder: path.join(base, 'out'), profile: defaultProfile, secret, durable: false });
    expect(readdirSync(spillRoot)).toHaveLength(1);
    try {
      const { json, html, memory } = await written(run, 'complete');
      expect(json).toBe(`${JSON.stringify(memory, null, 2)}\n`);
      expect(html).toBe(renderReportHtml(memory));
      expect(JSON.parse(json)).toEqual(memory);

      // One entry per input: those the walk skipped first (the letter), then the walk's order, the damaged file where it was found.
      const { files, skipped } = await collectInputFiles([input]);
      expect(skipped.map((s) => path.basename(s.displayPath))).toEqual(['b_letter.txt']);
      expect(memory.files.map((f) => f.input)).toEqual([...skipped.map((s) => s.displayPath), ...files]);
      const status = (name: string) => memory.files.find((f) => path.basename(f.input) === name)?.status;
      expect(status('b_damaged.dcm')).toBe('failed');
      expect(status('b_letter.txt')).toBe('skipped');
      expect(memory.files.filter((f) => f.status === 'exported')).toHaveLength(23);
      expect(memory.files.every((f) => f.status !== 'exported' || f.verification?.ok)).toBe(true);

      // The summaries from the totals gathered on the way equal those counted over the in-memory entries.
      const counted = ReportTotals.of(memory.files);
      for (const key of ['counts', 'actions', 'kept', 'boxedFiles', 'boxes', 'unverified', 'verified', 'problems'] as const) expect(run.totals[key], key).toEqual(counted[key]);
      expect(summariseTotals(run.report, run.totals, { html: 'h', json: 'j' })).toEqual(summariseReport(memory, { html: 'h', json: 'j' }));
      expect(run.totals.counts).toEqual({ exported: 23, skipped: 1, failed: 1 });
      expect(run.totals.problems.map((p) => path.basename(p.input))).toEqual(['b_letter.txt', 'b_damaged.dcm']);
    } finally {
      run.close();
    }
    expect(readdirSync(spillRoot)).toEqual([]);
  }, 60_000);

  it('is a valid report of what was done when the export is interrupted mid-way', async () => {
    const controller = new AbortController();
    let started = 0;
    const run = await exportStudies({
      inputs: [input],
      outputFolder: path.join(base, 'interrupted'),
      profile: defaultProfile,
      secret,
      durable: false,
      signal: controller.signal,
      // Stopped as the 5th file starts (reports come in commit batches, maybe after the last file began).
      runFile: (task: FileTask) => {
        if (++started === 5) controller.abort();
        return exportFile(task, outputChecksum);
      },
    });
    try {
      const { json, html, memory } = await written(run, 'interrupted');
      const parsed = JSON.parse(json) as ExportReport;
      expect(parsed).toEqual(memory);
      expect(html).toBe(renderReportHtml(memory));
      expect(parsed.interrupted).toBe(true);
      expect(parsed.complete).toBe(false);
      const exported = parsed.files.filter((f) => f.status === 'exported').length;
      expect(exported).toBeGreaterThanOrEqual(5);
      expect(exported).toBeLessThan(23);
      // Entries still in input order.
      const { files } = await collectInputFiles([input]);
      const order = parsed.files.map((f) => files.indexOf(f.input));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(html).toContain('Export incomplete (interrupted');
    } finally {
      run.close();
    }
    expect(readdirSync(spillRoot)).toEqual([]);
  }, 60_000);

  it('leaves no temporary folder when the export is refused', async () => {
    await expect(exportStudies({ inputs: [input], outputFolder: path.join(input, 'out'), profile: defaultProfile, secret })).rejects.toThrow();
    expect(readdirSync(spillRoot)).toEqual([]);
  });

  it('refuses a temporary folder inside the export, and keeps one inside an input out of the report', async () => {
    process.env.TMPDIR = path.join(base, 'out-with-tmp', 'tmp');
    try {
      await expect(exportStudies({ inputs: [input], outputFolder: path.join(base, 'out-with-tmp'), profile: defaultProfile, secret })).rejects.toThrow(
        /set TMPDIR to a folder outside it/,
      );
    } finally {
      process.env.TMPDIR = spillRoot;
    }
    const inside = path.join(input, 'tmp');
    mkdirSync(inside);
    process.env.TMPDIR = inside;
    try {
      const run = await exportStudies({ inputs: [input], outputFolder: path.join(base, 'out-tmp-in-input'), profile: defaultProfile, secret, durable: false });
      try {
        const report = reportInMemory(run);
        expect(report.files.filter((f) => f.input.startsWith(inside))).toEqual([]);
        expect(report.files).toHaveLength(25);
      } finally {
        run.close();
      }
      expect(readdirSync(inside)).toEqual([]);
    } finally {
      process.env.TMPDIR = spillRoot;
      rmSync(inside, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the DICOMDIR, verified a few hundred records at a time', () => {
  it('is not written when a record in a later piece holds an original UID', async () => {
    const many = path.join(base, 'many');
    mkdirSync(many);
    const ct = readFileSync(path.join(fixtures.pydicom, 'CT_small.dcm'));
    for (let i = 0; i < 300; i++) writeFileSync(path.join(many, `ct${String(i).padStart(3, '0')}.dcm`), ct);
    // The last file's entry (the DICOMDIR's last record, in the second piece) names the original SOP Instance UID.
    const runFile = async (task: FileTask) => {
      const outcome = await exportFile(task, outputChecksum);
      if (task.target.endsWith('IM00300') && outcome.directory) outcome.directory = { ...outcome.directory, sopInstanceUID: task.originalUIDs.at(-1)! };
      return outcome;
    };
    const report = await exportStudiesReport({ inputs: [many], outputFolder: path.join(base, 'many-out'), profile: defaultProfile, secret, durable: false, runFile });
    expect(report.files.filter((f) => f.status === 'exported')).toHaveLength(300);
    expect(report.complete).toBe(false);
    expect(report.extras).toEqual([]);
    expect(report.notes.join(' ')).toMatch(/The DICOMDIR was not written: verification found uid in .*\(records of VEIL\/P0001\/ST001\/SE001\/IM00257 to VEIL\/P0001\/ST001\/SE001\/IM00300\)/);
    expect(readdirSync(path.join(base, 'many-out'))).not.toContain('DICOMDIR');
  }, 120_000);
});

describe('the JSON report in pieces', () => {
  const head = {
    tool: 'veil' as const,
    version: '0.1.0',
    profile: defaultProfile,
    outputFolder: '/out',
    startedAt: 'a',
    finishedAt: 'b',
    complete: true,
    interrupted: false,
    extras: [],
    notes: ['line\nbreak "quoted"'],
  };

  it('joins to JSON.stringify(report, null, 2) with no entries and with some', () => {
    expect(reportJsonHead(head) + reportJsonTail(0)).toBe(`${JSON.stringify({ ...head, files: [] }, null, 2)}\n`);
    const files: ExportReport['files'] = [
      { input: '/a\nb.dcm', output: null, status: 'skipped', reason: 'not a DICOM file' },
      { input: '/c.dcm', output: 'VEIL/P0001/ST001/SE001/IM00001', status: 'exported', reason: null, summary: { removed: 2 }, actions: [] },
    ];
    const pieces = reportJsonHead(head) + files.map(reportJsonEntry).join('') + reportJsonTail(files.length);
    expect(pieces).toBe(`${JSON.stringify({ ...head, files }, null, 2)}\n`);
  });

  it('lists at most 50 problems, the first ones in report order whatever order they came in', () => {
    const files = Array.from({ length: 60 }, (_, i) => ({ input: `/f${i}`, output: null, status: 'failed' as const, reason: `r${i}` }));
    const totals = ReportTotals.of(files);
    expect(totals.problems).toHaveLength(50);
    expect(totals.problems[49]).toEqual({ input: '/f49', status: 'failed', reason: 'r49' });
    expect(totals.counts.failed).toBe(60);
    const shuffled = new ReportTotals();
    for (const i of [...files.keys()].reverse()) shuffled.add(files[i]!, [i]);
    expect(shuffled.problems).toEqual(totals.problems);
  });
});
