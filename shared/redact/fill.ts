// The redaction fill: black boxes written into the pixels, the icon thumbnail and the
// overlay planes, losslessly. Native data is edited byte by byte inside the boxes only;
// compressed data is decoded, filled and re-encoded in its own syntax when Veil has a
// lossless encoder for it, else written as RLE Lossless (or Explicit VR LE) — never lossy.
import { DataElement, Dataset, setValue, Tags, TransferSyntax, type DicomFile } from '../dicom';
import {
  canEncode,
  clearOverlayBoxes,
  decodeFrame,
  encodeFrame,
  frameBits,
  frameFragment,
  IconImageSequence,
  iconImage,
  isNativeSyntax,
  overlayPlanes,
  pixelInfo,
  removeIcon,
  replaceFrames,
  RleLossless,
  setEncapsulatedFrames,
  syntaxName,
  type Frame,
  type OverlayBox,
  type PixelArray,
  type PixelInfo,
} from '../pixels';
import { exactMemory, pixelDescription, type ExactMemory } from '../detect';
import { blackSamples } from './black';
import type { PixelBox, RedactionBox } from './plan';

export interface RedactOptions {
  /** Compressed input Veil cannot write back in its own syntax: RLE Lossless (default) or Explicit VR Little Endian. */
  fallback?: 'rle' | 'explicit-le';
  /**
   * The icon thumbnail once pixel boxes were filled. 'auto' (default): removed — a thumbnail of
   * the unredacted picture would show what the boxes hide (PS3.15 E.1-1 lists it X) — unless
   * icon boxes were given, which are filled instead. 'keep': only icon boxes are filled.
   */
  icon?: 'auto' | 'keep' | 'remove';
  /** Also clear overlay bits under pixel boxes (default true): overlays are drawn on top. */
  overlaysFollowPixels?: boolean;
  /** Fills made before (see `fillMemory`): the same stored bytes under the same boxes are not decoded and encoded again. */
  memory?: FillMemory;
}

/** A filled frame (encapsulated) or all of Pixel Data (native), and the black it was filled with. */
export interface Filled {
  bytes: Uint8Array;
  photometric: string;
  black: number[];
}

export type FillMemory = ExactMemory<Filled>;

/**
 * Fills remembered by the exact input: syntax, group 0028 (palettes, windows: black depends
 * on them), the boxes and the stored bytes. Copies of a study and cine frames repeat them.
 */
export const fillMemory = (maxBytes = 32 << 20): FillMemory => exactMemory<Filled>(maxBytes);

export interface RedactResult {
  /** A new DicomFile: the input's elements are shared, never modified. */
  file: DicomFile;
  /** Transfer syntax of the output. */
  transferSyntaxUID: string;
  /** Which syntax was written and why; what happened to the icon and overlays. */
  note: string;
  /** Frames of Pixel Data where at least one box covered part of the image. */
  changedFrames: number;
}

export const losslessEncapsulated = new Set([
  RleLossless,
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
]);
export const LossyImageCompression = '00282110';

/**
 * Fill `boxes` (those with `redact`) in black, each in its picture: 'pixels' boxes in image
 * pixels and frames ('all' = every frame), 'icon' boxes in the icon, 'overlay-60xx' boxes in
 * that overlay's pixels and frames. Boxes are clipped to their picture.
 */
