// The pre-screen's passes over every pixel of a plane (see prescreen.ts): masks of pixels that
// stand out from their neighbourhood, and the mask's connected components. They run once or twice
// per plane on every frame, so they slide box sums, keep two rows of labels and reuse their scratch.
import type { Gray8 } from './image';

/** A connected component of a stroke mask: its bounding box and run counts. */
export interface Glyph {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pixels: number;
  /** Horizontal and vertical runs of mask pixels: pixels / runs is a mean stroke width. */
  runs: number;
  vruns: number;
}

/** What the masks take from the pre-screen's options. */
export interface StrokeOptions {
  /** Grey levels a stroke must stand out from its neighbourhood mean. */
  contrast: number;
  /** Half-size of the box the local mean is taken over. */
  radius: number;
}

/**
 * Masks of pixels that stand out from their neighbourhood mean by `contrast`: brighter (light
 * text) and darker (dark text). The box sums slide (column sums down, a window across) instead of
 * an integral image per plane; away from the picture's edges the box is whole, so that loop has
 * no clipping and each mask its own.
 */
export function strokeMasks(image: Gray8, o: StrokeOptions, want: { light: boolean; dark: boolean }): { light: Uint8Array; dark: Uint8Array } {
  const { data, width: w, height: h } = image;
  const light = new Uint8Array(want.light ? w * h : 0);
  const dark = new Uint8Array(want.dark ? w * h : 0);
  const r = o.radius;
  const c = o.contrast;
  const column = scratchColumns(w);
  for (let y = 0; y < r && y < h; y++) for (let x = 0, s = y * w; x < w; x++) column[x] += data[s + x]!;
  // Pixels that stand out: v·n − total ≥ c·n (light) or total − v·n ≥ c·n (dark), no division.
  const edge = (p: number, total: number, n: number): void => {
    const diff = data[p]! * n - total;
    if (diff >= c * n) {
      if (want.light) light[p] = 1;
    } else if (-diff >= c * n && want.dark) dark[p] = 1;
  };
  const left = Math.min(r + 1, w);
  const right = Math.max(left, w - r);
  for (let y = 0; y < h; y++) {
    // Column sums over rows [y − r, y + r], clipped to the picture.
    const add = y + r < h ? (y + r) * w : -1;
    const sub = y - r - 1 >= 0 ? (y - r - 1) * w : -1;
    if (add >= 0 && sub >= 0) for (let x = 0; x < w; x++) column[x] += data[add + x]! - data[sub + x]!;
    else if (add >= 0) for (let x = 0; x < w; x++) column[x] += data[add + x]!;
    else if (sub >= 0) for (let x = 0; x < w; x++) column[x] -= data[sub + x]!;
    const rows = Math.min(h, y + r + 1) - Math.max(0, y - r);
    const row = y * w;
    let total = 0;
    for (let x = 0; x < r && x < w; x++) total += column[x]!;
    for (let x = 0; x < left; x++) {
      if (x + r < w) total += column[x + r]!;
      edge(row + x, total, rows * Math.min(w, x + r + 1));
    }
    const n = rows * (2 * r + 1);
    const limit = c * n;
    if (want.light && want.dark)
      for (let x = left; x < right; x++) {
        total += column[x + r]! - column[x - r - 1]!;
        const diff = data[row + x]! * n - total;
        if (diff >= limit) light[row + x] = 1;
        else if (-diff >= limit) dark[row + x] = 1;
      }
    else if (want.light)
      for (let x = left; x < right; x++) {
        total += column[x + r]! - column[x - r - 1]!;
        if (data[row + x]! * n - total >= limit) light[row + x] = 1;
      }
    else
      for (let x = left; x < right; x++) {
        total += column[x + r]! - column[x - r - 1]!;
        if (total - data[row + x]! * n >= limit) dark[row + x] = 1;
      }
    for (let x = right; x < w; x++) {
      if (x + r < w) total += column[x + r]!;
      if (x - r - 1 >= 0) total -= column[x - r - 1]!;
      edge(row + x, total, rows * (Math.min(w, x + r + 1) - Math.max(0, x - r)));
    }
  }
  return { light, dark };
}

let columns = new Int32Array(0);

/** A zeroed row of column sums, reused from frame to frame. */
function scratchColumns(w: number): Int32Array {
  if (columns.length < w) columns = new Int32Array(w);
  else columns.fill(0, 0, w);
  return columns;
}

