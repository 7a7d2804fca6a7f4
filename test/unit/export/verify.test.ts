// The verification pass on its own: it must find identifying values wherever
// they hide (plain, private, nested, free text, other charsets, other
// spellings) and original UIDs, and must not cry wolf on clean output.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectIdentifiers, deidentify, defaultProfile } from '../../../shared/deid';
import { readDicom, setValue, writeDicom } from '../../../shared/dicom';
import { dateSpellings, instanceUIDs, normaliseText, verifyExport } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';
import { injectInto } from './inject';

const work = mkdtempSync(path.join(tmpdir(), 'veil-verify-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function load(file: string) {
  const bytes = new Uint8Array(readFileSync(file));
  return { bytes, file: readDicom(bytes) };
}

describe('verifyExport', () => {
  const injected = load(injectInto(path.join(fixtures.pydicom, 'CT_small.dcm'), work));
  const identifiers = collectIdentifiers(injected.file);
  const uids = [...instanceUIDs(injected.file.meta), ...instanceUIDs(injected.file.dataset)];

  it('finds the person in plain, private, nested and free-text elements, and the original UIDs', () => {
    const result = verifyExport(injected.bytes, identifiers, uids);
    expect(result.ok).toBe(false);
    const places = new Set(result.findings.filter((f) => f.match === 'element').map((f) => f.where));
    expect(places).toContain('(0010,0010)');
    expect(places).toContain('(0099,1001)');
    expect(places).toContain('(0010,1002)[0].(0010,0020)');
    expect(places).toContain('(0020,4000)');
    expect(result.findings.some((f) => f.kind === 'uid' && f.where === '(0008,0018)')).toBe(true);
    expect(result.findings.some((f) => f.match === 'raw-ascii')).toBe(true);
    // The report says where, never what.
    expect(JSON.stringify(result).toLowerCase()).not.toMatch(/quixby|zeldora|zx4471qq/);
  });

  it('passes the engine’s de-identified copy of the same file', () => {
    const { file } = deidentify(injected.file, defaultProfile, { secret: 'verify-test' });
    const result = verifyExport(writeDicom(file), identifiers, uids);
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.searchedTerms).toBeGreaterThan(10);
  });

  it('decodes other character sets: the Japanese name of chrH31 (ISO 2022 IR 87) is found', () => {
    const { bytes, file } = load(path.join(fixtures.pydicomCharsets, 'chrH31.dcm'));
    const kanji = collectIdentifiers(file).filter((id) => /山田/.test(id.value));
    expect(kanji.length).toBeGreaterThan(0);
    const result = verifyExport(bytes, kanji, []);
    expect(result.findings.some((f) => f.where === '(0010,0010)' && f.match === 'element')).toBe(true);
  });

  it('reads the raw bytes under the file’s character set when they hold more than ASCII and binary (UTF-8 name in the preamble)', () => {
    // The Cranium CT is ISO_IR 192; a reader never shows the preamble, so only the raw passes see it.
    const source = readDicom(new Uint8Array(readFileSync(path.join(fixtures.craniumDicom, readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort()[0]))));
    const copy = deidentify(source, defaultProfile, { secret: 'charset-pass' }).file;
    const clean = writeDicom(copy);
    const name = 'ÅNGSTRÖM^BJÖRN';
    const ids = [{ kind: 'name' as const, value: name, source: '(0010,0010)' }];
    expect(verifyExport(clean, ids, []).ok).toBe(true);
    const dirty = clean.slice();
    dirty.set(new TextEncoder().encode(name), 16);
    const result = verifyExport(dirty, ids, []);
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => f.match)).toEqual(['raw-charset']);
  });

  it('finds a birth date written the way people write dates', () => {
    const { file } = load(path.join(fixtures.pydicom, 'MR_small.dcm'));
    for (const text of ['born 12 April 1961', 'DOB: 12.04.1961', 'dob 1961-04-12', 'on April 12, 1961']) {
      setValue(file.dataset, 'ImageComments', text);
      const result = verifyExport(writeDicom(file), [{ kind: 'date', value: '19610412', source: '(0010,0030)' }], []);
      expect(result.ok, text).toBe(false);
    }
    expect(dateSpellings('19610412')).toContain('12 april 1961');
  });

  it('matches whole values and whole UIDs only', () => {
    const { file } = load(path.join(fixtures.pydicom, 'MR_small.dcm'));
    setValue(file.dataset, 'ImageComments', 'Annotation by Annabel; series 1.2.3.45 and 1.2.3.4.5');
    const bytes = writeDicom(file);
    expect(verifyExport(bytes, [{ kind: 'name', value: 'ANN^X', source: '(0010,0010)' }], ['1.2.3.4']).ok).toBe(true);
    expect(verifyExport(bytes, [{ kind: 'name', value: 'Annabel', source: '(0010,0010)' }], []).ok).toBe(false);
    expect(verifyExport(bytes, [], ['1.2.3.45']).ok).toBe(false);
  });

  it('does not fail a name word or an institution found in a device element left as it was', () => {
    const { file } = load(path.join(fixtures.pydicom, 'MR_small.dcm'));
    setValue(file.dataset, 'Manufacturer', 'Philips Medical Systems');
    const patient = [{ kind: 'name' as const, value: 'SMITH^PHILIPS', source: '(0010,0010)' }];
    expect(verifyExport(writeDicom(file), patient, [], { unchanged: new Set(['(0008,0070)']) }).ok).toBe(true);
    // An institution named like its scanner's maker (pydicom's MR_small: TOSHIBA / TOSHIBA_MEC).
    setValue(file.dataset, 'Manufacturer', 'TOSHIBA_MEC');
    file.dataset.delete('00080080');
    const site = [{ kind: 'institution' as const, value: 'TOSHIBA', source: '(0008,0080)' }];
    expect(verifyExport(writeDicom(file), site, [], { unchanged: new Set(['(0008,0070)']) }).ok).toBe(true);
    expect(verifyExport(writeDicom(file), site, []).ok).toBe(false);
    setValue(file.dataset, 'Manufacturer', 'Philips Medical Systems');
    // Not left as it was (e.g. written by the profile), or the whole name: a finding.
    expect(verifyExport(writeDicom(file), patient, []).ok).toBe(false);
    setValue(file.dataset, 'Manufacturer', 'Smith Philips');
    expect(verifyExport(writeDicom(file), patient, [], { unchanged: new Set(['(0008,0070)']) }).ok).toBe(false);
  });

  it('searches all elements at once but never across two of them, and still says where a value is', () => {
    const { file } = load(path.join(fixtures.pydicom, 'MR_small.dcm'));
    const id = [{ kind: 'other' as const, value: 'ZQ17 XR44', source: '(0010,1000)' }];
    setValue(file.dataset, 'StudyDescription', 'Visit ZQ17');
    setValue(file.dataset, 'SeriesDescription', 'XR44 follow-up');
    expect(verifyExport(writeDicom(file), id, []).findings).toEqual([]);
    setValue(file.dataset, 'SeriesDescription', 'follow-up of ZQ17-XR44');
    const found = verifyExport(writeDicom(file), id, []).findings;
    expect(found.filter((f) => f.match === 'element').map((f) => f.where)).toEqual(['(0008,103E)']);
  });

  it('does not search placeholder names ("Last Name^First Name") but still real ones next to them', () => {
    const { file } = load(path.join(fixtures.pydicom, 'MR_small.dcm'));
    setValue(file.dataset, 'ImageComments', 'First Signal Mode; IEC_FIRST_LEVEL');
    const bytes = writeDicom(file);
    const placeholder = [
      { kind: 'physician' as const, value: 'Last Name^First Name', source: '(0008,0090)' },
      { kind: 'physician' as const, value: 'First', source: '(0008,0090)' },
    ];
    expect(verifyExport(bytes, placeholder, []).ok).toBe(true);
    expect(verifyExport(bytes, [{ kind: 'physician', value: 'Signal^Mode', source: '(0008,0090)' }], []).ok).toBe(false);
  });

  it('normalises case, ^, spaces and punctuation', () => {
    expect(normaliseText('Quixby^Zeldora=  ')).toBe('quixby zeldora');
    expect(normaliseText('QUIXBY,  Zeldora')).toBe('quixby zeldora');
  });

  it('reports an unreadable output as a failure', () => {
    const result = verifyExport(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), [], []);
    expect(result.ok).toBe(false);
    expect(result.unreadable).toBeTruthy();
  });
});