export function redactFile(file: DicomFile, boxes: ReadonlyArray<RedactionBox>, options: RedactOptions = {}): RedactResult {
  const out = cloneFile(file);
  const wanted = boxes.filter((b) => b.redact);
  const pixelBoxes = wanted.filter((b) => b.image === 'pixels');
  const iconBoxes = wanted.filter((b) => b.image === 'icon');
  const notes: string[] = [];
  const fallback = options.fallback === 'explicit-le' ? TransferSyntax.ExplicitVRLittleEndian : RleLossless;

  const sourceSyntax = out.transferSyntaxUID;
  const pixels = pixelBoxes.length ? fillPixels(out, pixelBoxes, fallback, undefined, options.memory) : { changed: [] as number[], note: '' };
  if (pixels.note) notes.push(pixels.note);

  for (const plane of overlayPlanes(out)) {
    const own: OverlayBox[] = wanted.filter((b) => b.image === `overlay-${plane.id}`);
    if (options.overlaysFollowPixels !== false && !plane.embedded) own.push(...pixelBoxesOnOverlay(pixelBoxes, plane, pixelInfo(out).frames));
    if (!own.length) continue;
    if (plane.embedded && !isNativeSyntax(out.transferSyntaxUID)) {
      notes.push(`overlay ${plane.id} is embedded in compressed pixel data: its bits were dropped with the re-encode`);
      continue;
    }
    const frames = clearOverlayBoxes(out, plane, own);
    if (frames.length) notes.push(`overlay ${plane.id}: bits cleared in ${frames.length} frame(s)`);
  }

  const policy = options.icon ?? 'auto';
  if (out.dataset.has(IconImageSequence)) {
    if (policy === 'remove' || (policy === 'auto' && pixels.changed.length && !iconBoxes.length)) {
      removeIcon(out);
      notes.push('icon thumbnail removed (it showed the unredacted picture)');
    } else {
      notes.push(...redactIcon(out, iconBoxes, sourceSyntax));
    }
  }
  return { file: out, transferSyntaxUID: out.transferSyntaxUID, note: notes.join('; ') || 'nothing to fill', changedFrames: pixels.changed.length };
}

function cloneDataset(source: Dataset): Dataset {
  const copy = new Dataset(source.littleEndian);
  for (const el of source) copy.set(el);
  copy.parent = source.parent;
  copy.undefinedLength = source.undefinedLength;
  return copy;
}

export function cloneFile(file: DicomFile): DicomFile {
  return { preamble: file.preamble, meta: cloneDataset(file.meta), dataset: cloneDataset(file.dataset), transferSyntaxUID: file.transferSyntaxUID };
}

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Boxes per frame, clipped to columns × rows (fractional edges round outwards). */
function rectsByFrame(boxes: ReadonlyArray<PixelBox & { frame: number | 'all' }>, columns: number, rows: number, frames: number): Map<number, Rect[]> {
  const byFrame = new Map<number, Rect[]>();
  for (const box of boxes) {
    const rect = {
      x0: Math.max(0, Math.floor(box.x)),
      y0: Math.max(0, Math.floor(box.y)),
      x1: Math.min(columns, Math.ceil(box.x + box.width)),
      y1: Math.min(rows, Math.ceil(box.y + box.height)),
    };
    if (rect.x1 <= rect.x0 || rect.y1 <= rect.y0) continue;
    const list = box.frame === 'all' ? Array.from({ length: frames }, (_, f) => f) : [box.frame];
    for (const f of list) {
      if (!Number.isInteger(f) || f < 0 || f >= frames) continue;
      byFrame.set(f, [...(byFrame.get(f) ?? []), rect]);
    }
  }
  return byFrame;
}

function fillValues(data: PixelArray, columns: number, samples: number, rects: Rect[], black: number[]): void {
  for (const r of rects) {
    for (let y = r.y0; y < r.y1; y++) {
      for (let x = r.x0; x < r.x1; x++) {
        const at = (y * columns + x) * samples;
        for (let s = 0; s < samples; s++) data[at + s] = black[s]!;
      }
    }
  }
}

/** J2K colour comes out of openjpeg already converted from YBR_RCT/ICT to RGB. */
export function asStored(frame: Frame): Frame {
  return frame.photometric === 'YBR_RCT' || frame.photometric === 'YBR_ICT' ? { ...frame, photometric: 'RGB' } : frame;
}

