// DICOMDIR records and referenced files on pydicom's dicomdirtests.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DicomReadError, dicomdirFileIds, dicomdirRecords, isDicomdir, Tags } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf } from './corpus';

const dir = join(fixtures.pydicom, 'dicomdirtests');
const bytes = (name: string) => bytesOf(join(dir, name));

describe('DICOMDIR', () => {
  it('recognises DICOMDIRs and only them', () => {
    for (const name of ['DICOMDIR', 'DICOMDIR-bigEnd', 'DICOMDIR-implicit', 'DICOMDIR-reordered', 'TINY_ALPHA/DICOMDIR']) {
      expect(isDicomdir(bytes(name)), name).toBe(true);
    }
    expect(isDicomdir(bytesOf(join(fixtures.pydicom, 'CT_small.dcm')))).toBe(false);
    expect(isDicomdir(new Uint8Array(0))).toBe(false);
  });

  it('lists 31 referenced files that all exist, in every encoding', () => {
    const reference = dicomdirFileIds(bytes('DICOMDIR'));
    expect(reference.length).toBe(31);
    for (const id of reference) expect(existsSync(join(dir, ...id)), id.join('/')).toBe(true);
    expect(dicomdirFileIds(bytes('DICOMDIR-bigEnd'))).toEqual(reference);
    expect(dicomdirFileIds(bytes('DICOMDIR-implicit'))).toEqual(reference);
  });

  it('builds the patient/study/series/image tree from record offsets, also when reordered', () => {
    const shape = (name: string) =>
      dicomdirRecords(bytes(name)).map((p) => [p.dataset.string(Tags.PatientID), p.children.length, p.children.flatMap((s) => s.children).length]);
    expect(shape('DICOMDIR')).toEqual([
      ['77654033', 2, 4],
      ['98890234', 4, 9],
    ]);
    for (const variant of ['DICOMDIR-reordered', 'DICOMDIR-implicit', 'DICOMDIR-bigEnd']) expect(shape(variant), variant).toEqual(shape('DICOMDIR'));
    const images = dicomdirRecords(bytes('DICOMDIR')).flatMap((p) => p.children.flatMap((s) => s.children.flatMap((se) => se.children)));
    expect(images.every((i) => i.fileId && i.fileId.length > 0)).toBe(true);
  });

  it('refuses an empty or corrupt DICOMDIR with a DicomReadError', () => {
    expect(() => dicomdirFileIds(new Uint8Array(0))).toThrow(DicomReadError);
    expect(() => dicomdirFileIds(bytes('DICOMDIR').subarray(0, 2000))).toThrow(DicomReadError);
    expect(() => dicomdirFileIds(bytes('DICOMDIR-nooffset'))).toThrow(DicomReadError);
    expect(dicomdirFileIds(bytes('DICOMDIR-empty.dcm'))).toEqual([]);
  });
});
