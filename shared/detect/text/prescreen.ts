// Pre-screen: where in a frame text may be, fast enough to run on every frame
// so OCR runs only there. Text is strokes of one contrast, glyph-sized, sitting
// side by side on a line; anatomy is smooth regions, long edges and random
// texture. Steps: local contrast against a box mean (integral image), one mask
// per polarity, connected components of glyph size, glyphs chained into lines.
import type { Box, Gray8, PlaneName } from './image';
import { grow, linesOf } from './lines';
import type { PrepareOptions } from './preprocess';
import { strokeMasks } from './strokes';

export type Polarity = 'light' | 'dark';

export interface TextCandidate extends Box {
  /** 0..1: how text-like the line is (glyph count, height regularity, contrast). */
  score: number;
  /** Light text on a darker background, or dark text on a lighter one. */
  polarity: Polarity;
  /** The plane it was found in, which OCR should read (see `textPlanes`). */
  plane: PlaneName;
  /**
   * The other reading when both polarities found this line and the pixels did not settle
   * which is ink (dark text on a light banner inside a dark picture): OCR may try it too.
   */
  alternative?: { polarity: Polarity; plane: PlaneName };
  /** OCR preprocessing other than the default, for a second reading (see reread.ts). */
  prepare?: Partial<PrepareOptions>;
  /** Median glyph height in pixels (drives the OCR upscale). */
  glyphHeight: number;
  glyphs: number;
}

export interface PrescreenOptions {
  /** Grey levels a stroke must stand out from its neighbourhood mean. */
  contrast: number;
  /** Glyph height range in pixels (8–24 px fonts have caps of about 6–18 px). */
  minGlyphHeight: number;
  maxGlyphHeight: number;
  /** Lines need at least this many glyphs. */
  minGlyphs: number;
  /** Half-size of the box the local mean is taken over. */
  radius: number;
  /** Lines of at most four glyphs scoring under this (or hardly wider than tall) are kept only near a strong line. */
  weakScore: number;
  /** Lines scoring under this (glyph heights all over the place) are never text. */
  minScore: number;
  /** Stroke density of the rows just above and below a line, relative to the line's, above which it is texture. */
  maxMargin: number;
}

export const defaultPrescreenOptions: PrescreenOptions = {
  contrast: 40,
  minGlyphHeight: 5,
  maxGlyphHeight: 40,
  minGlyphs: 3,
  radius: 8,
  weakScore: 0.5,
  maxMargin: 0.5,
  minScore: 0.3,
};

/**
 * Candidate text lines of one frame. `light` and `dark` are the planes light and dark text
 * are looked for in (the same image for grey; see `textPlanes` for colour).
 */
