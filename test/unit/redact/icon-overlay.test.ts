// redactFile beyond the main pixels: the face photo in simpleImageWithIcon's icon,
// and nibabel's J2K MR with a J2K palette icon and a real graphics overlay.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import { Tags } from '../../../shared/dicom';
import { decodeFrame, frameFragment, iconImage, overlayMask, overlayPlanes, RleLossless, unregisterFrameEncoder } from '../../../shared/pixels';
import { redactFile } from '../../../shared/redact';
import { fixtures } from '../../fixtures/paths';
import { box, expectFilled, load, rawFrames, referenceDecode, save } from './oracle';

const withIcon = join(fixtures.octave, 'simpleImageWithIcon.dcm');
const j2kMr = join(fixtures.nibabel, 'slicethickness_empty_string.dcm');
const J2k = '1.2.840.10008.1.2.4.90';

beforeAll(async () => {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
});

describe('the icon', () => {
  it('icon boxes black out the face in the thumbnail; the image itself keeps every byte', () => {
    const input = load(withIcon);
    const iconBefore = rawFrames(iconImage(input)!);
    const boxes = [box(30, 20, 70, 90, 0, 'icon')];
    const r = redactFile(input, boxes);
    expect(r.changedFrames).toBe(0);
    expect(r.note).toMatch(/icon: boxes filled/);
    const path = save(r.file, 'icon-redacted.dcm');
    const out = load(path);
    const iconAfter = rawFrames(iconImage(out)!);
    let min = 255;
    for (const v of iconBefore[0]!.data) min = Math.min(min, v);
    expectFilled(iconBefore, iconAfter, boxes, [min]);
    expect(Buffer.from(out.dataset.get(Tags.PixelData)!.bytes).equals(Buffer.from(input.dataset.get(Tags.PixelData)!.bytes))).toBe(true);
    // dcmtk reads the file and finds the icon as Veil wrote it.
    const ref = referenceDecode(path);
    expect(Array.from(rawFrames(iconImage(ref.file)!)[0]!.data)).toEqual(Array.from(iconAfter[0]!.data));
  });

  it('pixel boxes without icon boxes remove the icon (it showed the unredacted picture)', () => {
    const r = redactFile(load(withIcon), [box(0, 0, 128, 40)]);
    expect(iconImage(r.file)).toBeNull();
    expect(r.note).toMatch(/icon thumbnail removed/);
    const kept = redactFile(load(withIcon), [box(0, 0, 128, 40)], { icon: 'keep' });
    expect(Array.from(decodeFrame(iconImage(kept.file)!, 0).data)).toEqual(Array.from(decodeFrame(iconImage(load(withIcon))!, 0).data));
    expect(iconImage(redactFile(load(withIcon), [], { icon: 'remove' }).file)).toBeNull();
  });
});

describe("nibabel's J2K MR with a palette icon and a graphics overlay", () => {
  it('a pixel box: J2K kept, the overlay cleared under it, the icon removed, GDCM reads the same values', () => {
    const input = load(j2kMr);
    const before = rawFrames(input);
    const [plane] = overlayPlanes(input);
    const maskBefore = overlayMask(input, plane!);
    const boxes = [box(0, 0, 384, 50)];
    const r = redactFile(input, boxes);
    expect(r.transferSyntaxUID).toBe(J2k);
    expect(r.note).toMatch(/overlay 6000: bits cleared/);
    const path = save(r.file, 'nibabel-redacted.dcm');
    const out = load(path);
    const after = rawFrames(out);
    expectFilled(before, after, boxes, [after[0]!.data[0]!]);
    const ref = rawFrames(referenceDecode(path).file);
    expect(Array.from(ref[0]!.data)).toEqual(Array.from(after[0]!.data));
    const maskAfter = overlayMask(out, overlayPlanes(out)[0]!);
    for (let i = 0; i < maskAfter.length; i++) expect(maskAfter[i]).toBe(i < 384 * 50 ? 0 : maskBefore[i]);
    expect(maskBefore.subarray(0, 384 * 50).some((v) => v === 1) || maskAfter.some((v) => v === 1)).toBe(true);
    expect(iconImage(out)).toBeNull();
  });

  it('an overlay box clears only the overlay: pixel fragments unchanged', () => {
    const input = load(j2kMr);
    const r = redactFile(input, [box(100, 100, 200, 200, 0, 'overlay-6000')]);
    expect(r.changedFrames).toBe(0);
    const a = input.dataset.get(Tags.PixelData)!.encapsulated!;
    const b = r.file.dataset.get(Tags.PixelData)!.encapsulated!;
    expect(Buffer.from(frameFragment(b, 0, 1)).equals(Buffer.from(frameFragment(a, 0, 1)))).toBe(true);
    const mask = overlayMask(r.file, overlayPlanes(r.file)[0]!);
    for (let y = 100; y < 300; y++) for (let x = 100; x < 300; x++) expect(mask[y * 384 + x]).toBe(0);
  });

  describe('without a J2K encoder', () => {
    beforeAll(() => unregisterFrameEncoder(J2k));
    afterAll(async () => {
      await registerNodeEncoders();
    });

    it('the image is written as RLE and a kept J2K icon is re-encoded as RLE with it', () => {
      const input = load(j2kMr);
      const iconBefore = rawFrames(iconImage(input)!);
      const boxes = [box(10, 10, 50, 50)];
      const r = redactFile(input, boxes, { icon: 'keep' });
      expect(r.transferSyntaxUID).toBe(RleLossless);
      expect(r.note).toMatch(/JPEG 2000 Lossless in, written as RLE Lossless/);
      expect(r.note).toMatch(/icon re-encoded as RLE Lossless/);
      const path = save(r.file, 'nibabel-rle.dcm');
      const out = load(path);
      const icon = iconImage(out)!;
      expect(icon.transferSyntaxUID).toBe(RleLossless);
      expect(Array.from(rawFrames(icon)[0]!.data)).toEqual(Array.from(iconBefore[0]!.data));
      expectFilled(rawFrames(input), rawFrames(out), boxes, [rawFrames(out)[0]!.data[10 * 384 + 10]!]);
      execFileSync('dcmdump', ['-q', path], { stdio: 'ignore' }); // dcmtk parses the nested RLE icon
    });
  });
});
