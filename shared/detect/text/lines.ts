// From a stroke mask to the pre-screen's lines: glyph-sized components chained along a baseline,
// lines with clear margins, lines in one flat value inside shapes that are no glyph, and a line's
// end grown along its strokes. prescreen.ts decides which lines of which planes are kept.
import type { Box, Gray8, PlaneName } from './image';
import type { Polarity, PrescreenOptions, TextCandidate } from './prescreen';
import { components, type Glyph } from './strokes';

export function linesOf(
  mask: Uint8Array,
  image: Gray8,
  polarity: Polarity,
  plane: PlaneName,
  o: PrescreenOptions,
  flat = false,
): { lines: TextCandidate[]; fragments: TextCandidate[]; mask: Uint8Array; key: string; width: number } {
  const shapes = components(mask, image.width, image.height);
  const glyphs = shapes.filter((g) => isGlyph(g, o));
  const found = chainLines(glyphs, polarity, plane, o);
  const clear = (l: TextCandidate): boolean => marginShare(mask, image.width, image.height, l) <= o.maxMargin;
  const lines = found.lines.filter(clear);
  if (flat) lines.push(...flatLines(mask, image, shapes, polarity, plane, o));
  return { lines, fragments: found.fragments.filter(clear), mask, key: `${plane}:${polarity}`, width: image.width };
}

/**
 * Text touching bright tissue or an echo's streak merges with it into one shape that is no glyph.
 * Burned-in text is drawn in one flat colour, which anatomy seldom holds over many pixels: inside
 * the largest such shapes, the stroke pixels of a value far more frequent than its neighbours are
 * searched alone ("DOB 1950/02/11" in grey 200 touching a brighter streak of the Doppler sector).
 * Lines found there are read in that value only (`prepare.flat`).
 */
function flatLines(mask: Uint8Array, image: Gray8, shapes: readonly Glyph[], polarity: Polarity, plane: PlaneName, o: PrescreenOptions): TextCandidate[] {
  const w = image.width;
  const blobs = shapes
    .filter((g) => g.pixels >= 60 && !isGlyph(g, o) && (g.y1 - g.y0 + 1 > o.maxGlyphHeight || g.x1 - g.x0 > 6 * (g.y1 - g.y0 + 1)))
    .sort((a, b) => b.pixels - a.pixels)
    .slice(0, 2);
  const out: TextCandidate[] = [];
  const histogram = new Uint32Array(256);
  for (const b of blobs) {
    const bw = b.x1 - b.x0 + 1;
    const bh = b.y1 - b.y0 + 1;
    histogram.fill(0);
    let total = 0;
    for (let y = b.y0; y <= b.y1; y++)
      for (let x = b.x0, p = y * w + x; x <= b.x1; x++, p++)
        if (mask[p]) {
          histogram[image.data[p]!]!++;
          total++;
        }
    // A value far more frequent than its neighbours, yet not most of the shape (saturated bone).
    const spikes: number[] = [];
    for (let v = 0; v < 256; v++) {
      const n = histogram[v]!;
      const around = Math.max(v >= 2 ? histogram[v - 2]! : 0, v <= 253 ? histogram[v + 2]! : 0);
      if (n >= 40 && n <= 0.5 * total && n >= 4 * around && n >= (histogram[v - 1] ?? 0) && n >= (histogram[v + 1] ?? 0)) spikes.push(v);
    }
    for (const value of spikes.sort((p, q) => histogram[q]! - histogram[p]!).slice(0, 2)) {
      const sub = new Uint8Array(bw * bh);
      for (let y = 0; y < bh; y++)
        for (let x = 0, p = (b.y0 + y) * w + b.x0; x < bw; x++, p++) if (mask[p] && image.data[p]! - value <= 1 && value - image.data[p]! <= 1) sub[y * bw + x] = 1;
      const found = chainLines(components(sub, bw, bh).filter((g) => isGlyph(g, o)), polarity, plane, o);
      for (const l of found.lines) {
        if (l.score < 0.7 || l.glyphs < 5 || marginShare(sub, bw, bh, l) > o.maxMargin) continue;
        const line = { ...l, x: l.x + b.x0, y: l.y + b.y0, prepare: { flat: value } };
        // Ink is the minority of a line's box: a value filling most of it is the background between
        // glyphs of the other polarity (the light banner behind dark text).
        let same = 0;
        for (let y = line.y; y < line.y + line.height; y++) for (let x = line.x, p = y * w + x; x < line.x + line.width; x++, p++) if (Math.abs(image.data[p]! - value) <= 1) same++;
        if (same < 0.5 * line.width * line.height) out.push(line);
      }
    }
  }
  return out;
}