export function prescreenText(
  light: Gray8,
  dark: Gray8 = light,
  options: Partial<PrescreenOptions> = {},
  luminance?: Gray8,
  middle?: Gray8,
  redGreen?: Gray8,
): TextCandidate[] {
  const o = { ...defaultPrescreenOptions, ...options };
  const found: Array<ReturnType<typeof linesOf>> = [];
  if (light === dark) {
    const masks = strokeMasks(light, o, { light: true, dark: true });
    found.push(linesOf(masks.light, light, 'light', 'light', o, true), linesOf(masks.dark, light, 'dark', 'dark', o, true));
  } else {
    found.push(linesOf(strokeMasks(light, o, { light: true, dark: false }).light, light, 'light', 'light', o, true));
    found.push(linesOf(strokeMasks(dark, o, { light: false, dark: true }).dark, dark, 'dark', 'dark', o, true));
  }
  if (luminance) {
    const masks = strokeMasks(luminance, o, { light: true, dark: true });
    found.push(linesOf(masks.light, luminance, 'light', 'luminance', o, true), linesOf(masks.dark, luminance, 'dark', 'luminance', o, true));
  }
  // Hue planes add only lines the brightness planes did not find well: where those see the
  // text, they read it better; where they see only a weak piece of it, or a clear piece the hue
  // line holds with far more glyphs (green text on a red map: the brightness planes keep only
  // "PATIENT" of "PATIENT DUBOIS YUKI"), the hue plane's line wins.
  const seen = found.flatMap((f) => f.lines).filter((l) => !isWeak(l, o));
  const fresh = (c: TextCandidate): boolean => !seen.some((s) => overlap(s, c) > 0.3 && !holds(c, s));
  for (const [name, plane] of [['middle', middle], ['redGreen', redGreen]] as const) {
    if (!plane) continue;
    // Light only: dark tinted text (blue, black) is dark in the minimum channel already.
    const more = linesOf(strokeMasks(plane, o, { light: true, dark: false }).light, plane, 'light', name, o);
    const lines = more.lines.filter(fresh);
    for (const f of found) f.lines = f.lines.filter((l) => !lines.some((c) => overlap(c, l) > 0.3 && holds(c, l)));
    found.push({ ...more, lines, fragments: more.fragments.filter(fresh) });
  }
  // The plane each candidate was found in settles its polarity when two overlap.
  const planeImage = { light, dark, luminance: luminance ?? light, middle: middle ?? light, redGreen: redGreen ?? light };
  const lines = mergeOverlapping(found.flatMap((f) => f.lines), (c) => planeImage[c.plane], o);
  const fragments = found.flatMap((f) => f.fragments);
  // Short words ("ID:", "21") join a line on their row a few glyphs away, and words of one
  // line split by a wide space join again: a label belongs with its value.
  // Lines found with nothing near are not asked again until a line that grew comes near them
  // (only the absorbing line's box changes), which keeps this loop from going cubic on speckle.
  const settled = new Set<TextCandidate>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      if (settled.has(line)) continue;
      const near = (c: TextCandidate): boolean => nearOnRow(line, c) && (isFlat(line) === isFlat(c) || isWeak(isFlat(line) ? c : line, o));
      const other = lines.find(near);
      if (other) {
        // A line in one flat value is read in that value only: a weak piece beside it (texture) is
        // dropped, not read (clear lines beside it are read on their own, see `near`).
        const [into, gone] = isFlat(other) && !isFlat(line) ? [other, line] : [line, other];
        if (isFlat(into) === isFlat(gone)) absorb(into, gone);
        lines.splice(lines.indexOf(gone), 1);
        settled.delete(gone);
      } else {
        const fragment = fragments.find(near);
        if (!fragment) {
          settled.add(line);
          continue;
        }
        if (!isFlat(line)) absorb(line, fragment);
        fragments.splice(fragments.indexOf(fragment), 1);
      }
      for (const s of settled) if (nearOnRow(s, line)) settled.delete(s);
      changed = true;
      break;
    }
  }
  // A short, irregular line alone on the picture is texture far more often than text; burned-in
  // text comes in blocks. Keep weak lines only near a strong one (within three line heights).
  const strong = lines.filter((l) => !isWeak(l, o));
  const kept = lines.filter((l) => l.score >= o.minScore && !isSpeck(l) && (!isWeak(l, o) || strong.some((s) => nearBlock(s, l))));
  addFaintLines(kept, (c) => planeImage[c.plane], (c) => found.find((f) => f.key === `${c.plane}:${c.polarity}`), o);
  for (const line of kept) {
    const source = found.find((f) => f.key === `${line.plane}:${line.polarity}`);
    if (source && !isFlat(line)) grow(line, source.mask, source.width, kept);
  }
  return kept.sort((p, q) => p.y - q.y || p.x - q.x);
}

/**
 * Where a line of a block crosses bright tissue, its glyphs join the tissue into one shape that
 * is no glyph and the pre-screen loses them ("DOB: 15/05/1961" across the skull between two
 * found lines, "MURPHY" touching an echo sector's edge beside "RAFAEL"). Around the clear lines
 * (their rows far sideways, two and a half glyphs above and below) the plane is searched again
 * at twice the contrast (bright text touching dimmer tissue), and in each line's own rows only
 * (text touching tissue above or below it). Lines found there, on a clear line's row or aligned
 * with it, that no clear candidate covers are added. Only frames with clear text pay, on bands.
 * Around text-like lines (a few glyphs sideways) it is also searched at three quarters of the
 * contrast, with lower-case glyphs of small text: a block's fainter lines ("26 MAR 2002" in dark
 * grey over grey matter, broken into specks) and small serif text ("Name: Maria Silva" at 8 px,
 * its lower case 4 px tall).
 */