describe('verifyExport without false alarms', () => {
  // Found on real data: searching every copy for all patients' names flagged an ECG's
  // waveform samples and a deflated file's compressed bytes (the initials "S R").
  it('passes de-identified ECG and deflated files searched for every pydicom patient', () => {
    const everyone = readdirSync(fixtures.pydicom).flatMap((name) => {
      try {
        return collectIdentifiers(load(path.join(fixtures.pydicom, name)).file).filter((id) => id.kind !== 'date' && id.kind !== 'uid');
      } catch {
        return [];
      }
    });
    for (const name of ['waveform_ecg.dcm', 'image_dfl.dcm']) {
      const { file } = load(path.join(fixtures.pydicom, name));
      const uids = [...instanceUIDs(file.meta), ...instanceUIDs(file.dataset)];
      const out = deidentify(file, defaultProfile, { secret: 'verify-test' });
      const result = verifyExport(writeDicom(out.file), [...collectIdentifiers(file), ...everyone], uids);
      expect({ name, findings: result.findings }).toEqual({ name, findings: [] });
    }
  });

  it('still finds a name written into a deflated file', () => {
    const { file } = load(path.join(fixtures.pydicom, 'image_dfl.dcm'));
    setValue(file.dataset, 'ImageComments', 'seen by Zeldora^Quixby');
    const result = verifyExport(writeDicom(file), [{ kind: 'name', value: 'Zeldora^Quixby', source: '(0010,0010)' }], []);
    expect(result.findings.some((f) => f.where === '(0020,4000)')).toBe(true);
    expect(result.findings.some((f) => f.match === 'raw-ascii')).toBe(true);
  });
});