/** Union-find parents and per-label bounds and run counts, reused from frame to frame (grown as needed). */
const labelStats = { parent: new Int32Array(1024), x0: new Int32Array(1024), x1: new Int32Array(1024), y0: new Int32Array(1024), y1: new Int32Array(1024), pixels: new Int32Array(1024), runs: new Int32Array(1024), vruns: new Int32Array(1024) };
let labelRows = new Int32Array(0);

/** Grows the label scratch to twice its size, or (`reset`) gives back what a huge noisy picture took. */
function growLabels(reset = false): void {
  for (const key of Object.keys(labelStats) as Array<keyof typeof labelStats>) {
    if (reset) {
      labelStats[key] = new Int32Array(1024);
      continue;
    }
    const grown = new Int32Array(labelStats[key].length * 2);
    grown.set(labelStats[key]);
    labelStats[key] = grown;
  }
}

/**
 * 8-connected components with their bounding boxes and run counts, in one pass: labels of the
 * row above and this one only (read where the mask is set, so never cleared), each label's counts
 * folded into its root at the end (union-find). Empty stretches are skipped four pixels at a time.
 */
export function components(mask: Uint8Array, w: number, h: number): Glyph[] {
  const m = mask.byteOffset % 4 ? mask.slice() : mask;
  const words = new Uint32Array(m.buffer, m.byteOffset, m.length >> 2);
  if (labelRows.length < 2 * w) labelRows = new Int32Array(2 * w);
  let above = labelRows.subarray(0, w);
  let row = labelRows.subarray(w, 2 * w);
  let { parent, x0, x1, y0, y1, pixels, runs, vruns } = labelStats;
  let next = 1;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  // The smaller label (made first, so the component's first pixel in raster order) is the root.
  const join = (a: number, b: number): number => {
    if (!a) return b;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    if (ra < rb) {
      parent[rb] = ra;
      return ra;
    }
    parent[ra] = rb;
    return rb;
  };
  for (let y = 0; y < h; y++) {
    const start = y * w;
    const end = start + w;
    for (let p = start; p < end; ) {
      if ((p & 3) === 0 && p + 4 <= end && words[p >> 2] === 0) {
        p += 4;
        continue;
      }
      if (!m[p]) {
        p++;
        continue;
      }
      const x = p - start;
      const left = x > 0 && m[p - 1] === 1;
      const up = y > 0 && m[p - w] === 1;
      const upLeft = y > 0 && x > 0 && m[p - w - 1] === 1;
      const upRight = y > 0 && x < w - 1 && m[p - w + 1] === 1;
      // Neighbours that touch each other are one component already: the pixel above touches
      // all the others, the left one touches the one above-left.
      let label = 0;
      if (up) label = above[x]!;
      else {
        if (left) label = row[x - 1]!;
        else if (upLeft) label = above[x - 1]!;
        if (upRight) label = join(label, above[x + 1]!);
      }
      if (!label) {
        if (next === parent.length) {
          growLabels();
          ({ parent, x0, x1, y0, y1, pixels, runs, vruns } = labelStats);
        }
        label = next++;
        parent[label] = label;
        x0[label] = x;
        x1[label] = x;
        y0[label] = y;
        pixels[label] = 0;
        runs[label] = 0;
        vruns[label] = 0;
      }
      row[x] = label;
      if (x < x0[label]!) x0[label] = x;
      if (x > x1[label]!) x1[label] = x;
      y1[label] = y;
      pixels[label]++;
      if (!left) runs[label]++;
      if (!up) vruns[label]++;
      p++;
    }
    const swap = above;
    above = row;
    row = swap;
  }
  // Fold each label into its root; roots in label order are components in raster order.
  for (let l = next - 1; l >= 1; l--) {
    const root = find(l);
    if (root === l) continue;
    if (x0[l]! < x0[root]!) x0[root] = x0[l]!;
    if (x1[l]! > x1[root]!) x1[root] = x1[l]!;
    if (y0[l]! < y0[root]!) y0[root] = y0[l]!;
    if (y1[l]! > y1[root]!) y1[root] = y1[l]!;
    pixels[root] += pixels[l]!;
    runs[root] += runs[l]!;
    vruns[root] += vruns[l]!;
  }
  const glyphs: Glyph[] = [];
  for (let l = 1; l < next; l++)
    if (parent[l] === l) glyphs.push({ x0: x0[l]!, y0: y0[l]!, x1: x1[l]!, y1: y1[l]!, pixels: pixels[l]!, runs: runs[l]!, vruns: vruns[l]! });
  if (parent.length > 1 << 16) growLabels(true);
  return glyphs;
}