function addFaintLines(
  kept: TextCandidate[],
  imageOf: (c: TextCandidate) => Gray8,
  maskOf: (c: TextCandidate) => { mask: Uint8Array; width: number } | undefined,
  o: PrescreenOptions,
): void {
  const clear = kept.filter((l) => l.score >= 0.7 && l.glyphs >= 6);
  // Text-like lines for the search at lower contrast: a block's lines share their ink, and its
  // fainter lines (grey text on grey matter) break into specks at the pre-screen's contrast.
  const textLike = kept.filter((l) => l.score >= 0.6 && l.glyphs >= 5 && !isFlat(l));
  // One search per plane and polarity over the union of the lines' bands: a block's lines share them.
  for (const key of new Set([...clear, ...textLike].map((l) => `${l.plane}:${l.polarity}`))) {
    const lines = clear.filter((l) => `${l.plane}:${l.polarity}` === key);
    const seeds = textLike.filter((l) => `${l.plane}:${l.polarity}` === key);
    const first = (lines[0] ?? seeds[0])!;
    const image = imageOf(first);
    const polarity = first.polarity;
    const want = { light: polarity === 'light', dark: polarity === 'dark' };
    const bands = lines.map((l) => bandOf(l, image));
    const found: TextCandidate[] = [];
    const search = (around: readonly Box[], contrast: number, minGlyphHeight = o.minGlyphHeight): void => {
      if (!around.length) return;
      const x0 = Math.min(...around.map((b) => b.x));
      const y0 = Math.min(...around.map((b) => b.y));
      const area = crop(image, x0, y0, Math.max(...around.map((b) => b.x + b.width)) - x0, Math.max(...around.map((b) => b.y + b.height)) - y0);
      found.push(...linesOf(strokeMasks(area, { ...o, contrast }, want)[polarity], area, polarity, first.plane, { ...o, minGlyphHeight }).lines.map((l) => ({ ...l, x: l.x + x0, y: l.y + y0 })));
    };
    search(bands, o.contrast * 2);
    // Lines of a block sit above and below each other, aligned: their bands reach a few glyphs
    // sideways only, and each cluster of them is searched on its own.
    const seedBands = seeds.map((l) => bandOf(l, image, 6));
    // Beside small text, lower-case letters too (an 8 px serif's x-height is 4 px).
    for (const cluster of clusters(seedBands, seeds))
      search(cluster.bands, Math.round(o.contrast * 0.75), Math.min(o.minGlyphHeight, Math.max(3, Math.round(0.75 * Math.min(...cluster.lines.map((l) => l.glyphHeight))))));
    // Each clear line's own rows, cut out of the plane's mask: text that touched tissue above or below.
    const source = maskOf(first);
    for (const [i, line] of lines.entries()) {
      if (!source) break;
      const b = bands[i]!;
      const rows = { x: b.x, y: line.y, width: b.width, height: line.height };
      const cut = new Uint8Array(rows.width * rows.height);
      for (let r = 0; r < rows.height; r++) cut.set(source.mask.subarray((rows.y + r) * source.width + rows.x, (rows.y + r) * source.width + rows.x + rows.width), r * rows.width);
      const shape = { data: cut, width: rows.width, height: rows.height };
      found.push(...linesOf(cut, shape, polarity, first.plane, o).lines.map((l) => ({ ...l, x: l.x + rows.x, y: l.y + rows.y })));
    }
    const anchors = [...lines.map((l, i) => ({ l, band: bands[i]! })), ...seeds.map((l, i) => ({ l, band: seedBands[i]! }))];
    for (const moved of found) {
      if (isWeak(moved, o) || moved.score < 0.6) continue;
      // Glyphs of the size of a line whose band it lies in, on its row or aligned with it
      // as lines of a block are (speckle beside a block lines up with nothing).
      if (!anchors.some(({ l, band }) => Math.abs(moved.glyphHeight - l.glyphHeight) <= 0.25 * l.glyphHeight && contains(band, moved) && inBlockWith(l, moved))) continue;
      // It replaces weak pieces of itself (a name's tops beside the part that touched tissue), and
      // clear ones it holds with more glyphs (the whole name where a piece of it was found).
      const covering = kept.filter((k) => overlap(k, moved) > 0.3);
      if (covering.some((k) => !isWeak(k, o) && !holds(moved, k))) continue;
      for (const k of covering) kept.splice(kept.indexOf(k), 1);
      kept.push(moved);
    }
  }
}

/** Found in one flat value (see `flatLines`). */
function isFlat(c: TextCandidate): boolean {
  return c.prepare?.flat !== undefined;
}

/** `line` holds `piece` whole and sees far more of the text: the whole line where a piece of it was found. */
function holds(line: TextCandidate, piece: TextCandidate): boolean {
  return contains(line, piece, line.glyphHeight) && line.glyphs >= piece.glyphs + 3 && line.width >= 1.3 * piece.width;
}