/** Where encapsulated `source` is written: itself when Veil can encode it losslessly, else `fallback`. */
export function targetSyntax(source: string, info: PixelInfo, fallback: string): { target: string; why: string; lossy: boolean } {
  const name = syntaxName(source);
  if (!losslessEncapsulated.has(source)) {
    return { target: fallback, lossy: true, why: `${name} is lossy: written as ${syntaxName(fallback)} rather than compressed lossy a second time; Lossy Image Compression stays 01` };
  }
  if (canEncode(source, info)) return { target: source, lossy: false, why: `${name} kept (lossless encoder available)` };
  return { target: fallback, lossy: false, why: `${name} in, written as ${syntaxName(fallback)}: no lossless ${name} encoder here for this image` };
}

/**
 * Fill the boxes into `file`'s pixels (in place on the clone). Returns the frames changed and a
 * note. `encapsulatedTarget` forces the syntax of a re-encode (for an icon following its parent).
 */
function fillPixels(
  file: DicomFile,
  boxes: ReadonlyArray<RedactionBox>,
  fallback: string,
  encapsulatedTarget?: string,
  memory?: FillMemory,
): { changed: number[]; note: string } {
  const info = pixelInfo(file);
  // Stated before any fill widens the pixel range: what `info` was read from.
  const described = memory ? pixelDescription(file, `fill:${fallback}:${encapsulatedTarget ?? ''}`) : undefined;
  const keyOf = (rects: unknown, bytes: Uint8Array): Uint8Array[] | undefined =>
    described && [described, new TextEncoder().encode(JSON.stringify(rects)), bytes];
  const byFrame = rectsByFrame(boxes, info.columns, info.rows, info.frames);
  const changed = [...byFrame.keys()].sort((a, b) => a - b);
  const source = file.transferSyntaxUID;
  const counted = `${changed.length} of ${info.frames} frame(s) filled`;
  if (!changed.length) return { changed, note: 'no box covers the image' };
  if (isNativeSyntax(source)) {
    if (info.bitsAllocated === 1 || info.photometric === 'YBR_FULL_422') {
      // Frames not byte-aligned, or chroma shared by pixel pairs: rewrite every frame.
      const frames = allFrames(file, info);
      fillFrames(file, info, frames, byFrame);
      replaceFrames(file, frames);
      return { changed, note: `${syntaxName(source)} kept (${info.photometric === 'YBR_FULL_422' ? 'written as YBR_FULL' : 'all frames rewritten'}); ${counted}` };
    }
    fillNative(file, info, byFrame, memory && keyOf([...byFrame], file.dataset.get(Tags.PixelData)!.bytes), memory);
    return { changed, note: `${syntaxName(source)} kept (stored values edited inside the boxes only); ${counted}` };
  }
  const plan = encapsulatedTarget
    ? { target: encapsulatedTarget, lossy: !losslessEncapsulated.has(source), why: `follows the image as ${syntaxName(encapsulatedTarget)}` }
    : targetSyntax(source, info, fallback);
  if (plan.target === source) {
    // Same syntax: only the filled frames are re-encoded; the others keep their bytes.
    const enc = file.dataset.get(Tags.PixelData)!.encapsulated!;
    const fragments: Uint8Array[] = [];
    for (let f = 0; f < info.frames; f++) {
      if (!byFrame.has(f)) {
        fragments.push(frameFragment(enc, f, info.frames));
        continue;
      }
      const key = memory && keyOf(byFrame.get(f), frameFragment(enc, f, info.frames));
      const known = key && memory?.get(key);
      if (known) {
        widenPixelRange(file, info, known.photometric, known.black);
        fragments.push(known.bytes.slice());
        continue;
      }
      const frame = asStored(decodeFrame(file, f, { raw: true }, info));
      const black = fillFrames(file, info, [frame], new Map([[0, byFrame.get(f)!]]));
      const encoded = encodeFrame(frame.data, { ...info, planarConfiguration: 0 }, source);
      if (key) memory?.set(key, { bytes: encoded.slice(), photometric: frame.photometric, black: black.get(frame.photometric)! }, encoded.length);
      fragments.push(encoded);
    }
    setEncapsulatedFrames(file, fragments, source);
    const copied = info.frames - changed.length;
    return { changed, note: `${plan.why}: ${counted} and re-encoded${copied ? `, the other ${copied} copied byte for byte` : ''}` };
  }
  const frames = allFrames(file, info);
  fillFrames(file, info, frames, byFrame);
  replaceFrames(file, frames, { transferSyntaxUID: plan.target });
  if (plan.lossy && file.dataset.string(LossyImageCompression) !== '01') setValue(file.dataset, LossyImageCompression, '01', 'CS');
  return { changed, note: `${plan.why}; ${counted}` };
}

