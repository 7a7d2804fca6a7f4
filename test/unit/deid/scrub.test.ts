// Clean Descriptors across an export (PS3.15 E.3.5): identifying values from the
// whole export, found as whole words even inside compounds such as
// "Halchenko_Yarik^950_bids_test4", while technical words stay.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectIdentifiers, defaultProfile, deidentify, type IdentifyingValue } from '../../../shared/deid';
import { createDataset, setValue, Tags, writeDicom } from '../../../shared/dicom';
import { verifyExport } from '../../../shared/export';
import { makeScrubber } from '../../../shared/deid/text';
import { exportStudiesReport } from '../../../main/export/exportStudies';
import { fixtures } from '../../fixtures/paths';
import { readFixture, secret } from './helpers';

const id = (kind: IdentifyingValue['kind'], value: string): IdentifyingValue => ({ kind, value, source: '(0008,1050)' });

describe('Clean Descriptors scrubber', () => {
  it('cuts a name part inside a compound, with the letter-only words written like it', () => {
    const scrub = makeScrubber([id('physician', 'Yarik')]);
    expect(scrub('Halchenko_Yarik^950_bids_test4')).toBe('***^950_bids_test4');
    expect(scrub('YARIK-HALCHENKO protocol')).toBe('*** protocol');
    expect(scrub('Yarik_localizer yarik.halchenko')).toBe('***_localizer ***');
    // Across ^ (Region^Exam) and spaces the neighbours are other words and stay.
    expect(scrub('Yarik^head T1_MPRAGE')).toBe('***^head T1_MPRAGE');
    expect(scrub('T1_Yarik_3mm')).toBe('T1_***_3mm');
  });

  it('finds whole words only: short, placeholder and embedded words stay', () => {
    const scrub = makeScrubber([id('name', 'Ann'), id('name', 'Last Name^First Name'), id('name', 'First'), id('id', '12345')]);
    expect(scrub('SCANNER Ann_localizer')).toBe('SCANNER ***_localizer');
    expect(scrub('IEC_FIRST_LEVEL')).toBe('IEC_FIRST_LEVEL');
    expect(scrub('dose 1.12345 run 123456 id 12345')).toBe('dose 1.12345 run 123456 id ***');
  });

  it('IDs, addresses and dates in any spelling and separator; dates running into a time', () => {
    const scrub = makeScrubber([id('id', 'PID-77'), id('address', '12 Rue des Lilas'), id('date', '20010115')]);
    expect(scrub('scan_pid_77_v2 at 12, rue des lilas')).toBe('scan_***_v2 at ***');
    expect(scrub('acq 20010115093000 / 2003-02-01')).toBe('acq *** / ***');
  });

  it('the export-wide list (DeidContext.knownIdentifiers) reaches a file that does not name the operator itself', () => {
    const operatorFile = readFixture(join(fixtures.heudiconv, 'phantom.dcm'));
    const study = join(fixtures.heudiconv, '01-anat-scout', '0001.dcm');
    const description = (known?: IdentifyingValue[], key?: string) =>
      deidentify(readFixture(study), defaultProfile, { secret, knownIdentifiers: known, knownIdentifiersKey: key }).file.dataset.string(Tags.StudyDescription);
    expect(description()).toBe('Halchenko_Yarik^950_bids_test4');
    const known = collectIdentifiers(operatorFile, defaultProfile).filter((v) => v.kind !== 'date');
    expect(description(known)).toBe('***^950_bids_test4');
    // A copy of the list (as a worker receives it) under the same key.
    expect(description(structuredClone(known), 'k1')).toBe('***^950_bids_test4');
    expect(description(structuredClone(known), 'k1')).toBe('***^950_bids_test4');
  });

  it('without that list the verification is the safety net: it fails the copy', () => {
    const operator = collectIdentifiers(readFixture(join(fixtures.heudiconv, 'phantom.dcm')), defaultProfile).filter((v) => v.kind !== 'date');
    const copy = (known?: IdentifyingValue[]) =>
      writeDicom(deidentify(readFixture(join(fixtures.heudiconv, '01-anat-scout', '0001.dcm')), defaultProfile, { secret, knownIdentifiers: known }).file);
    const unscrubbed = verifyExport(copy(), operator, []);
    expect(unscrubbed.findings.map((f) => `${f.source} in ${f.where}`)).toContain('(0008,1050) in (0008,1030)');
    expect(verifyExport(copy(operator), operator, []).ok).toBe(true);
  });
});

describe('collectIdentifiers lists every place', () => {
  it('a PatientID repeated in OtherPatientIDsSequence is two findings', () => {
    const file = readFixture(join(fixtures.pydicom, 'CT_small.dcm'));
    const item = createDataset(file.dataset.littleEndian);
    setValue(item, Tags.PatientID, '1CT1', 'LO');
    setValue(file.dataset, '00101002', [item], 'SQ');
    const sources = collectIdentifiers(file)
      .filter((v) => v.kind === 'id' && v.value === '1CT1')
      .map((v) => v.source);
    // StudyID is 1CT1 too in this file.
    expect(sources).toEqual(['(0010,0020)', '(0010,1002)[0].(0010,0020)', '(0020,0010)']);
  });
});

describe('heudiconv corpus export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'veil-scrub-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every DICOM file is exported and verified; dcmdump finds the operator nowhere', async () => {
    const out = join(dir, 'out');
    const report = await exportStudiesReport({ inputs: [fixtures.heudiconv], outputFolder: out, profile: defaultProfile, secret, durable: false });
    const dicom = report.files.filter((f) => f.status !== 'skipped');
    expect(dicom.filter((f) => f.status !== 'exported')).toEqual([]);
    expect(dicom.length).toBe(9);
    expect(report.complete).toBe(true);

    const dump = execFileSync('dcmdump', ['+sd', '+r', '+U8', out], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(dump).toMatch(/\[\*\*\*\^950_bids_test4\]/);
    expect(dump).not.toMatch(/yarik|halchenko/i);
    const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
    for (const file of files(out)) expect(readFileSync(file).toString('latin1')).not.toMatch(/yarik|halchenko/i);
  });
});