function inBlockWith(line: TextCandidate, c: TextCandidate): boolean {
  if (sameRow(line, c)) return true;
  const reach = 2.5 * line.glyphHeight;
  return Math.abs(line.x - c.x) <= reach || Math.abs(line.x + line.width - c.x - c.width) <= reach;
}

/** Bands that overlap, chained, with their lines: a block's bands, searched as one. */
function clusters(bands: readonly Box[], lines: readonly TextCandidate[]): Array<{ bands: Box[]; lines: TextCandidate[] }> {
  const out: Array<{ bands: Box[]; lines: TextCandidate[]; box: Box }> = [];
  bands.forEach((band, i) => {
    const touching = out.filter((c) => horizontalGap(c.box, band) < 0 && Math.max(c.box.y, band.y) < Math.min(c.box.y + c.box.height, band.y + band.height));
    const into = { bands: [band, ...touching.flatMap((c) => c.bands)], lines: [lines[i]!, ...touching.flatMap((c) => c.lines)], box: touching.reduce((b, c) => union(b, c.box), band) };
    for (const c of touching) out.splice(out.indexOf(c), 1);
    out.push(into);
  });
  return out;
}

/** A line's search band: its row `sideways` glyphs either side (far, by default), two and a half glyphs above and below. */
function bandOf(line: TextCandidate, image: Gray8, sideways = 15): Box {
  const h = line.glyphHeight;
  const x = Math.max(0, Math.round(line.x - sideways * h));
  const y = Math.max(0, Math.round(line.y - 2.5 * h));
  const x1 = Math.min(image.width, Math.round(line.x + line.width + sideways * h));
  const y1 = Math.min(image.height, Math.round(line.y + line.height + 2.5 * h));
  return { x, y, width: x1 - x, height: y1 - y };
}

/** `outer` holds `inner`, but for `slack` pixels at its ends. */
function contains(outer: Box, inner: Box, slack = 0): boolean {
  return inner.x >= outer.x - slack && inner.x + inner.width <= outer.x + outer.width + slack && inner.y >= outer.y - slack && inner.y + inner.height <= outer.y + outer.height + slack;
}

function crop(image: Gray8, x: number, y: number, width: number, height: number): Gray8 {
  const data = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) data.set(image.data.subarray((y + r) * image.width + x, (y + r) * image.width + x + width), r * width);
  return { data, width, height };
}

/** A short word or a piece of the line on its row, close enough to join it (see `reach`). */
function nearOnRow(line: TextCandidate, c: TextCandidate): boolean {
  return c !== line && sameRow(line, c) && horizontalGap(line, c) <= reach(line, c) * Math.max(line.glyphHeight, c.glyphHeight);
}

/** At most four glyphs, and irregular or hardly wider than tall: what texture looks like. */
function isWeak(line: TextCandidate, o: PrescreenOptions): boolean {
  return line.glyphs <= 4 && (line.score < o.weakScore || line.width < 3.5 * line.glyphHeight);
}

/**
 * Three glyphs or fewer, hardly wider than tall, left alone after labels and short words joined
 * their lines: speckle beside texture, not text worth a reading.
 */
function isSpeck(line: TextCandidate): boolean {
  return line.glyphs <= 3 && line.width < 2.5 * line.glyphHeight;
}

/** In the same block of text: within three line heights above or below, and overlapping in x or close. */
function nearBlock(a: TextCandidate, b: TextCandidate): boolean {
  const h = Math.max(a.glyphHeight, b.glyphHeight);
  const dy = Math.max(a.y, b.y) - Math.min(a.y + a.height, b.y + b.height);
  return dy <= 3 * h && horizontalGap(a, b) <= 4 * h;
}

/**
 * Light text also shows in the dark mask (the background between its strokes), and the other
 * way round: of overlapping candidates the one whose polarity the box's pixels agree with
 * wins — ink is the minority of a text box, so light text leaves most pixels dark.
 */