export function allFrames(file: DicomFile, info: PixelInfo): Frame[] {
  return Array.from({ length: info.frames }, (_, f) => asStored(decodeFrame(file, f, { raw: true }, info)));
}

/** Fill decoded frames (index f of `frames` is frame f of `byFrame`), black per frame's colour model. */
function fillFrames(file: DicomFile, info: PixelInfo, frames: Frame[], byFrame: Map<number, Rect[]>): Map<string, number[]> {
  const targets = [...byFrame.keys()].map((f) => frames[f]!);
  const models = new Set(targets.map((t) => t.photometric));
  const blacks = new Map<string, number[]>();
  for (const model of models) {
    const group = targets.filter((t) => t.photometric === model);
    const black = blackSamples(file, info, model, group.map((t) => t.data));
    blacks.set(model, black);
    widenPixelRange(file, info, model, black);
    for (const [f, rects] of byFrame) if (frames[f]!.photometric === model) fillValues(frames[f]!.data, info.columns, frames[f]!.samples, rects, black);
  }
  return blacks;
}

/**
 * Native data: write the black stored value, packed as the file stores it (byte order,
 * bit position, planar configuration), into the boxes of a copy of the bytes. Everything
 * outside the boxes keeps its bytes, including high bits; inside, whole words are written,
 * so an overlay embedded in unused high bits is cleared there too.
 */
function fillNative(file: DicomFile, info: PixelInfo, byFrame: Map<number, Rect[]>, key?: Uint8Array[], memory?: FillMemory): void {
  const el = file.dataset.get(Tags.PixelData)!;
  const known = key && memory?.get(key);
  if (known) {
    widenPixelRange(file, info, known.photometric, known.black);
    // A copy: the remembered bytes are shared by every file filled from them.
    file.dataset.set(new DataElement(Tags.PixelData, el.vr, known.bytes.slice()));
    return;
  }
  const le = file.dataset.littleEndian;
  // Only monochrome black depends on the values (their darkest); colour needs no decode.
  const mono = info.photometric.startsWith('MONOCHROME');
  const frames = mono ? [...byFrame.keys()].map((f) => decodeFrame(file, f, { raw: true }, info).data) : [];
  const black = blackSamples(file, info, info.photometric, frames);
  widenPixelRange(file, info, info.photometric, black);
  const bytes = el.bytes.slice();
  const bytesPer = info.bitsAllocated / 8;
  const spp = info.samplesPerPixel;
  const pixels = info.rows * info.columns;
  const planar = spp > 1 && info.planarConfiguration === 1;
  const frameBytes = frameBits(info) / 8;
  const swap8 = !le && bytesPer === 1 && el.vr === 'OW' ? 1 : 0; // 8-bit OW under big endian (PS3.5 8.2)
  const shift = info.highBit + 1 - info.bitsStored;
  const mask = info.bitsStored >= 32 ? 0xffffffff : 2 ** info.bitsStored - 1;
  const words = black.map((v) => {
    const word = ((v & mask) * 2 ** shift) >>> 0;
    return Array.from({ length: bytesPer }, (_, b) => (word >>> (8 * (le ? b : bytesPer - 1 - b))) & 0xff);
  });
  for (const [f, rects] of byFrame) {
    const start = f * frameBytes;
    for (const r of rects) {
      for (let y = r.y0; y < r.y1; y++) {
        for (let x = r.x0; x < r.x1; x++) {
          const p = y * info.columns + x;
          for (let s = 0; s < spp; s++) {
            const at = start + (planar ? s * pixels + p : p * spp + s) * bytesPer;
            const word = words[s]!;
            for (let b = 0; b < bytesPer; b++) bytes[(at + b) ^ swap8] = word[b]!;
          }
        }
      }
    }
  }
  if (key) memory?.set(key, { bytes: bytes.slice(), photometric: info.photometric, black }, bytes.length);
  file.dataset.set(new DataElement(Tags.PixelData, el.vr, bytes));
}

