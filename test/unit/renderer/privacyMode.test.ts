// What privacy mode hides, on a real header: CT_small (pydicom) has a name,
// IDs nested in a sequence, dates, UIDs and 179 private elements.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { headerRows, type HeaderRow } from '../../../shared/dicom';
import { isIdentifyingElement } from '../../../renderer/review/identifying';
import { fixtures } from '../../fixtures/paths';

const rows = headerRows(new Uint8Array(readFileSync(path.join(fixtures.pydicom, 'CT_small.dcm'))));
const flat = (list: readonly HeaderRow[]): HeaderRow[] => list.flatMap((row) => [row, ...flat(row.children ?? [])]);
const elements = flat(rows).filter((row) => row.tag.startsWith('('));
const hidden = (keyword: string) => {
  const row = elements.find((r) => r.keyword === keyword);
  if (!row) throw new Error(`no ${keyword}`);
  return isIdentifyingElement(row.tag, row.vr, row.isPrivate);
};

describe('isIdentifyingElement on CT_small', () => {
  it('hides the name, IDs (nested ones too), dates, UIDs, institution and every private element', () => {
    for (const keyword of ['PatientName', 'PatientID', 'StudyDate', 'SOPInstanceUID', 'InstitutionName', 'PatientBirthDate']) expect(hidden(keyword), keyword).toBe(true);
    const nestedIds = elements.filter((r) => r.keyword === 'PatientID' && r.depth > 0);
    expect(nestedIds.length).toBe(2);
    for (const row of nestedIds) expect(isIdentifyingElement(row.tag, row.vr, row.isPrivate)).toBe(true);
    const privates = elements.filter((r) => r.isPrivate);
    expect(privates.length).toBeGreaterThan(100);
    for (const row of privates) expect(isIdentifyingElement(row.tag, row.vr, row.isPrivate)).toBe(true);
  });

  it('leaves what describes the image, not the person', () => {
    for (const keyword of ['Modality', 'Rows', 'Columns', 'BitsAllocated', 'SliceThickness', 'PixelSpacing']) expect(hidden(keyword), keyword).toBe(false);
  });
});
