// Colour models to RGB: YBR_FULL / YBR_FULL_422 (PS3.3 C.7.6.3.1.2) and
// PALETTE COLOR through the Red/Green/Blue LUTs (PS3.3 C.7.6.3.1.5-6).
import type { DicomFile } from '../dicom';
import { PixelTags, type PaletteDescriptor, type PixelInfo } from './info';
import type { PixelArray } from './native';

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** In place: interleaved Y Cb Cr (8-bit, full range) → R G B. */
export function ybrFullToRgb(data: Uint8Array): void {
  for (let i = 0; i + 2 < data.length; i += 3) {
    const y = data[i]!;
    const cb = data[i + 1]! - 128;
    const cr = data[i + 2]! - 128;
    data[i] = clamp8(y + 1.402 * cr);
    data[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    data[i + 2] = clamp8(y + 1.772 * cb);
  }
}

/** Native YBR_FULL_422 bytes (Y1 Y2 Cb Cr per pixel pair) → interleaved Y Cb Cr per pixel. */
export function expand422(bytes: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  let i = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c += 2) {
      const y1 = bytes[i]!, y2 = bytes[i + 1]!, cb = bytes[i + 2]!, cr = bytes[i + 3]!;
      i += 4;
      const o = (r * columns + c) * 3;
      out[o] = y1; out[o + 1] = cb; out[o + 2] = cr;
      if (c + 1 < columns) { out[o + 3] = y2; out[o + 4] = cb; out[o + 5] = cr; }
    }
  }
  return out;
}

export class PaletteError extends Error {}

function lutData(file: DicomFile, tag: string, d: PaletteDescriptor): Uint16Array | Uint8Array {
  const el = file.dataset.get(tag);
  if (!el || el.bytes.length === 0) throw new PaletteError(`Palette LUT data ${tag} is missing (segmented palettes are not supported)`);
  const b = el.bytes;
  // 8-bit entries are sometimes packed one per byte (pydicom/dcmtk accept both).
  if (d.bits === 8 && b.length === d.entries) return b;
  const out = new Uint16Array(d.entries);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = file.dataset.littleEndian;
  for (let i = 0; i < d.entries && 2 * i + 1 < b.length; i++) out[i] = view.getUint16(2 * i, le);
  return out;
}

/** Indices → RGB: Uint8Array for 8-bit LUT entries, Uint16Array for 16-bit. */
export function expandPalette(file: DicomFile, info: PixelInfo, indices: PixelArray): Uint8Array | Uint16Array {
  const p = info.palette;
  if (!p) throw new PaletteError('PALETTE COLOR image without palette descriptors');
  const luts = [
    [lutData(file, PixelTags.RedData, p.red), p.red],
    [lutData(file, PixelTags.GreenData, p.green), p.green],
    [lutData(file, PixelTags.BlueData, p.blue), p.blue],
  ] as const;
  const wide = luts.some(([, d]) => d.bits > 8);
  const n = indices.length;
  const out = wide ? new Uint16Array(n * 3) : new Uint8Array(n * 3);
  for (let c = 0; c < 3; c++) {
    const [lut, d] = luts[c]!;
    const last = lut.length - 1;
    for (let i = 0; i < n; i++) {
      // Values below/above the mapped range take the first/last entry (C.7.6.3.1.5).
      let k = indices[i]! - d.firstMapped;
      k = k < 0 ? 0 : k > last ? last : k;
      out[i * 3 + c] = lut[k]!;
    }
  }
  return out;
}