/** Smallest/Largest Image Pixel Value (0028,0106/0107) must still bracket the pixels after the fill. */
export function widenPixelRange(file: DicomFile, info: PixelInfo, photometric: string, black: number[]): void {
  if (!photometric.startsWith('MONOCHROME')) return;
  const vr = info.pixelRepresentation === 1 ? 'SS' : 'US';
  const v = black[0]!;
  const smallest = file.dataset.number('00280106');
  const largest = file.dataset.number('00280107');
  if (smallest !== undefined && v < smallest) setValue(file.dataset, '00280106', v, vr);
  if (largest !== undefined && v > largest) setValue(file.dataset, '00280107', v, vr);
}

/** Pixel boxes mapped onto an overlay plane (its origin, its frames). */
function pixelBoxesOnOverlay(boxes: ReadonlyArray<RedactionBox>, plane: ReturnType<typeof overlayPlanes>[number], imageFrames: number): OverlayBox[] {
  const out: OverlayBox[] = [];
  const dx = plane.origin.column - 1;
  const dy = plane.origin.row - 1;
  for (const box of boxes) {
    const frames = box.frame === 'all' ? Array.from({ length: imageFrames }, (_, f) => f) : [box.frame];
    for (const f of frames) {
      // A one-frame overlay may be shown on any frame: clear it whatever the frame.
      const frame = plane.frames === 1 ? 0 : f - (plane.firstImageFrame - 1);
      out.push({ x: box.x - dx, y: box.y - dy, width: box.width, height: box.height, frame });
    }
  }
  return out;
}

/** Icon boxes, or keeping the icon consistent with a parent whose syntax changed. */
function redactIcon(file: DicomFile, boxes: ReadonlyArray<RedactionBox>, sourceSyntax: string): string[] {
  const seq = file.dataset.get(IconImageSequence)!;
  const items = seq.items ?? [];
  const original = iconImage(file);
  if (!original) return [];
  const encapsulated = !!original.dataset.get(Tags.PixelData)?.encapsulated;
  const parentChanged = file.transferSyntaxUID !== sourceSyntax;
  if (!boxes.length && !(encapsulated && parentChanged)) return [];
  // Work on a copy of the item so the input file's sequence stays as it was.
  const item = cloneDataset(items[0]!);
  const copy = new DataElement(IconImageSequence, seq.vr, seq.bytes, [item, ...items.slice(1)]);
  copy.undefinedLength = seq.undefinedLength;
  file.dataset.set(copy);
  // The icon's encapsulated bytes are still in the syntax the parent was read with.
  const view = iconImage(file)!;
  const icon: DicomFile = encapsulated ? { ...view, transferSyntaxUID: sourceSyntax } : view;
  const target = encapsulated ? (isNativeSyntax(file.transferSyntaxUID) ? TransferSyntax.ExplicitVRLittleEndian : file.transferSyntaxUID) : undefined;
  try {
    if (boxes.length) {
      const { changed } = fillPixels(icon, boxes, RleLossless, target);
      return [`icon: ${changed.length ? 'boxes filled' : 'no box covers it'}${target && target !== sourceSyntax ? ` (written as ${syntaxName(icon.transferSyntaxUID)} like the image)` : ''}`];
    }
    const info = pixelInfo(icon);
    replaceFrames(icon, allFrames(icon, info), { transferSyntaxUID: target });
    return [`icon re-encoded as ${syntaxName(icon.transferSyntaxUID)} to match the image`];
  } catch (e) {
    removeIcon(file);
    return [`icon removed: ${(e as Error).message}`];
  }
}
