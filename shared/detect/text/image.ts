// The one picture shape the text detector works on: 8-bit grey, row-major.
// Colour frames become several planes (see `textPlanes`) because coloured text is
// bright in its strongest channel, dark in its weakest, or differs only in hue.
import type { Display8 } from '../../pixels';
import type { InkColour } from './colourInk';

export interface Gray8 {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A rectangle in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The planes text is searched in (and read from): see `textPlanes`. */
export interface TextPlanes {
  light: Gray8;
  dark: Gray8;
  /** Colour only: luminance, where tinted text on a colour-mapped background still differs. */
  luminance?: Gray8;
  /**
   * Colour only: the middle channel. Orange text on a hot-iron map is as red as the map and
   * as bright, but far greener than most of it.
   */
  middle?: Gray8;
  /**
   * Colour only: green against red (128 + (G − R) / 2), the eye's red–green opponent: green text
   * on a red-to-yellow map is there far from both the map and black.
   */
  redGreen?: Gray8;
  /** Colour-mapped only: the RGBA pixels, for text in one of the map's own colours (colourInk.ts). */
  colour?: Rgba;
}

/** A colour frame's pixels (four bytes a pixel, as the display gives them). */
export interface Rgba {
  data: Uint8Array;
  width: number;
  height: number;
  /** The colour most of the frame's border has (0xRRGGBB): the picture's background. */
  background: number;
  /** The ink colours found per candidate (by its JSON): kept with a remembered frame. */
  inks?: Map<string, readonly InkColour[]>;
}

export type PlaneName = Exclude<keyof TextPlanes, 'colour'>;

/** Typed arrays use the platform's byte order (little-endian almost everywhere). */
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The planes light and dark text are searched in: for grey both are the image; for RGBA the
 * per-pixel maximum channel (red, yellow, cyan text is bright there), minimum channel (blue
 * or black text on a light background is dark there) and luminance (cyan text on a red
 * colour map is neither brightest nor darkest in any channel); for colour-mapped pictures
 * also hue planes (middle channel, red–green).
 */
export function textPlanes(display: Display8): TextPlanes {
  const width = display.columns;
  const height = display.rows;
  if (display.channels === 1) {
    const grey = { data: display.data, width, height };
    return { light: grey, dark: grey };
  }
  const n = width * height;
  const max = new Uint8Array(n);
  const min = new Uint8Array(n);
  const luma = new Uint8Array(n);
  const mid = new Uint8Array(n);
  const rg = new Uint8Array(n);
  // All planes in one pass, a pixel read as one 32-bit word (bytes R, G, B, A in memory order).
  const bytes = display.data.byteOffset % 4 ? display.data.slice(0, 4 * n) : display.data;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  const [rShift, gShift, bShift] = littleEndian ? [0, 8, 16] : [24, 16, 8];
  let tinted = 0;
  for (let p = 0; p < n; p++) {
    const v = words[p]!;
    const r = (v >>> rShift) & 255;
    const g = (v >>> gShift) & 255;
    const b = (v >>> bShift) & 255;
    const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
    const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
    max[p] = hi;
    min[p] = lo;
    luma[p] = (r * 77 + g * 150 + b * 29) >> 8;
    mid[p] = r + g + b - hi - lo;
    rg[p] = (256 + g - r) >> 1;
    if (hi - lo > 24) tinted++;
  }
  const planes: TextPlanes = { light: { data: max, width, height }, dark: { data: min, width, height }, luminance: { data: luma, width, height } };
  // Hue planes only for a colour-mapped picture: on grey content, tinted text already differs
  // from it in the maximum or minimum channel (a grey ultrasound, a screenshot's grey scan).
  if (tinted < n / 20) return planes;
  return { ...planes, middle: { data: mid, width, height }, redGreen: { data: rg, width, height }, colour: { data: display.data, width, height, background: borderColour(words, width, height, rShift, gShift, bShift), inks: new Map() } };
}

/** The colour most frequent along the frame's border (0xRRGGBB): a picture's background. */
function borderColour(words: Uint32Array, width: number, height: number, rShift: number, gShift: number, bShift: number): number {
  const counts = new Map<number, number>();
  const add = (p: number): void => {
    const v = words[p]!;
    const colour = (((v >>> rShift) & 255) << 16) | (((v >>> gShift) & 255) << 8) | ((v >>> bShift) & 255);
    counts.set(colour, (counts.get(colour) ?? 0) + 1);
  };
  for (let x = 0; x < width; x++) {
    add(x);
    add((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    add(y * width);
    add(y * width + width - 1);
  }
  let best = 0;
  let most = 0;
  for (const [colour, n] of counts) if (n > most) [best, most] = [colour, n];
  return best;
}