/**
 * Glyphs touching bright anatomy or a sector's edge merge with it into one component that is
 * no glyph, and a line loses its end there. Strokes go on along the line's middle rows: the
 * box follows them sideways while gaps stay under a glyph's height, up to a few glyphs.
 */
export function grow(line: TextCandidate, mask: Uint8Array, w: number, others: readonly Box[]): void {
  const h = line.glyphHeight;
  // Never into another line's box: two lines' crops would read each other's text.
  let stopRight = w;
  let stopLeft = -1;
  for (const o of others) {
    if (o === line || o.y >= line.y + line.height || o.y + o.height <= line.y) continue;
    if (o.x >= line.x + line.width) stopRight = Math.min(stopRight, o.x);
    else if (o.x + o.width <= line.x) stopLeft = Math.max(stopLeft, o.x + o.width - 1);
  }
  const y0 = line.y + Math.floor(line.height * 0.25);
  const y1 = line.y + Math.ceil(line.height * 0.75);
  const inked = (x: number): boolean => {
    for (let y = y0; y < y1; y++) if (mask[y * w + x]) return true;
    return false;
  };
  const gap = Math.max(3, Math.round(h * 0.7));
  const most = Math.round(h * 4);
  let right = line.x + line.width - 1;
  const end = line.x + line.width + most;
  for (let x = right + 1; x < stopRight && x - right <= gap && x <= end; x++) if (inked(x)) right = x;
  let left = line.x;
  for (let x = left - 1; x > stopLeft && left - x <= gap && x >= line.x - most; x--) if (inked(x)) left = x;
  line.width = right - left + 1;
  line.x = left;
}

/**
 * Printed lines have clear margins: the two rows above and below a line hold few stroke pixels
 * compared with the line itself (line spacing), while texture and edges run on past the box.
 * Returns the margin rows' stroke density over the line's.
 */
function marginShare(mask: Uint8Array, w: number, h: number, box: Box): number {
  let inside = 0;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) inside += mask[y * w + x]!;
  let margin = 0;
  let rows = 0;
  for (const y of [box.y - 2, box.y - 1, box.y + box.height, box.y + box.height + 1]) {
    if (y < 0 || y >= h) continue;
    rows++;
    for (let x = box.x; x < box.x + box.width; x++) margin += mask[y * w + x]!;
  }
  if (!inside || !rows) return 0;
  return margin / rows / (inside / box.height);
}

export function isGlyph(g: Glyph, o: PrescreenOptions): boolean {
  const width = g.x1 - g.x0 + 1;
  const height = g.y1 - g.y0 + 1;
  if (height < o.minGlyphHeight || height > o.maxGlyphHeight) return false;
  // Glyphs that touch merge into one component: allow a short word, not a long edge. Small
  // bold text merges whole words ("Lakeview" at 8 px is one component 7 heights wide).
  if (width > height * (height <= 9 ? 8 : 6)) return false;
  const fill = g.pixels / (width * height);
  // Bars ("I", "l", "1") fill their box; anything wider that does is a blob.
  if (fill < 0.12 || (fill > 0.9 && width > height * 0.4)) return false;
  // Strokes are thin for their height in one direction at least (bars are long the other
  // way); blobs of tissue are thick both ways.
  return g.pixels / Math.max(g.runs, g.vruns) <= Math.max(5, height * 0.5);
}

