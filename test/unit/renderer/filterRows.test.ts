// The header search on a real file's rows (pydicom CT_small).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerRows } from '../../../shared/dicom';
import { filterRows } from '../../../renderer/header/filterRows';
import { fixtures } from '../../fixtures/paths';

const rows = headerRows(new Uint8Array(readFileSync(join(fixtures.pydicom, 'CT_small.dcm'))));

describe('header search', () => {
  it('an empty query keeps every top-level row, in order', () => {
    const all = filterRows(rows, '  ');
    expect(all.map((m) => m.row)).toEqual(rows);
    expect(all.every((m) => m.within === '')).toBe(true);
  });

  it('finds the patient IDs nested in OtherPatientIDsSequence and says where they sit', () => {
    const matches = filterRows(rows, 'patientid').filter((m) => m.row.tag === '(0010,0020)');
    expect(matches.map((m) => [m.within, m.row.value])).toEqual([
      ['', '1CT1'],
      ['OtherPatientIDsSequence › Item 1', 'ABCD1234'],
      ['OtherPatientIDsSequence › Item 2', '1234ABCD'],
    ]);
  });

  it('matches tags and values case-insensitively and lists each match once, without children', () => {
    const matches = filterRows(rows, '(0010,1002)');
    expect(matches).toHaveLength(1);
    expect(matches[0].row.children).toBeUndefined();
    expect(filterRows(rows, 'gems_pati_01').map((m) => m.row.tag)).toEqual(['(0011,0010)']);
  });
});
