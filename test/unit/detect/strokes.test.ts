// The pre-screen's per-pixel passes (shared/detect/text/strokes.ts) and the colour planes
// (image.ts) against plain reference versions on real frames: the stroke masks against an
// integral image, the components against a flood fill, the planes against the per-pixel
// formulas. The fast versions must find exactly the same pixels and glyphs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textPlanes, type Gray8 } from '../../../shared/detect';
import { components, strokeMasks, type Glyph } from '../../../shared/detect/text/strokes';
import { readDicom } from '../../../shared/dicom';
import { decodeFrame, pixelInfo, toDisplay8, type Display8 } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';

function render(path: string, frame = 0): Display8 {
  const file = readDicom(new Uint8Array(readFileSync(path)));
  const info = pixelInfo(file);
  return toDisplay8(decodeFrame(file, frame, {}, info), info);
}

function crop(image: Gray8, x: number, y: number, width: number, height: number): Gray8 {
  const data = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) data.set(image.data.subarray((y + r) * image.width + x, (y + r) * image.width + x + width), r * width);
  return { data, width, height };
}

/** The box mean by brute force (clipped at the edges), compared without division as the masks are. */
function referenceMasks(image: Gray8, radius: number, contrast: number): { light: Uint8Array; dark: Uint8Array } {
  const { data, width: w, height: h } = image;
  const light = new Uint8Array(w * h);
  const dark = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let total = 0;
      let n = 0;
      for (let v = Math.max(0, y - radius); v <= Math.min(h - 1, y + radius); v++)
        for (let u = Math.max(0, x - radius); u <= Math.min(w - 1, x + radius); u++) {
          total += data[v * w + u]!;
          n++;
        }
      const diff = data[y * w + x]! * n - total;
      if (diff >= contrast * n) light[y * w + x] = 1;
      else if (-diff >= contrast * n) dark[y * w + x] = 1;
    }
  return { light, dark };
}

/** 8-connected components by flood fill, in raster order of their first pixel. */
function referenceComponents(mask: Uint8Array, w: number, h: number): Glyph[] {
  const seen = new Uint8Array(w * h);
  const out: Glyph[] = [];
  for (let start = 0; start < w * h; start++) {
    if (!mask[start] || seen[start]) continue;
    const g: Glyph = { x0: w, y0: h, x1: -1, y1: -1, pixels: 0, runs: 0, vruns: 0 };
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      g.x0 = Math.min(g.x0, x);
      g.x1 = Math.max(g.x1, x);
      g.y0 = Math.min(g.y0, y);
      g.y1 = Math.max(g.y1, y);
      g.pixels++;
      if (x === 0 || !mask[p - 1]) g.runs++;
      if (y === 0 || !mask[p - w]) g.vruns++;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const u = x + dx;
          const v = y + dy;
          if (u < 0 || v < 0 || u >= w || v >= h) continue;
          const q = v * w + u;
          if (mask[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    out.push(g);
  }
  return out;
}

describe('pre-screen passes', () => {
  const ankle = textPlanes(render(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'))).light;
  const echo = textPlanes(render(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')));

  it('marks the same stroke pixels as a brute-force box mean, edges and small pictures included', () => {
    // The ankle screenshot's text corner, the echo's middle channel, and crops narrower and
    // shorter than the box (17 px) and of odd sizes.
    const images = [crop(ankle, 0, 0, 200, 120), crop(echo.middle!, 100, 40, 233, 97), crop(ankle, 3, 5, 13, 40), crop(ankle, 40, 7, 31, 9), crop(ankle, 0, 0, 1, 1)];
    for (const image of images) {
      const want = referenceMasks(image, 8, 40);
      const both = strokeMasks(image, { radius: 8, contrast: 40 }, { light: true, dark: true });
      expect(both.light).toEqual(want.light);
      expect(both.dark).toEqual(want.dark);
      expect(strokeMasks(image, { radius: 8, contrast: 40 }, { light: true, dark: false }).light).toEqual(want.light);
      expect(strokeMasks(image, { radius: 8, contrast: 40 }, { light: false, dark: true }).dark).toEqual(want.dark);
    }
    expect(referenceMasks(images[0]!, 8, 40).light.some(Boolean)).toBe(true);
  });

  it('finds the same glyphs as a flood fill, in the same order', () => {
    for (const plane of [ankle, echo.light, echo.redGreen!]) {
      const masks = strokeMasks(plane, { radius: 8, contrast: 40 }, { light: true, dark: true });
      for (const mask of [masks.light, masks.dark]) {
        const want = referenceComponents(mask, plane.width, plane.height);
        expect(want.length).toBeGreaterThan(20);
        expect(components(mask, plane.width, plane.height)).toEqual(want);
      }
    }
    // A mask whose bytes do not start on a word boundary, and a width that is no multiple of four.
    const odd = crop(ankle, 1, 1, 203, 150);
    const mask = strokeMasks(odd, { radius: 8, contrast: 40 }, { light: true, dark: false }).light;
    const shifted = new Uint8Array(mask.length + 1).subarray(1);
    shifted.set(mask);
    expect(components(shifted, odd.width, odd.height)).toEqual(referenceComponents(mask, odd.width, odd.height));
  });

  it('keeps counting past its scratch: speckle of 90,000 single pixels, then a real mask again', () => {
    const w = 601;
    const speckle = new Uint8Array(w * w);
    for (let y = 0; y < w; y += 2) for (let x = 0; x < w; x += 2) speckle[y * w + x] = 1;
    const glyphs = components(speckle, w, w);
    expect(glyphs).toHaveLength(301 * 301);
    expect(glyphs).toEqual(referenceComponents(speckle, w, w));
    const mask = strokeMasks(ankle, { radius: 8, contrast: 40 }, { light: true, dark: false }).light;
    expect(components(mask, ankle.width, ankle.height)).toEqual(referenceComponents(mask, ankle.width, ankle.height));
  });
});

describe('colour planes', () => {
  it('are the per-pixel channel formulas, also for pixels that do not start on a word boundary', () => {
    const display = render(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'));
    const shifted = new Uint8Array(display.data.length + 1).subarray(1);
    shifted.set(display.data);
    for (const d of [display, { ...display, data: shifted }]) {
      const planes = textPlanes(d);
      // The echo's colour (its Doppler-style palette) makes it colour-mapped: all five planes.
      expect(planes.middle && planes.redGreen && planes.luminance).toBeTruthy();
      let wrong = 0;
      for (let p = 0; p < d.rows * d.columns; p++) {
        const [r, g, b] = [d.data[4 * p]!, d.data[4 * p + 1]!, d.data[4 * p + 2]!];
        const [hi, lo] = [Math.max(r, g, b), Math.min(r, g, b)];
        if (
          planes.light.data[p] !== hi ||
          planes.dark.data[p] !== lo ||
          planes.luminance!.data[p] !== (r * 77 + g * 150 + b * 29) >> 8 ||
          planes.middle!.data[p] !== r + g + b - hi - lo ||
          planes.redGreen!.data[p] !== (256 + g - r) >> 1
        )
          wrong++;
      }
      expect(wrong).toBe(0);
    }
  });
});