/** Chains glyphs left to right into lines: overlapping rows, similar heights, small gaps. */
function chainLines(glyphs: Glyph[], polarity: Polarity, plane: PlaneName, o: PrescreenOptions): { lines: TextCandidate[]; fragments: TextCandidate[] } {
  glyphs.sort((a, b) => a.x0 - b.x0);
  const n = glyphs.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  for (let i = 0; i < n; i++) {
    const a = glyphs[i]!;
    const ha = a.y1 - a.y0 + 1;
    for (let j = i + 1; j < n; j++) {
      const b = glyphs[j]!;
      const hb = b.y1 - b.y0 + 1;
      const maxGap = Math.max(ha, hb) * 2;
      if (b.x0 - a.x1 > maxGap) break;
      if (b.x0 < a.x0 + 1 && b.x1 > a.x1) continue;
      const ratio = ha > hb ? ha / hb : hb / ha;
      if (ratio > 2.2) continue;
      const shared = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1;
      if (shared < 0.6 * Math.min(ha, hb)) continue;
      // Glyphs of one line share their top (caps, x-height) or their bottom (baseline), or one
      // spans the other (",", "-" beside a letter); a descender of the line above does neither.
      if (!alignedInLine(a, b, ha, hb)) continue;
      parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, Glyph[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const list = groups.get(root);
    if (list) list.push(glyphs[i]!);
    else groups.set(root, [glyphs[i]!]);
  }
  const lines: TextCandidate[] = [];
  const fragments: TextCandidate[] = [];
  for (const group of groups.values()) {
    // Tall neighbours (an edge of bone beside the text) can join a chain: drop members far
    // taller than the line's median glyph before taking its box.
    const groupMedian = group.map((g) => g.y1 - g.y0 + 1).sort((a, b) => a - b)[group.length >> 1]!;
    const members = group.filter((g) => g.y1 - g.y0 + 1 <= groupMedian * 1.7);
    // A glyph wider than tall counts as the letters it likely holds.
    let count = 0;
    for (const g of members) count += Math.max(1, Math.round((g.x1 - g.x0 + 1) / ((g.y1 - g.y0 + 1) * 0.7)));
    const heights = members.map((g) => g.y1 - g.y0 + 1).sort((a, b) => a - b);
    const median = heights[heights.length >> 1]!;
    // Printed glyphs stand on one baseline (descenders aside); random texture does not.
    const bottoms = members.map((g) => g.y1).sort((a, b) => a - b);
    const tolerance = Math.max(1, Math.round(median * 0.15));
    const tops = members.map((g) => g.y0).sort((a, b) => a - b);
    const top = tops[tops.length >> 1]!;
    // A descender ("g", "y", ",") hangs a little below the baseline but starts where its
    // neighbours do; at most half of a short line's glyphs do (a long one passes on its baseline alone).
    const onBaselineOf = (baseline: number): number => {
      const descends = (g: Glyph): boolean => g.y1 > baseline + tolerance && g.y1 - baseline <= median * 0.5 && Math.abs(g.y0 - top) <= tolerance;
      const descenders = members.filter(descends).length;
      return (members.filter((g) => Math.abs(g.y1 - baseline) <= tolerance).length + (members.length <= 4 && 2 * descenders <= members.length ? descenders : 0)) / members.length;
    };
    // Of a short line's words half may end in a descender ("John Wang"): the median bottom is
    // then a descender's, and the line's baseline the bottom just above it (from four members
    // on: a pair of texture blobs would pass on either of its bottoms).
    const onMedian = onBaselineOf(bottoms[bottoms.length >> 1]!);
    const onBaseline = members.length >= 4 ? Math.max(onMedian, onBaselineOf(bottoms[(bottoms.length - 1) >> 1]!)) : onMedian;
    if (onBaseline < (members.length <= 4 ? 0.99 : 0.6)) continue;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const g of members) {
      x0 = Math.min(x0, g.x0);
      y0 = Math.min(y0, g.y0);
      x1 = Math.max(x1, g.x1);
      y1 = Math.max(y1, g.y1);
    }
    let spread = 0;
    for (const hgt of heights) spread += Math.abs(hgt - median);
    spread /= heights.length * median;
    const score = Math.min(1, count / 8) * Math.max(0, 1 - spread * 2);
    const line: TextCandidate = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1, score, polarity, plane, glyphHeight: median, glyphs: count };
    (count >= o.minGlyphs ? lines : fragments).push(line);
  }
  return { lines, fragments };
}

function alignedInLine(a: Glyph, b: Glyph, ha: number, hb: number): boolean {
  const slack = Math.max(1, Math.round(Math.min(ha, hb) * 0.2));
  if (Math.abs(a.y0 - b.y0) <= slack || Math.abs(a.y1 - b.y1) <= slack) return true;
  return (a.y0 <= b.y0 && a.y1 >= b.y1) || (b.y0 <= a.y0 && b.y1 >= a.y1);
}
