// Reading a header from the beginning of a file only (`fileSize`): the export's planning
// pass reads a file's first KiB instead of all of it. The same header as a whole-file
// read, or a DicomReadError when the beginning is not enough, never a silently short one.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DicomReadError, readDicom, Tags, writeDicom, writeDicomParts } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf } from './corpus';

const cranium = bytesOf(join(fixtures.craniumDicom, 'CT0050.dcm'));
const tags = (file: ReturnType<typeof readDicom>): string[] => [...file.dataset.elements.keys()];

describe('readDicom with fileSize (the beginning of a file)', () => {
  it('reads the same header from the first 32 KiB of a real CT file as from all of it', () => {
    const whole = readDicom(cranium, { headerOnly: true });
    const start = readDicom(cranium.subarray(0, 32 * 1024), { headerOnly: true, fileSize: cranium.length });
    expect(tags(start)).toEqual(tags(whole));
    expect(start.dataset.string(Tags.PatientName)).toBe('CRANIUM^INVESALIUS');
    expect(start.dataset.get(Tags.PixelData)?.skippedLength).toBe(256 * 256 * 2);
  });

  it('refuses a beginning that ends inside the header, or between two elements before Pixel Data', () => {
    const pixelAt = cranium.length - 256 * 256 * 2;
    for (const cut of [200, 700, pixelAt - 12]) {
      expect(() => readDicom(cranium.subarray(0, cut), { headerOnly: true, fileSize: cranium.length }), String(cut)).toThrow(DicomReadError);
    }
  });

  it('still finds truncated pixel data: the file size is checked against the length Pixel Data announces', () => {
    const start = cranium.subarray(0, 32 * 1024);
    expect(() => readDicom(start, { headerOnly: true, fileSize: cranium.length - 1 })).toThrow(/pixel data/);
  });

  it('refuses part of a deflated dataset (it cannot be inflated in part)', () => {
    const deflated = bytesOf(join(fixtures.pydicom, 'image_dfl.dcm'));
    expect(() => readDicom(deflated.subarray(0, 2048), { headerOnly: true, fileSize: deflated.length })).toThrow(DicomReadError);
  });
});

describe('writeDicomParts', () => {
  it('is writeDicom in pieces, with the pixel data handed over uncopied', () => {
    const file = readDicom(cranium);
    const parts = writeDicomParts(file);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) {
      joined.set(part, at);
      at += part.length;
    }
    expect(joined).toEqual(writeDicom(file));
    expect(parts).toContain(file.dataset.get(Tags.PixelData)!.bytes);
  });
});
