// Burned-in text is drawn in one flat colour. On a colour-mapped picture that colour can be
// one of the map's own, at the brightness of the anatomy under it (orange text over a
// hot-iron brain): every grey plane mixes the glyphs with the map and OCR reads garbage
// ("Rfversiad Cling"). Taking the exact colour alone gives the glyphs back.
import type { Gray8, Rgba } from './image';
import { isGlyph, linesOf } from './lines';
import { defaultPrescreenOptions, type TextCandidate } from './prescreen';
import { components } from './strokes';

/**
 * A colour's pixels: within this of it in every channel. Tight: a map's neighbouring shades are
 * speckle each on its own (the dark gaps between bold glyphs are glyph-shaped only together).
 */
const near = 2;

export interface InkColour {
  /** 0xRRGGBB. */
  colour: number;
  /** Of the glyphs its pixels make: the pre-screen may have measured the gaps between them. */
  glyphHeight: number;
}

/**
 * The colours the candidate's text may be drawn in: among the box's most frequent exact colours,
 * those that are no background (under half the box) and whose pixels are glyphs (most of them in
 * glyph-shaped components, which make a line). Anatomy under a colour map spreads over many
 * colours, and a background's pixels are one shape around the glyphs; a text colour is a spike
 * of glyphs.
 */
export function inkColours(rgba: Rgba, candidate: TextCandidate): readonly InkColour[] {
  // A remembered frame keeps what was found (scanText.ts): a copy's reading needs no pixels.
  const key = JSON.stringify(candidate);
  const known = rgba.inks?.get(key);
  if (known) return known;
  const found = findInks(rgba, candidate);
  rgba.inks?.set(key, found);
  return found;
}

function findInks(rgba: Rgba, candidate: TextCandidate): InkColour[] {
  const { x, y, width, height } = candidate;
  // Once: a remembered frame's pixels come through a getter (scanText.ts `stubPlanes`).
  const data = rgba.data;
  const area = width * height;
  const counts = new Map<number, number>();
  for (let yy = y; yy < y + height; yy++)
    for (let xx = x, p = yy * rgba.width + x; xx < x + width; xx++, p++) {
      const colour = (data[4 * p]! << 16) | (data[4 * p + 1]! << 8) | data[4 * p + 2]!;
      counts.set(colour, (counts.get(colour) ?? 0) + 1);
    }
  // Text in the picture's background colour would not show where most text sits; the gaps of
  // bold text over anatomy are that colour, and glyph-shaped.
  const frequent = [...counts]
    .filter(([c, n]) => n >= Math.max(12, 0.04 * area) && n <= 0.5 * area && !(differs(c, rgba.background) <= near))
    .sort((a, b) => b[1] - a[1]);
  const o = { ...defaultPrescreenOptions, minGlyphHeight: Math.max(5, Math.round(candidate.glyphHeight * 0.5)) };
  const passed: Array<InkColour & { inGlyphs: number }> = [];
  for (const [colour] of frequent.slice(0, 4)) {
    const mask = new Uint8Array(area);
    let ink = 0;
    for (let yy = 0; yy < height; yy++)
      for (let xx = 0, p = (y + yy) * rgba.width + x; xx < width; xx++, p++)
        if (distance(data, p, colour) <= near) {
          mask[yy * width + xx] = 1;
          ink++;
        }
    const inGlyphs = components(mask, width, height).reduce((n, g) => n + (isGlyph(g, o) ? g.pixels : 0), 0);
    if (inGlyphs < 0.6 * ink) continue;
    const { lines } = linesOf(mask, { data: mask, width, height }, candidate.polarity, candidate.plane, o);
    // Only text 9 px tall or more has strokes of fully covered pixels to find (smaller text is
    // antialiased through, and an echo's colour-Doppler cells make lines of 6–8 px); and one
    // colour's glyphs make most of the line, not a piece of it.
    const line = lines.filter((l) => l.glyphs >= 3 && l.score >= 0.5 && l.glyphHeight >= 9 && l.width >= 0.5 * width).sort((a, b) => b.glyphs - a.glyphs)[0];
    if (line) passed.push({ colour, glyphHeight: line.glyphHeight, inGlyphs });
  }
  // Most glyph pixels first; two at most: a dark map's shades can be glyph-shaped between bold
  // glyphs (their gaps) and outnumber the text's colour.
  return passed
    .sort((a, b) => b.inGlyphs - a.inGlyphs)
    .slice(0, 2)
    .map(({ colour, glyphHeight }) => ({ colour, glyphHeight }));
}

/**
 * A plane of each pixel's distance from `colour` (largest channel difference, a third of it, so
 * an antialiased edge mostly covered still counts), around `box` with room for OCR's margins;
 * 255 (far) elsewhere. Read with `prepare.flat = 0`.
 */
export function colourDistance(rgba: Rgba, colour: number, box: TextCandidate): Gray8 {
  // Made when read: a remembered reading of it needs none of its pixels.
  let plane: Uint8Array | undefined;
  return {
    width: rgba.width,
    height: rgba.height,
    get data() {
      return (plane ??= distances(rgba, colour, box));
    },
  };
}

function distances(rgba: Rgba, colour: number, box: TextCandidate): Uint8Array {
  const { width, height } = rgba;
  const data = rgba.data;
  const out = new Uint8Array(width * height).fill(255);
  const m = Math.ceil(box.glyphHeight * 1.5) + 4;
  const x0 = Math.max(0, box.x - m);
  const x1 = Math.min(width, box.x + box.width + m);
  for (let y = Math.max(0, box.y - m); y < Math.min(height, box.y + box.height + m); y++)
    for (let x = x0, p = y * width + x0; x < x1; x++, p++)
      out[p] = Math.min(255, Math.floor(distance(data, p, colour) / 3));
  return out;
}

/** Largest channel difference between pixel `p` and `colour`. */
function distance(data: Uint8Array, p: number, colour: number): number {
  return Math.max(Math.abs(data[4 * p]! - (colour >> 16)), Math.abs(data[4 * p + 1]! - ((colour >> 8) & 255)), Math.abs(data[4 * p + 2]! - (colour & 255)));
}

/** Largest channel difference between two colours. */
function differs(a: number, b: number): number {
  return Math.max(Math.abs((a >> 16) - (b >> 16)), Math.abs(((a >> 8) & 255) - ((b >> 8) & 255)), Math.abs((a & 255) - (b & 255)));
}
