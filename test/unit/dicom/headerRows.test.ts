import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerRows } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf } from './corpus';

describe('header rows', () => {
  const rows = headerRows(bytesOf(join(fixtures.pydicom, 'CT_small.dcm')));

  it('lists meta and dataset elements with keywords', () => {
    expect(rows[0].tag).toBe('(0002,0000)');
    const name = rows.find((r) => r.tag === '(0010,0010)')!;
    expect(name).toMatchObject({ vr: 'PN', keyword: 'PatientName', value: 'CompressedSamples^CT1', isPrivate: false });
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
});
