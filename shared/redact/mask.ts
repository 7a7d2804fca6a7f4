// A fill by pixel mask instead of boxes: given stored values for the masked
// pixels of some frames (the defacing of a head volume), written back with the
// same lossless rules as `redactFile` — native bytes edited only under the
// mask, compressed frames re-encoded in their own syntax when Veil can, else
// the fallback, never a second lossy encode. Grey images only.
import { DataElement, setValue, Tags, TransferSyntax, type DicomFile } from '../dicom';
import {
  decodeFrame,
  encodeFrame,
  frameBits,
  frameFragment,
  IconImageSequence,
  isNativeSyntax,
  pixelInfo,
  removeIcon,
  replaceFrames,
  RleLossless,
  setEncapsulatedFrames,
  syntaxName,
  type PixelArray,
  type PixelInfo,
} from '../pixels';
import { allFrames, asStored, cloneFile, LossyImageCompression, targetSyntax, widenPixelRange, type RedactOptions, type RedactResult } from './fill';

export interface MaskFill {
  frame: number;
  /** rows × columns, 1 = write this pixel. */
  mask: Uint8Array;
  /** Stored value: one for every masked pixel, or one per masked pixel in pixel order. */
  value: number | ArrayLike<number>;
}

function valueAt(fill: MaskFill, n: number): number {
  return typeof fill.value === 'number' ? fill.value : fill.value[n]!;
}

function range(fills: ReadonlyArray<MaskFill>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const f of fills) {
    const values = typeof f.value === 'number' ? [f.value] : f.value;
    for (let n = 0; n < values.length; n++) {
      if (values[n]! < min) min = values[n]!;
      if (values[n]! > max) max = values[n]!;
    }
  }
  return { min, max };
}

function writeValues(data: PixelArray, fill: MaskFill): number {
  let n = 0;
  for (let p = 0; p < fill.mask.length; p++) if (fill.mask[p]) data[p] = valueAt(fill, n++);
  return n;
}

/** Native data: the stored words written into a copy of the bytes, under the mask only. */
function fillNativeMask(file: DicomFile, info: PixelInfo, fills: ReadonlyArray<MaskFill>): void {
  const el = file.dataset.get(Tags.PixelData)!;
  const le = file.dataset.littleEndian;
  const bytes = el.bytes.slice();
  const bytesPer = info.bitsAllocated / 8;
  const frameBytes = frameBits(info) / 8;
  const swap8 = !le && bytesPer === 1 && el.vr === 'OW' ? 1 : 0; // 8-bit OW under big endian (PS3.5 8.2)
  const shift = info.highBit + 1 - info.bitsStored;
  const bitMask = info.bitsStored >= 32 ? 0xffffffff : 2 ** info.bitsStored - 1;
  for (const fill of fills) {
    const start = fill.frame * frameBytes;
    let n = 0;
    for (let p = 0; p < fill.mask.length; p++) {
      if (!fill.mask[p]) continue;
      const word = ((valueAt(fill, n++) & bitMask) * 2 ** shift) >>> 0;
      const at = start + p * bytesPer;
      for (let b = 0; b < bytesPer; b++) bytes[(at + b) ^ swap8] = (word >>> (8 * (le ? b : bytesPer - 1 - b))) & 0xff;
    }
  }
  file.dataset.set(new DataElement(Tags.PixelData, el.vr, bytes));
}

/**
 * Writes `fills` (stored values under per-frame pixel masks) into a copy of
 * `file`. The icon thumbnail is removed once pixels changed (it shows the
 * unfilled picture) unless `icon: 'keep'`. Overlays are left as they are.
 */
export function redactMask(file: DicomFile, fills: ReadonlyArray<MaskFill>, options: RedactOptions = {}): RedactResult {
  const out = cloneFile(file);
  const info = pixelInfo(out);
  if (info.samplesPerPixel !== 1 || info.bitsAllocated < 8) throw new Error(`mask fill needs grey pixels of 8 bits or more (${info.photometric}, ${info.bitsAllocated} bits)`);
  const plane = info.rows * info.columns;
  const wanted = fills.filter((f) => f.frame >= 0 && f.frame < info.frames && f.mask.length === plane && f.mask.includes(1));
  if (fills.some((f) => f.mask.length !== plane)) throw new Error(`a mask is not rows × columns (${info.rows} × ${info.columns})`);
  const changed = [...new Set(wanted.map((f) => f.frame))].sort((a, b) => a - b);
  if (!changed.length) return { file: out, transferSyntaxUID: out.transferSyntaxUID, note: 'nothing to fill', changedFrames: 0 };
  const { min, max } = range(wanted);
  widenPixelRange(out, info, info.photometric, [min]);
  widenPixelRange(out, info, info.photometric, [max]);
  const byFrame = new Map<number, MaskFill[]>();
  for (const f of wanted) byFrame.set(f.frame, [...(byFrame.get(f.frame) ?? []), f]);
  const source = out.transferSyntaxUID;
  const counted = `${changed.length} of ${info.frames} frame(s) filled under a mask`;
  const notes: string[] = [];
  if (isNativeSyntax(source)) {
    fillNativeMask(out, info, wanted);
    notes.push(`${syntaxName(source)} kept (stored values edited under the mask only); ${counted}`);
  } else {
    const fallback = options.fallback === 'explicit-le' ? TransferSyntax.ExplicitVRLittleEndian : RleLossless;
    const plan = targetSyntax(source, info, fallback);
    if (plan.target === source) {
      const enc = out.dataset.get(Tags.PixelData)!.encapsulated!;
      const fragments: Uint8Array[] = [];
      for (let f = 0; f < info.frames; f++) {
        const own = byFrame.get(f);
        if (!own) {
          fragments.push(frameFragment(enc, f, info.frames));
          continue;
        }
        const frame = asStored(decodeFrame(out, f, { raw: true }, info));
        for (const fill of own) writeValues(frame.data, fill);
        fragments.push(encodeFrame(frame.data, { ...info, planarConfiguration: 0 }, source));
      }
      setEncapsulatedFrames(out, fragments, source);
      notes.push(`${plan.why}: ${counted} and re-encoded`);
    } else {
      const frames = allFrames(out, info);
      for (const [f, own] of byFrame) for (const fill of own) writeValues(frames[f]!.data, fill);
      replaceFrames(out, frames, { transferSyntaxUID: plan.target });
      if (plan.lossy && out.dataset.string(LossyImageCompression) !== '01') setValue(out.dataset, LossyImageCompression, '01', 'CS');
      notes.push(`${plan.why}; ${counted}`);
    }
  }
  if (out.dataset.has(IconImageSequence) && options.icon !== 'keep') {
    removeIcon(out);
    notes.push('icon thumbnail removed (it showed the unfilled picture)');
  }
  return { file: out, transferSyntaxUID: out.transferSyntaxUID, note: notes.join('; '), changedFrames: changed.length };
}
