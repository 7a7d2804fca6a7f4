// Write-back for redaction: unchanged frames give identical bytes; compressed
// inputs are rewritten natively or as RLE that dcmtk decodes to the same values.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tags, writeDicom, type DicomFile } from '../../../shared/dicom';
import { decodeFrame, pixelInfo, replaceFrames, RleLossless, type Frame } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { dcmtkNative, load, workDir } from './oracle';

const py = (name: string): string => join(fixtures.pydicom, name);

function allFrames(file: DicomFile): Frame[] {
  const info = pixelInfo(file);
  return Array.from({ length: info.frames }, (_, f) => decodeFrame(file, f, { raw: true }, info));
}

describe('replaceFrames with unchanged frames', () => {
  const natives = [
    py('MR_small.dcm'),
    py('MR_small_bigendian.dcm'),
    py('SC_rgb_small_odd.dcm'),
    py('rtdose_expb.dcm'),
    py('liver_expb_1frame.dcm'),
    join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'),
    join(fixtures.nibabel, 'philips_mprage.dcm'),
  ];
  for (const path of natives) {
    it(`${path.split('/').pop()}: identical pixel bytes and file`, () => {
      const original = load(path);
      const before = original.dataset.get(Tags.PixelData)!.bytes.slice();
      const whole = writeDicom(original);
      const file = load(path);
      expect(replaceFrames(file, allFrames(file))).toBe(original.transferSyntaxUID);
      expect(Buffer.from(file.dataset.get(Tags.PixelData)!.bytes).equals(Buffer.from(before))).toBe(true);
      expect(Buffer.from(writeDicom(file)).equals(Buffer.from(whole))).toBe(true);
    });
  }

  for (const [name, rle] of [['native', false], ['RLE', true]] as const) {
    it(`US-PAL echo (RLE, 10 frames) rewritten as ${name}: dcmtk reads the same values`, () => {
      const path = join(fixtures.octave, 'US-PAL-8-10x-echo.dcm');
      const file = load(path);
      const frames = allFrames(file);
      const syntax = replaceFrames(file, frames, { rle });
      expect(syntax).toBe(rle ? RleLossless : '1.2.840.10008.1.2.1');
      const out = join(workDir, `us-pal-${name}.dcm`);
      writeFileSync(out, writeDicom(file));
      const ours = dcmtkNative(out, rle);
      const theirs = dcmtkNative(path, true);
      expect(Buffer.from(ours.pixels).equals(Buffer.from(theirs.pixels))).toBe(true);
      expect(pixelInfo(ours.file).frames).toBe(10);
    });
  }

  it('SC_rgb_rle_16bit_2frame re-encoded as RLE decodes to the same samples', () => {
    const file = load(py('SC_rgb_rle_16bit_2frame.dcm'));
    const frames = allFrames(file);
    replaceFrames(file, frames, { rle: true });
    const again = allFrames(load(writeDicomPath(file, 'rgb16.dcm')));
    frames.forEach((f, i) => expect(Array.from(again[i]!.data)).toEqual(Array.from(f.data)));
  });

  it('SC_ybr_full_422 (native) is written back as YBR_FULL and shows the same RGB', () => {
    const path = py('SC_ybr_full_422_uncompressed.dcm');
    const before = decodeFrame(load(path), 0);
    const file = load(path);
    replaceFrames(file, allFrames(file));
    const again = load(writeDicomPath(file, 'ybr.dcm'));
    expect(pixelInfo(again).photometric).toBe('YBR_FULL');
    expect(Array.from(decodeFrame(again, 0).data)).toEqual(Array.from(before.data));
  });

  it('a redaction (box filled with 0) lands only inside the box', () => {
    const file = load(py('MR_small.dcm'));
    const info = pixelInfo(file);
    const frame = decodeFrame(file, 0, { raw: true }, info);
    const edited = frame.data.slice();
    for (let r = 10; r < 20; r++) edited.fill(0, r * info.columns + 5, r * info.columns + 30);
    replaceFrames(file, [edited]);
    const back = decodeFrame(load(writeDicomPath(file, 'redacted.dcm')), 0, { raw: true });
    for (let i = 0; i < back.data.length; i++) {
      const r = Math.floor(i / info.columns);
      const c = i % info.columns;
      const inside = r >= 10 && r < 20 && c >= 5 && c < 30;
      expect(back.data[i]).toBe(inside ? 0 : frame.data[i]);
    }
  });
});

function writeDicomPath(file: DicomFile, name: string): string {
  const out = join(workDir, name);
  writeFileSync(out, writeDicom(file));
  return out;
}

describe('speed', () => {
  it('decodes CT frames and renders them to 8 bits in a few ms per 512²', async () => {
    const { readdirSync } = await import('node:fs');
    const names = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort().slice(0, 20);
    const files = names.map((n) => load(join(fixtures.craniumDicom, n)));
    const info = pixelInfo(files[0]!);
    const scale = (512 * 512) / (info.rows * info.columns); // per 512² frame
    const { toDisplay8 } = await import('../../../shared/pixels');
    for (const f of files.slice(0, 3)) toDisplay8(decodeFrame(f, 0), info); // warm up
    let t = performance.now();
    for (const f of files) decodeFrame(f, 0);
    const decodeMs = ((performance.now() - t) / files.length) * scale;
    const frames = files.map((f) => decodeFrame(f, 0));
    t = performance.now();
    for (const fr of frames) toDisplay8(fr, info);
    const displayMs = ((performance.now() - t) / files.length) * scale;
    const rleFile = load(py('MR_small_RLE.dcm'));
    t = performance.now();
    for (let i = 0; i < 50; i++) decodeFrame(rleFile, 0);
    const rleMsPer512 = ((performance.now() - t) / 50) * ((512 * 512) / (64 * 64));
    console.log(`pixels (Cranium ${info.columns}×${info.rows}, scaled): native decode ${decodeMs.toFixed(2)} ms, toDisplay8 ${displayMs.toFixed(2)} ms per 512² frame; RLE ≈ ${rleMsPer512.toFixed(2)} ms per 512² (scaled from 64²)`);
    expect(decodeMs).toBeLessThan(50);
    expect(displayMs).toBeLessThan(50);
  });
});
