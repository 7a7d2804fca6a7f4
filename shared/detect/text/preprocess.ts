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
  /** Margin sideways in glyph heights (lost end glyphs). */
  side: number;
  /** Ink threshold as a share of the crop's contrast above the local mean. */
  step: number;
  /** Local-mean box half-size in glyph heights. */
  radius: number;
  /** Clear ink of the lines above and below and strokes crossing the whole crop (see `clearNeighbours`). */
  clean: boolean;
  /** Text of this one value (a flat colour, see prescreen.ts `flatLines`): ink is that value, not contrast. */
  flat?: number;
  /** The RGB colour (0xRRGGBB) a plane of distances from it was made for (colourInk.ts): part of what was read. */
  colour?: number;
}

const defaults: PrepareOptions = { targetGlyphHeight: 24, maxScale: 4, border: 8, side: 0.6, step: 0.25, radius: 0.9, clean: false };

export function prepareRegion(image: Gray8, region: TextCandidate, options: Partial<PrepareOptions> = {}): PreparedRegion {
  // A second reading of a region asks for other settings through the region itself (see reread.ts).
  const o = { ...defaults, ...region.prepare, ...options };
  const { ink, x0, y0, x1, y1 } = inkOf(image, region, o);
  const cw = x1 - x0;
  const ch = y1 - y0;
  if (o.clean) clearNeighbours(ink, cw, ch, region.y - y0 + Math.floor(region.height * 0.25), region.y - y0 + Math.ceil(region.height * 0.75));
  const scale = Math.min(o.maxScale, Math.max(1, o.targetGlyphHeight / Math.max(1, region.glyphHeight)));
  const sw = Math.round(cw * scale);
  const sh = Math.round(ch * scale);
  const width = sw + 2 * o.border;
  const height = sh + 2 * o.border;
  const out = new Uint8Array(width * height).fill(255);
  // Bilinear upscale of the mapped crop (no closure per pixel: this loop runs for every region OCR reads).
  for (let y = 0; y < sh; y++) {
    const fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / scale - 0.5));
    const iy = Math.floor(fy);
    const dy = fy - iy;
    const row = iy * cw;
    const row2 = Math.min(ch - 1, iy + 1) * cw;
    for (let x = 0; x < sw; x++) {
      const fx = Math.min(cw - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const ix = Math.floor(fx);
      const dx = fx - ix;
      const ix2 = Math.min(cw - 1, ix + 1);
      const top = ink[row + ix]! * (1 - dx) + ink[row + ix2]! * dx;
      const bottom = ink[row2 + ix]! * (1 - dx) + ink[row2 + ix2]! * dx;
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

/** The crop of `region` with margins, thresholded against its local mean: 0 ink, 255 paper, soft edges between. */
function inkOf(image: Gray8, region: TextCandidate, o: PrepareOptions): { ink: Uint8Array; x0: number; y0: number; x1: number; y1: number } {
  // A glyph's width of margin sideways: the pre-screen can lose a line's first or last glyph.
  const margin = Math.round(region.glyphHeight * 0.4) + 2;
  const side = Math.round(region.glyphHeight * o.side) + 2;
  const x0 = Math.max(0, region.x - side);
  const y0 = Math.max(0, region.y - margin);
  const x1 = Math.min(image.width, region.x + region.width + side);
  const y1 = Math.min(image.height, region.y + region.height + margin);
  const cw = x1 - x0;
  const ch = y1 - y0;
  if (o.flat !== undefined) {
    const ink = new Uint8Array(cw * ch);
    for (let y = 0; y < ch; y++)
      for (let x = 0; x < cw; x++) {
        const d = Math.abs(image.data[(y0 + y) * image.width + x0 + x]! - o.flat);
        ink[y * cw + x] = d <= 3 ? 0 : d >= 8 ? 255 : Math.round((255 * (d - 3)) / 5);
      }
    return { ink, x0, y0, x1, y1 };
  }
  // Local threshold: a pixel is ink when it stands out from the mean of a box about two
  // glyphs wide by a quarter of the crop's contrast. Smooth anatomy and gradients behind the
  // text fall away; a global threshold (tesseract's own Otsu) would keep bright bone as ink.
  const histogram = new Uint32Array(256);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) histogram[image.data[y * image.width + x]!]!++;
  const lo = percentile(histogram, cw * ch, 0.05);
  const hi = percentile(histogram, cw * ch, 0.95);
  const step = Math.max(15, (hi - lo) * o.step);
  const radius = Math.max(3, Math.round(region.glyphHeight * o.radius));
  const mean = boxMean(image, x0, y0, cw, ch, radius);
  const sign = region.polarity === 'light' ? 1 : -1;
  const ink = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++)
    for (let x = 0; x < cw; x++) {
      const v = image.data[(y0 + y) * image.width + x0 + x]!;
      // Soft edges (0..255, 0 = ink) keep antialiasing for the upscale.
      const t = (sign * (v - mean[y * cw + x]!) - step * 0.5) / step;
      ink[y * cw + x] = Math.round(255 * (1 - Math.min(1, Math.max(0, t))));
    }
  return { ink, x0, y0, x1, y1 };
}

/**
 * Ink cut off by the crop's top or bottom edge that never reaches the line's middle rows (the
 * descenders of the line above, the tops of the line below in a tight banner), and ink crossing
 * the crop from top to bottom (an edge of bone beside the line): OCR reads them as marks and
 * garbles the line ("{1301221" for "1939.12.21").
 */
function clearNeighbours(ink: Uint8Array, w: number, h: number, middle0: number, middle1: number): void {
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  const part: number[] = [];
  for (const y of [0, h - 1]) {
    for (let x = 0; x < w; x++) {
      const start = y * w + x;
      if (seen[start] || ink[start]! >= 200) continue;
      seen[start] = 1;
      stack.push(start);
      part.length = 0;
      let middle = false;
      let top = false;
      let bottom = false;
      while (stack.length) {
        const p = stack.pop()!;
        part.push(p);
        const py = (p / w) | 0;
        const px = p - py * w;
        if (py >= middle0 && py < middle1 && ink[p]! < 128) middle = true;
        if (py === 0) top = true;
        if (py === h - 1) bottom = true;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const ny = py + dy;
            const nx = px + dx;
            if (ny < 0 || ny >= h || nx < 0 || nx >= w) continue;
            const q = ny * w + nx;
            if (!seen[q] && ink[q]! < 200) {
              seen[q] = 1;
              stack.push(q);
            }
          }
      }
      if (middle && !(top && bottom)) continue;
      for (const p of part) ink[p] = 255;
    }
  }
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

/** Mean over a (2r+1)² box around each pixel of a crop (clipped at the crop's edges). */
function boxMean(image: Gray8, x0: number, y0: number, cw: number, ch: number, r: number): Float32Array {
  const stride = cw + 1;
  const sum = new Float64Array(stride * (ch + 1));
  for (let y = 0; y < ch; y++) {
    let row = 0;
    for (let x = 0; x < cw; x++) {
      row += image.data[(y0 + y) * image.width + x0 + x]!;
      sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1]! + row;
    }
  }
  const out = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(ch, y + r + 1);
    for (let x = 0; x < cw; x++) {
      const xa = Math.max(0, x - r);
      const xb = Math.min(cw, x + r + 1);
      const total = sum[yb * stride + xb]! - sum[yb * stride + xa]! - sum[ya * stride + xb]! + sum[ya * stride + xa]!;
      out[y * cw + x] = total / ((yb - ya) * (xb - xa));
    }
  }
  return out;
}
