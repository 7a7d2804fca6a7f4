// 8-bit rendering for detectors: modality LUT (rescale), VOI window (PS3.3
// C.11.2.1.2, linear), MONOCHROME1 inverted; colour scaled to 8 bits as RGBA.
import type { Frame } from './decode';
import type { PixelInfo } from './info';

export interface Display8 {
  /** Grey: one byte per pixel. Colour: RGBA, four bytes per pixel. */
  data: Uint8Array;
  rows: number;
  columns: number;
  channels: 1 | 4;
}

export interface Window {
  center: number;
  width: number;
}

export function toDisplay8(frame: Frame, info: PixelInfo, window?: Window): Display8 {
  const { data, rows, columns } = frame;
  const pixels = rows * columns;
  if (frame.samples >= 3) {
    // Palette LUTs of 16 bits and 16-bit RGB: keep the top 8 bits of the used range.
    let max = 0;
    for (let i = 0; i < data.length; i++) if (data[i]! > max) max = data[i]!;
    const shift = max > 255 ? Math.ceil(Math.log2(max + 1)) - 8 : 0;
    const out = new Uint8Array(pixels * 4);
    for (let p = 0, i = 0, o = 0; p < pixels; p++, i += frame.samples, o += 4) {
      out[o] = data[i]! >> shift;
      out[o + 1] = data[i + 1]! >> shift;
      out[o + 2] = data[i + 2]! >> shift;
      out[o + 3] = 255;
    }
    return { data: out, rows, columns, channels: 4 };
  }
  const slope = info.rescaleSlope;
  const intercept = info.rescaleIntercept;
  let center: number;
  let width: number;
  const w = window ?? info.window;
  if (w) {
    center = w.center;
    width = w.width;
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < pixels; i++) {
      const v = data[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const a = lo * slope + intercept;
    const b = hi * slope + intercept;
    center = (a + b) / 2 + 0.5;
    width = Math.max(Math.abs(b - a) + 1, 2);
  }
  // y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, folded into one multiply-add on the stored value.
  const gain = (255 / Math.max(width - 1, 1)) * slope;
  const offset = ((intercept - (center - 0.5)) / Math.max(width - 1, 1) + 0.5) * 255;
  const invert = info.photometric === 'MONOCHROME1';
  const out = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    let y = data[i]! * gain + offset;
    y = y < 0 ? 0 : y > 255 ? 255 : y;
    out[i] = invert ? 255 - y : y;
  }
  return { data: out, rows, columns, channels: 1 };
}
