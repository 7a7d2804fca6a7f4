import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerRows } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf, corpusFiles } from './corpus';
import { DicomReadError, readDicom } from '../../../shared/dicom';

describe('header rows', () => {
  const rows = headerRows(bytesOf(join(fixtures.pydicom, 'CT_small.dcm')));

  it('lists meta and dataset elements with keywords', () => {
    expect(rows[0].tag).toBe('(0002,0000)');
    const name = rows.find((r) => r.tag === '(0010,0010)')!;
    expect(name).toMatchObject({ vr: 'PN', keyword: 'PatientName', value: 'CompressedSamples^CT1', isPrivate: false });
  });

  it('names the group length of every group (PS3.5 7.2)', () => {
    const echo = headerRows(bytesOf(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')));
    expect(echo.find((r) => r.tag === '(0010,0000)')).toMatchObject({ vr: 'UL', keyword: 'GroupLength', value: '18' });
  });

  it('nests sequence items as children (OtherPatientIDsSequence)', () => {
    const sequence = rows.find((r) => r.keyword === 'OtherPatientIDsSequence')!;
    expect(sequence.children!.map((c) => c.tag)).toEqual(['Item 1', 'Item 2']);
    expect(sequence.children![0].children!.find((r) => r.keyword === 'PatientID')!.value).toBe('ABCD1234');
  });

  it('marks private elements with their creator', () => {
    const privateRow = rows.find((r) => r.tag === '(0009,1001)')!;
    expect(privateRow).toMatchObject({ isPrivate: true, privateCreator: 'GEMS_IDEN_01' });
  });

  it('truncates long binary values', () => {
    const pixels = rows.find((r) => r.tag === '(7FE0,0010)')!;
    expect(pixels.value.length).toBeLessThan(80);
    expect(pixels.value).toContain('32768 bytes');
  });

  it('gives one row per element for every readable corpus file', () => {
    for (const file of corpusFiles().filter((f) => f.isDicomByName)) {
      const bytes = bytesOf(file.path);
      let parsed;
      try {
        parsed = readDicom(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(DicomReadError);
        expect(() => headerRows(bytes)).toThrow(DicomReadError);
        continue;
      }
      const rows = headerRows(bytes);
      expect(rows.length, file.name).toBe(parsed.meta.size + parsed.dataset.size);
      expect(rows.every((r) => typeof r.value === 'string' && r.value.length <= 1200), file.name).toBe(true);
    }
  });
});