function mergeOverlapping(lines: TextCandidate[], imageOf: (c: TextCandidate) => Gray8, o: PrescreenOptions): TextCandidate[] {
  const out: TextCandidate[] = [];
  for (const line of lines.sort((p, q) => q.score - p.score)) {
    const rival = out.findIndex((l) => overlap(l, line) > 0.3);
    if (rival < 0) {
      out.push({ ...line });
      continue;
    }
    const other = out[rival]!;
    // Beside a line far taller or wider (the text merged with tissue or a streak, or more text the
    // value missed) a line in one flat value is read too; it replaces a weak line or one of other
    // glyphs (pieces of the text merged with tissue); a clear line of its size is read as usual.
    if (isFlat(line) !== isFlat(other)) {
      const [flat, plain] = isFlat(line) ? [line, other] : [other, line];
      const ratio = plain.glyphHeight / flat.glyphHeight;
      if (plain.height >= 1.5 * flat.height || plain.width >= 1.3 * flat.width) out.splice(rival, 1, { ...plain }, { ...flat });
      else if (isWeak(plain, o) || ratio > 1.3 || ratio < 1 / 1.3) out[rival] = { ...flat };
      else out[rival] = { ...plain };
      continue;
    }
    if (other.polarity === line.polarity) {
      absorb(other, line);
      continue;
    }
    const [winner, loser] = winsOver(line, other, imageOf(line), o) ? [{ ...line }, other] : [other, line];
    // Losers come strongest first: the first is the other reading worth trying.
    if (loser.score >= 0.5 && loser.glyphs >= 3) winner.alternative ??= { polarity: loser.polarity, plane: loser.plane };
    // Both found the same line, each maybe only part of it: OCR reads all of it either way
    // (sideways only: the winner's rows keep the baseline that later joins pieces to it).
    const x = Math.min(winner.x, loser.x);
    winner.width = Math.max(winner.x + winner.width, loser.x + loser.width) - x;
    winner.x = x;
    winner.glyphs = Math.max(winner.glyphs, loser.glyphs);
    out[rival] = winner;
  }
  return out;
}

/**
 * Whether `line` beats its overlapping rival of the other polarity: a far stronger line wins
 * (light text crossing bright anatomy leaves the box mostly bright), else the box's pixels decide.
 */
function winsOver(line: TextCandidate, other: TextCandidate, image: Gray8, o: PrescreenOptions): boolean {
  // A short irregular line (the gaps of bright tissue between light glyphs) never beats a text-like one.
  const weak = (c: TextCandidate): boolean => isWeak(c, o);
  if (weak(line) !== weak(other)) return weak(other);
  if (line.glyphs >= 2 * other.glyphs && line.score >= other.score + 0.4) return true;
  if (other.glyphs >= 2 * line.glyphs && other.score >= line.score + 0.4) return false;
  return inkPolarity(image, union(other, line)) === line.polarity;
}

function inkPolarity(image: Gray8, box: Box): Polarity {
  let lo = 255;
  let hi = 0;
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++) {
      const v = image.data[y * image.width + x]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  const mid = (lo + hi) / 2;
  let bright = 0;
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++) if (image.data[y * image.width + x]! > mid) bright++;
  return bright < (box.width * box.height) / 2 ? 'light' : 'dark';
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function absorb(into: TextCandidate, other: Box & { glyphs?: number }): void {
  const x = Math.min(into.x, other.x);
  const y = Math.min(into.y, other.y);
  into.width = Math.max(into.x + into.width, other.x + other.width) - x;
  into.height = Math.max(into.y + into.height, other.y + other.height) - y;
  into.x = x;
  into.y = y;
}

/**
 * How far (in glyph heights) a piece may be from a line and still join it: further when it
 * stands on the line's baseline exactly (glyphs lost in between to bright anatomy).
 */
function reach(line: TextCandidate, piece: TextCandidate): number {
  const sameBaseline = Math.abs(line.y + line.height - (piece.y + piece.height)) <= 1;
  const base = piece.glyphs > 1 ? 2.5 : 1.5;
  return sameBaseline ? base + 1.5 : base;
}

/** Two lines of one row: similar glyphs sharing most of their rows. */
export function sameRow(a: TextCandidate, b: TextCandidate): boolean {
  const ratio = a.glyphHeight > b.glyphHeight ? a.glyphHeight / b.glyphHeight : b.glyphHeight / a.glyphHeight;
  const shared = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return ratio <= 1.5 && shared >= 0.6 * Math.min(a.height, b.height);
}

export function horizontalGap(a: Box, b: Box): number {
  return Math.max(a.x, b.x) - Math.min(a.x + a.width, b.x + b.width);
}

/** Intersection over the smaller box. */
function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / Math.min(a.width * a.height, b.width * b.height);
}
