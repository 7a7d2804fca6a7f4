// Overlay planes (60xx, PS3.3 C.9.2 / C.9.3): 1-bit bitmaps drawn over the image —
// graphics or text a viewer shows on top of the pixels, so a name can hide there too.
// Bits live in (60xx,3000), or (retired, PS3.5 8.1.2) in unused high bits of Pixel Data.
import { DataElement, Tags, type DicomFile } from '../dicom';
import { isNativeSyntax } from './decode';
import { pixelInfo } from './info';
import { frameBits } from './native';

export interface OverlayPlane {
  /** 0x6000, 0x6002 … 0x601E. */
  group: number;
  /** "6000": the suffix of a RedactionBox's `overlay-6000` image. */
  id: string;
  rows: number;
  columns: number;
  /** (60xx,0050): image row/column (1-based) of the overlay's top-left point. */
  origin: { row: number; column: number };
  /** G graphics or R ROI. */
  type: string;
  /** Number of Frames in Overlay (60xx,0015), 1 when absent. */
  frames: number;
  /** Image Frame Origin (60xx,0051): the image frame (1-based) of the overlay's first frame. */
  firstImageFrame: number;
  bitsAllocated: number;
  bitPosition: number;
  /** The bits are in Pixel Data's unused high bits (no (60xx,3000)); one overlay frame per image frame. */
  embedded: boolean;
  description: string;
}

const tagIn = (group: number, element: number): string =>
  group.toString(16).toUpperCase().padStart(4, '0') + element.toString(16).toUpperCase().padStart(4, '0');

export function overlayPlanes(file: DicomFile): OverlayPlane[] {
  const ds = file.dataset;
  const planes: OverlayPlane[] = [];
  for (let group = 0x6000; group <= 0x601e; group += 2) {
    const rows = ds.number(tagIn(group, 0x0010));
    const columns = ds.number(tagIn(group, 0x0011));
    if (!rows || !columns) continue;
    const origin = ds.numbers(tagIn(group, 0x0050));
    const embedded = !ds.has(tagIn(group, 0x3000));
    const info = embedded ? pixelInfo(file) : undefined;
    planes.push({
      group,
      id: group.toString(16).toUpperCase().padStart(4, '0'),
      rows,
      columns,
      origin: { row: origin[0] ?? 1, column: origin[1] ?? 1 },
      type: ds.string(tagIn(group, 0x0040)) || 'G',
      frames: info ? info.frames : Math.max(1, Math.floor(ds.number(tagIn(group, 0x0015)) ?? 1)),
      firstImageFrame: ds.number(tagIn(group, 0x0051)) ?? 1,
      bitsAllocated: ds.number(tagIn(group, 0x0100)) ?? 1,
      bitPosition: ds.number(tagIn(group, 0x0102)) ?? 0,
      embedded,
      description: ds.string(tagIn(group, 0x0022)),
    });
  }
  return planes;
}

/** Where pixel i of overlay frame `frame` lives: a byte index and bit in `bytes`. */
type BitLocator = (frame: number, i: number) => [number, number];

function locate(file: DicomFile, plane: OverlayPlane): { bytes: Uint8Array; at: BitLocator; tag: string; vr: DataElement['vr'] } {
  const ds = file.dataset;
  const le = ds.littleEndian;
  if (!plane.embedded) {
    const tag = tagIn(plane.group, 0x3000);
    const el = ds.get(tag)!;
    const per = plane.rows * plane.columns;
    // Bits are packed little-endian in 16-bit words; OW under big endian has its bytes swapped.
    const swap = !le && el.vr === 'OW' ? 1 : 0;
    return { bytes: el.bytes, tag, vr: el.vr, at: (f, i) => { const b = f * per + i; return [(b >> 3) ^ swap, b & 7]; } };
  }
  const info = pixelInfo(file);
  const el = ds.get(Tags.PixelData);
  if (!el || el.encapsulated || !isNativeSyntax(file.transferSyntaxUID) || info.bitsAllocated < 8) {
    throw new Error(`Overlay ${plane.id} is embedded in pixel data Veil cannot address bit by bit (compressed or 1-bit)`);
  }
  const bytesPer = info.bitsAllocated / 8;
  const frameBytes = frameBits(info) / 8;
  const byteInWord = le ? plane.bitPosition >> 3 : bytesPer - 1 - (plane.bitPosition >> 3);
  const bit = plane.bitPosition & 7;
  return { bytes: el.bytes, tag: Tags.PixelData, vr: el.vr, at: (f, i) => [f * frameBytes + i * info.samplesPerPixel * bytesPer + byteInWord, bit] };
}

/** Overlay frame `frame` as rows × columns of 0/1. */
export function overlayMask(file: DicomFile, plane: OverlayPlane, frame = 0): Uint8Array {
  if (frame < 0 || frame >= plane.frames) throw new Error(`Overlay ${plane.id} has no frame ${frame}`);
  const { bytes, at } = locate(file, plane);
  const n = plane.rows * plane.columns;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const [byte, bit] = at(frame, i);
    mask[i] = ((bytes[byte] ?? 0) >> bit) & 1;
  }
  return mask;
}

export interface OverlayBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Overlay frame (0-based), or 'all'. */
  frame: number | 'all';
}

/**
 * Clear the overlay's bits inside `boxes` (overlay coordinates), in a copy of its data set
 * on `file`. Returns the overlay frames where a box covered part of the plane.
 */
export function clearOverlayBoxes(file: DicomFile, plane: OverlayPlane, boxes: ReadonlyArray<OverlayBox>): number[] {
  const { bytes, at, tag, vr } = locate(file, plane);
  const out = bytes.slice();
  const touched = new Set<number>();
  for (const box of boxes) {
    const x0 = Math.max(0, Math.floor(box.x));
    const y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(plane.columns, Math.ceil(box.x + box.width));
    const y1 = Math.min(plane.rows, Math.ceil(box.y + box.height));
    if (x1 <= x0 || y1 <= y0) continue;
    const frames = box.frame === 'all' ? Array.from({ length: plane.frames }, (_, f) => f) : [box.frame];
    for (const f of frames) {
      if (f < 0 || f >= plane.frames) continue;
      touched.add(f);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const [byte, bit] = at(f, y * plane.columns + x);
          if (byte < out.length) out[byte]! &= ~(1 << bit);
        }
      }
    }
  }
  if (touched.size) file.dataset.set(new DataElement(tag, vr, out));
  return [...touched].sort((a, b) => a - b);
}

/** Remove an overlay plane: its whole 60xx group, and for an embedded one its bits in Pixel Data. */
export function removeOverlay(file: DicomFile, plane: OverlayPlane): void {
  if (plane.embedded) clearOverlayBoxes(file, plane, [{ x: 0, y: 0, width: plane.columns, height: plane.rows, frame: 'all' }]);
  const prefix = plane.id;
  for (const el of [...file.dataset]) if (el.tag.startsWith(prefix)) file.dataset.delete(el.tag);
}
