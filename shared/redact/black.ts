// "Black" in the image's own terms: the stored sample values a viewer shows as
// black for this photometric interpretation, so a filled box reads as a blank
// region and not as a bright patch or a random palette colour.
import type { DicomFile } from '../dicom';
import { expandPalette, pixelInfo, type PixelArray, type PixelInfo } from '../pixels';

/** Range of stored values for BitsStored and Pixel Representation. */
export function storedRange(info: PixelInfo): { lo: number; hi: number } {
  const bits = Math.min(info.bitsStored, 32);
  return info.pixelRepresentation === 1 ? { lo: -(2 ** (bits - 1)), hi: 2 ** (bits - 1) - 1 } : { lo: 0, hi: 2 ** bits - 1 };
}

/**
 * MONOCHROME1/2: the stored value at the dark end. Not simply the lowest representable
 * value: -32768 in a CT whose air is -1024 would stretch every min/max auto-window and
 * grey out the anatomy. So: the frames' own darkest value, pushed further only as far as
 * the header's window needs to show it black (PS3.3 C.11.2.1.2.1: x ≤ c − 0.5 − (w−1)/2
 * is the lowest output; MONOCHROME1 inverts, so its black is above the window's top).
 * A negative rescale slope flips the direction.
 */
export function monochromeBlack(info: PixelInfo, photometric: string, min: number, max: number): number {
  const { lo, hi } = storedRange(info);
  const slope = info.rescaleSlope || 1;
  const intercept = info.rescaleIntercept;
  const mono1 = photometric === 'MONOCHROME1';
  const darkIsLow = !mono1 === slope > 0;
  // A uniform frame has no dark end of its own: take the representable one.
  let value = min === max && !info.window ? (darkIsLow ? lo : hi) : darkIsLow ? min : max;
  if (info.window) {
    const { center: c, width: w } = info.window;
    const edge = ((mono1 ? c - 0.5 + (w - 1) / 2 : c - 0.5 - (w - 1) / 2) - intercept) / slope;
    // MONOCHROME2 needs x ≤ edge (inclusive); MONOCHROME1 needs x > edge (strict).
    if (darkIsLow) value = Math.min(value, mono1 ? Math.ceil(edge) - 1 : Math.floor(edge));
    else value = Math.max(value, mono1 ? Math.floor(edge) + 1 : Math.ceil(edge));
  }
  return Math.max(lo, Math.min(hi, value));
}

/** PALETTE COLOR: the index whose LUT colour is nearest black (lowest index on ties). */
export function paletteBlack(file: DicomFile, info = pixelInfo(file)): number {
  const p = info.palette;
  if (!p) throw new Error('PALETTE COLOR image without palette descriptors');
  const entries = Math.max(p.red.entries, p.green.entries, p.blue.entries);
  const first = Math.min(p.red.firstMapped, p.green.firstMapped, p.blue.firstMapped);
  const indices = new Int32Array(entries);
  for (let i = 0; i < entries; i++) indices[i] = first + i;
  const rgb = expandPalette(file, info, indices);
  const scale = [p.red.bits, p.green.bits, p.blue.bits].map((b) => 1 / (2 ** (b > 8 ? 16 : 8) - 1));
  let best = first;
  let bestDistance = Infinity;
  for (let i = 0; i < entries; i++) {
    let d = 0;
    for (let c = 0; c < 3; c++) d += (rgb[i * 3 + c]! * scale[c]!) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = first + i;
    }
  }
  return best;
}

/**
 * One black value per sample for frames in colour model `photometric` (what decodeFrame
 * returned with `raw`), given the frames that will be filled (for the monochrome range).
 */
export function blackSamples(file: DicomFile, info: PixelInfo, photometric: string, frames: ReadonlyArray<PixelArray>): number[] {
  const mid = 2 ** (Math.min(info.bitsStored, 16) - 1);
  switch (photometric) {
    case 'MONOCHROME1':
    case 'MONOCHROME2': {
      let min = Infinity;
      let max = -Infinity;
      for (const data of frames) {
        for (let i = 0; i < data.length; i++) {
          const v = data[i]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
      }
      if (min === Infinity) min = max = 0;
      return [monochromeBlack(info, photometric, min, max)];
    }
    case 'RGB':
      return [0, 0, 0];
    case 'YBR_FULL':
      return [0, mid, mid];
    case 'YBR_PARTIAL_422':
    case 'YBR_PARTIAL_420':
      // Studio range: black is Y = 16 (scaled to the sample depth), chroma centred.
      return [16 * 2 ** (Math.min(info.bitsStored, 16) - 8), mid, mid];
    case 'PALETTE COLOR':
      return [paletteBlack(file, info)];
    default:
      throw new Error(`Cannot fill ${photometric} pixels with black`);
  }
}
