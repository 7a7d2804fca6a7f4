// What OCR engines read: one candidate region cut out with a margin, turned to
// dark text on white (light-on-dark text is what OCR engines miss most),
// contrast-stretched and upscaled so glyphs are about 24 px tall (tesseract
// reads best with x-heights of 20–30 px). Word boxes map back with `toImage`.
import type { Box, Gray8 } from './image';
import type { TextCandidate } from './prescreen';

export interface PreparedRegion {
  image: Gray8;
  /** Maps a box in the prepared image back to the source image. */
  toImage(box: Box): Box;
}

export interface PrepareOptions {
  /** Glyph height to scale to, in pixels. */
  targetGlyphHeight: number;
  maxScale: number;
  /** White border around the crop (OCR engines dislike text touching the edge). */
  border: number;
}

const defaults: PrepareOptions = { targetGlyphHeight: 24, maxScale: 4, border: 8 };

export function prepareRegion(image: Gray8, region: TextCandidate, options: Partial<PrepareOptions> = {}): PreparedRegion {
  const o = { ...defaults, ...options };
  const margin = Math.round(region.glyphHeight * 0.4) + 2;
  const x0 = Math.max(0, region.x - margin);
  const y0 = Math.max(0, region.y - margin);
  const x1 = Math.min(image.width, region.x + region.width + margin);
  const y1 = Math.min(image.height, region.y + region.height + margin);
  const cw = x1 - x0;
  const ch = y1 - y0;
  // Contrast stretch between the crop's 5th and 95th percentiles, text dark.
  const histogram = new Uint32Array(256);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) histogram[image.data[y * image.width + x]!]!++;
  const lo = percentile(histogram, cw * ch, 0.05);
  const hi = Math.max(lo + 1, percentile(histogram, cw * ch, 0.95));
  const invert = region.polarity === 'light';
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    lut[v] = Math.round((invert ? 1 - t : t) * 255);
  }
  const scale = Math.min(o.maxScale, Math.max(1, o.targetGlyphHeight / Math.max(1, region.glyphHeight)));
  const sw = Math.round(cw * scale);
  const sh = Math.round(ch * scale);
  const width = sw + 2 * o.border;
  const height = sh + 2 * o.border;
  const out = new Uint8Array(width * height).fill(255);
  // Bilinear upscale of the mapped crop.
  for (let y = 0; y < sh; y++) {
    const fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const iy = Math.floor(fy);
    const dy = fy - iy;
    const iy2 = Math.min(ch - 1, iy + 1);
    for (let x = 0; x < sw; x++) {
      const fx = Math.min(cw - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const ix = Math.floor(fx);
      const dx = fx - ix;
      const ix2 = Math.min(cw - 1, ix + 1);
      const at = (xx: number, yy: number): number => lut[image.data[(y0 + yy) * image.width + x0 + xx]!]!;
      const top = at(ix, iy) * (1 - dx) + at(ix2, iy) * dx;
      const bottom = at(ix, iy2) * (1 - dx) + at(ix2, iy2) * dx;
      out[(y + o.border) * width + x + o.border] = Math.round(top * (1 - dy) + bottom * dy);
    }
  }
  return {
    image: { data: out, width, height },
    toImage: (box) => {
      const bx = Math.max(x0, Math.floor((box.x - o.border) / scale + x0));
      const by = Math.max(y0, Math.floor((box.y - o.border) / scale + y0));
      const ex = Math.min(x1, Math.ceil((box.x + box.width - o.border) / scale + x0));
      const ey = Math.min(y1, Math.ceil((box.y + box.height - o.border) / scale + y0));
      return { x: bx, y: by, width: Math.max(1, ex - bx), height: Math.max(1, ey - by) };
    },
  };
}

function percentile(histogram: Uint32Array, total: number, q: number): number {
  const target = total * q;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v]!;
    if (seen >= target) return v;
  }
  return 255;
}
