// Icon thumbnails as DicomFile views: the native face photo in octave-dicom's
// simpleImageWithIcon, and the JPEG 2000 palette icon inside nibabel's J2K MR.
// Oracles: dcmdump +W dumps the icon's pixel bytes; GDCM decompresses the J2K icon.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import { Tags } from '../../../shared/dicom';
import { decodeFrame, iconImage, pixelInfo, removeIcon, replaceFrames, toDisplay8 } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { load, workDir } from './oracle';

/** The first pixel data dcmdump +W meets is the icon's (it comes before (7FE0,0010) of the image). */
function dumpedIconBytes(path: string, name: string): Uint8Array {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  execFileSync('dcmdump', ['-q', '+W', dir, path], { stdio: 'ignore' });
  const first = readdirSync(dir).find((n) => n.endsWith('.0.raw'))!;
  return new Uint8Array(readFileSync(join(dir, first)));
}

beforeAll(async () => {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
});

describe('iconImage', () => {
  const withIcon = join(fixtures.octave, 'simpleImageWithIcon.dcm');
  const j2kMr = join(fixtures.nibabel, 'slicethickness_empty_string.dcm');

  it('simpleImageWithIcon: the native 128² MONOCHROME2 face photo, byte for byte as dcmdump dumps it', () => {
    const icon = iconImage(load(withIcon))!;
    expect(icon).not.toBeNull();
    expect(icon.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    const info = pixelInfo(icon);
    expect(info).toMatchObject({ rows: 128, columns: 128, samplesPerPixel: 1, bitsAllocated: 8, photometric: 'MONOCHROME2', frames: 1 });
    const frame = decodeFrame(icon, 0);
    expect(Array.from(frame.data)).toEqual(Array.from(dumpedIconBytes(withIcon, 'icon-native')));
    expect(toDisplay8(frame, info).data.length).toBe(128 * 128);
  });

  it("nibabel's J2K MR: a 64² PALETTE COLOR icon encapsulated in the parent's JPEG 2000, as GDCM decodes it", () => {
    const icon = iconImage(load(j2kMr))!;
    expect(icon.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.90');
    expect(pixelInfo(icon)).toMatchObject({ rows: 64, columns: 64, photometric: 'PALETTE COLOR' });
    const raw = join(workDir, 'nibabel-icon-raw.dcm');
    execFileSync('gdcmconv', ['--raw', j2kMr, raw], { stdio: 'ignore' });
    expect(Array.from(decodeFrame(icon, 0, { raw: true }).data)).toEqual(Array.from(dumpedIconBytes(raw, 'icon-j2k')));
    expect(decodeFrame(icon, 0).photometric).toBe('RGB');
  });

  it('edits through the view land in the parent; its transfer syntax does not change', () => {
    const parent = load(j2kMr);
    const icon = iconImage(parent)!;
    const frame = decodeFrame(icon, 0, { raw: true });
    frame.data.fill(0);
    replaceFrames(icon, [frame]);
    expect(parent.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.90');
    expect(parent.meta.string(Tags.TransferSyntaxUID)).toBe('1.2.840.10008.1.2.4.90');
    const again = iconImage(parent)!;
    expect(again.dataset.get(Tags.PixelData)!.encapsulated).toBeUndefined(); // written native inside the J2K file
    expect(decodeFrame(again, 0, { raw: true }).data.every((v) => v === 0)).toBe(true);
  });

  it('files without an icon give null; removeIcon drops the sequence', () => {
    expect(iconImage(load(join(fixtures.pydicom, 'MR_small.dcm')))).toBeNull();
    const file = load(withIcon);
    expect(removeIcon(file)).toBe(true);
    expect(iconImage(file)).toBeNull();
  });
});
