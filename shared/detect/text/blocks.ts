// Lines of one block read as one: a patient banner is redacted whole or not at all. The
// lines OCR could not read beside identifying ones, the parts the pre-screen cut off or
// chained onto anatomy, the slot of a line it missed, and the rest of a line's row.
import type { IdentifyingValue } from '../../deid';
import { classifyText, isLabel, type ClassifyOptions } from './classify';
import type { Box } from './image';
import type { OcrResult } from './ocr';
import { horizontalGap, sameRow, type TextCandidate } from './prescreen';
import type { PictureName, TextFinding } from './scanText';

/** A finding with the candidate it came from and its line (candidate ∪ words read, unpadded). */
export interface Found {
  finding: TextFinding;
  candidate: TextCandidate;
  line: Box;
  /** What OCR read (absent for lines it could not read). */
  result?: OcrResult;
}

/** The lines found identifying: what a block's other lines are judged beside. */
const identifyingOf = (found: readonly Found[]): Found[] => found.filter((f) => f.finding.textClass === 'identifying');

export function toTextFinding(
  image: PictureName,
  frame: number,
  candidate: TextCandidate,
  result: OcrResult,
  identifiers: readonly IdentifyingValue[],
  size: { width: number; height: number },
  classify?: Partial<ClassifyOptions>,
): Found | undefined {
  if (result.words.length === 0) return undefined;
  const classification = classifyText(result.words, identifiers, classify);
  // Technical text read unsurely is noise from texture, not worth a finding.
  if (classification?.textClass === 'technical' && classification.confidence < (classify?.minWordConfidence ?? 0.6)) return undefined;
  if (!classification) return undefined;
  let line: Box = { x: candidate.x, y: candidate.y, width: candidate.width, height: candidate.height };
  for (const word of result.words) line = union(line, word.box);
  // A fill must also cover the antialiased edge and halo of the glyphs; identifying lines also
  // a character's width either side, where the pre-screen loses thin end glyphs ("I", ",").
  const halo = Math.max(2, Math.round(candidate.glyphHeight * 0.25));
  const side = classification.textClass === 'identifying' ? Math.max(halo, Math.round(candidate.glyphHeight * 0.7)) : halo;
  const finding: TextFinding = {
    image,
    frame,
    box: pad(line, halo, size, side),
    text: result.text,
    textClass: classification.textClass,
    reason: classification.reason,
    ...(classification.category ? { category: classification.category } : {}),
    confidence: classification.confidence,
    ocrConfidence: result.confidence,
  };
  return { finding, candidate, line, result };
}

function pad(b: Box, by: number, size: { width: number; height: number }, sideways = by): Box {
  const x = Math.max(0, b.x - sideways);
  const y = Math.max(0, b.y - by);
  return { x, y, width: Math.min(size.width, b.x + b.width + sideways) - x, height: Math.min(size.height, b.y + b.height + by) - y };
}

/**
 * Lines OCR could not make sense of that sit in one block with identifying text (a banner's
 * garbled line), or on the same row just beside it (the rest of a name the pre-screen cut in
 * two): identifying too. A patient banner is read as a whole or not at all.
 */
export function unreadableInBlock(
  image: PictureName,
  frame: number,
  unread: readonly TextCandidate[],
  found: readonly Found[],
  size: { width: number; height: number },
  ownSize?: ReadonlySet<TextCandidate>,
): Found[] {
  const identifying = identifyingOf(found);
  const out: Found[] = [];
  for (const c of unread) {
    if (c.glyphs < 3 || c.score < 0.35) continue;
    const h = c.glyphHeight;
    const anchors = ownSize?.has(c) ? identifying.filter((a) => Math.max(a.candidate.glyphHeight / h, h / a.candidate.glyphHeight) <= 1.3) : identifying;
    const beside = anchors.some((a) => sameRow(a.candidate, c) && horizontalGap(a.line, c) <= 2.5 * Math.max(h, a.candidate.glyphHeight));
    // Directly above or below, and aligned left or right as lines of one block are.
    const aligned = (a: Found): boolean => {
      const dy = Math.max(a.line.y, c.y) - Math.min(a.line.y + a.line.height, c.y + c.height);
      // Words OCR read past the crop's ends move a line's box; its candidate's ends count too.
      const left = Math.min(Math.abs(a.line.x - c.x), Math.abs(a.candidate.x - c.x));
      const right = Math.min(Math.abs(a.line.x + a.line.width - c.x - c.width), Math.abs(a.candidate.x + a.candidate.width - c.x - c.width));
      // Centred lines (a banner's middle) line up by their centres; a clear line only, as short
      // shapes of texture line up with some centre by chance.
      const centre = c.score >= 0.8 && c.glyphs >= 6 ? Math.abs(a.line.x + a.line.width / 2 - c.x - c.width / 2) : Infinity;
      return dy <= 1.75 * h && Math.min(left, right, centre) <= 1.5 * h;
    };
    const block = c.glyphs >= 4 && c.score >= 0.5 && anchors.some(aligned);
    // Between two identifying lines of the block, a line whose small glyphs merged counts too
    // ("1997.04.27" between a record number and a date, its glyphs run together at 8 px).
    const between = !block && anchors.some((a) => a.line.y < c.y && aligned(a)) && anchors.some((a) => a.line.y > c.y && aligned(a));
    if (!beside && !block && !between) continue;
    out.push(unreadableLine(image, frame, c, size, 0));
  }
  return out;
}

/** An identifying finding for a line of a block that OCR could not read. */
function unreadableLine(image: PictureName, frame: number, c: TextCandidate, size: { width: number; height: number }, ocrConfidence: number): Found {
  const h = c.glyphHeight;
  const line: Box = { x: c.x, y: c.y, width: c.width, height: c.height };
  const halo = Math.max(2, Math.round(h * 0.25));
  const finding: TextFinding = {
    image,
    frame,
    box: pad(line, halo, size, Math.max(halo, Math.round(h * 0.7))),
    text: '',
    textClass: 'identifying',
    reason: 'unreadable-in-block',
    confidence: 0.5,
    ocrConfidence,
  };
  return { candidate: c, line, finding };
}

/** What reading more of one frame takes: where it is, how a region is read and judged. */
export interface FrameReading {
  image: PictureName;
  frame: number;
  size: { width: number; height: number };
  read: (region: TextCandidate) => Promise<OcrResult>;
  identifiers: readonly IdentifyingValue[];
  classify?: Partial<ClassifyOptions> | undefined;
}

/**
 * A clear line read as nothing that reaches past the edge of the identifying lines just above or
 * below it: the pre-screen chained anatomy beside a banner's line onto it ("1939.12.21" read as
 * "my fa" with 80 px of bone before it). Its part within the block's edge is read again.
 * Returns the parts that identify or read as nothing again (unreadable in the block), each with
 * the unread candidate it came from.
 */
export async function trimmedToBlock(
  at: FrameReading,
  candidates: readonly TextCandidate[],
  found: readonly Found[],
): Promise<Found[]> {
  const { image, frame, read, identifiers, size, classify } = at;
  const anchors = identifyingOf(found);
  const asked: Array<Promise<Found | undefined>> = [];
  for (const c of candidates) {
    if (c.score < 0.7 || c.glyphs < 6) continue;
    const h = c.glyphHeight;
    const near = anchors.filter((a) => {
      const dy = Math.max(a.line.y, c.y) - Math.min(a.line.y + a.line.height, c.y + c.height);
      const ratio = a.candidate.glyphHeight / h;
      return dy <= 1.75 * h && ratio <= 1.5 && ratio >= 1 / 1.5 && horizontalGap(a.line, c) < 0;
    });
    // The block's edges inside the line, well clear of its ends.
    const lefts = near.map((a) => a.candidate.x).filter((x) => x >= c.x + 1.5 * h && x <= c.x + c.width - 3 * h);
    const rights = near.map((a) => a.candidate.x + a.candidate.width).filter((x) => x <= c.x + c.width - 1.5 * h && x >= c.x + 3 * h);
    if (!lefts.length && !rights.length) continue;
    const x0 = lefts.length ? Math.round(Math.max(...lefts) - 0.5 * h) : c.x;
    const x1 = rights.length ? Math.round(Math.min(...rights) + 0.5 * h) : c.x + c.width;
    if (x1 - x0 < 3 * h) continue;
    const { alternative: _, ...region } = c;
    const part = { ...region, x: x0, width: x1 - x0, prepare: { ...region.prepare, clean: true } };
    asked.push(
      read(part).then((result) => {
        const one = toTextFinding(image, frame, part, result, identifiers, size, classify);
        if (one) return one.finding.textClass === 'identifying' ? { ...one, candidate: c } : undefined;
        // Unreadable again within the block's edge (not technical, if unsurely): a line of the block OCR cannot read.
        if (result.words.length && classifyText(result.words, identifiers, { ...classify, minWordConfidence: 0.3 })?.textClass === 'technical') return undefined;
        return { ...unreadableLine(image, frame, part, size, result.confidence), candidate: c };
      }),
    );
  }
  return (await Promise.all(asked)).filter((f): f is Found => f !== undefined);
}

/**
 * The line between two identifying lines of a block, one line's pitch from each, where the
 * pre-screen found nothing (its glyphs joined the skull's outline running along their tops:
 * "MRN 8035266" between a name and a hospital). The slot is read; what reads as five letters or
 * digits or more is identifying, by its reading or as an unreadable line of the block.
 */
export async function slotsInBlock(
  at: FrameReading,
  candidates: readonly TextCandidate[],
  found: readonly Found[],
): Promise<Found[]> {
  const { image, frame, read, identifiers, size, classify } = at;
  const anchors = identifyingOf(found);
  const slots: TextCandidate[] = [];
  for (const a of anchors)
    for (const b of anchors) {
      const [ac, bc] = [a.candidate, b.candidate];
      const h = ac.glyphHeight;
      if (bc.y <= ac.y || Math.max(h / bc.glyphHeight, bc.glyphHeight / h) > 1.3 || Math.abs(ac.x - bc.x) > 1.5 * h) continue;
      const pitch = (bc.y - ac.y) / 2;
      if (pitch < 1.3 * h || pitch > 2.6 * h || bc.y - (ac.y + ac.height) < 0.9 * h) continue;
      const x = Math.min(ac.x, bc.x);
      const slot: TextCandidate = {
        x,
        y: Math.round(ac.y + pitch),
        width: Math.max(ac.x + ac.width, bc.x + bc.width) - x,
        height: Math.round((ac.height + bc.height) / 2),
        score: 0.5,
        polarity: ac.polarity,
        plane: ac.plane,
        glyphHeight: h,
        glyphs: 3,
        prepare: { clean: true },
      };
      const middle = slot.y + slot.height / 2;
      const taken = (c: Box): boolean => c.y <= middle && c.y + c.height >= middle && horizontalGap(c, slot) < 0;
      if (candidates.some(taken) || found.some((f) => taken(f.line)) || slots.some(taken)) continue;
      slots.push(slot);
    }
  const out = await Promise.all(
    slots.map(async (slot) => {
      const result = await read(slot);
      if ((result.text.match(/[0-9A-Za-z]/g)?.length ?? 0) < 5) return undefined;
      const one = toTextFinding(image, frame, slot, result, identifiers, size, classify);
      if (one?.finding.textClass === 'identifying') return one;
      if (one) return undefined;
      return unreadableLine(image, frame, slot, size, result.confidence);
    }),
  );
  return out.filter((f): f is Found => f !== undefined);
}

/**
 * A piece read as technical that touches an identifying piece on its row ("01 No" beside
 * "NOV 2001") is the same line cut in two: identifying too. Columns of one row stand further apart.
 */
export function joinLines(found: readonly Found[], size: { width: number; height: number }): void {
  const anchors = identifyingOf(found);
  for (const t of found) {
    if (t.finding.textClass !== 'technical') continue;
    const h = t.candidate.glyphHeight;
    const touches = anchors.some((a) => {
      const [ac, tc] = [a.candidate, t.candidate];
      const shared = Math.min(ac.y + ac.height, tc.y + tc.height) - Math.max(ac.y, tc.y);
      return shared >= 0.6 * Math.min(a.candidate.height, t.candidate.height) && horizontalGap(a.line, t.line) <= Math.max(h, a.candidate.glyphHeight);
    });
    if (!touches) continue;
    const halo = Math.max(2, Math.round(h * 0.25));
    t.finding.textClass = 'identifying';
    t.finding.reason = 'in-line';
    t.finding.box = pad(t.line, halo, size, Math.max(halo, Math.round(h * 0.7)));
  }
}

/** How far along its row an identifying line is read again for the rest of it, in glyph heights. */
const rowReach = 10;
/** How far an unread label value is taken to reach: a date or ID of about ten characters, the glyphs of bold serif measured short. */
const labelReach = 14;

/**
 * The rest of an identifying line: its row read again, wider, and the box grown over the words
 * read next to it. The pre-screen or OCR loses a name's start or end where the glyphs touch
 * anatomy or a sector's edge ("&L Ahmed" for "Becker, Ahmed", "Born" without its date).
 */
export async function alongRow(found: readonly Found[], read: (region: TextCandidate) => Promise<OcrResult>, size: { width: number; height: number }): Promise<void> {
  await Promise.all(
    found.map(async (f) => {
      if (f.finding.textClass !== 'identifying') return;
      const c = f.candidate;
      const h = c.glyphHeight;
      const x0 = Math.max(0, Math.floor(f.line.x - rowReach * h));
      const x1 = Math.min(size.width, Math.ceil(f.line.x + f.line.width + rowReach * h));
      if (x0 >= f.line.x && x1 <= f.line.x + f.line.width) return;
      const { alternative, ...region } = c;
      // Both polarities when the pre-screen was unsure of it: the line may have been read the other way.
      const ways = alternative ? [region, { ...region, ...alternative }] : [region];
      const results = await Promise.all(ways.map((way) => read({ ...way, x: x0, width: x1 - x0 })));
      // Words on the candidate's rows that look like words, not stray marks.
      const words = results
        .flatMap((result) => result.words)
        .filter((w) => {
          const text = w.text.replace(/\s/g, '').replace(/^[^0-9A-Za-z]+|[^0-9A-Za-z]+$/g, '');
          const chars = text.match(/[0-9A-Za-z]/g)?.length ?? 0;
          // Anatomy beside a line reads as short unsure marks; the rest of a name as a word, if
          // unsurely ("Beskgr" for "Becker,").
          const word = w.confidence >= 0.45 ? chars >= 2 && chars >= 0.6 * text.length : chars >= 4 && chars >= 0.8 * text.length;
          const shared = Math.min(w.box.y + w.box.height, c.y + c.height) - Math.max(w.box.y, c.y);
          return shared >= 0.5 * Math.min(w.box.height, c.height) && word;
        })
        .map((w) => w.box);
      let left = f.line.x;
      let right = f.line.x + f.line.width;
      const gap = 1.5 * h;
      for (const b of [...words].sort((a, b) => b.x - a.x)) if (b.x < left && b.x + b.width >= left - gap) left = b.x;
      for (const b of [...words].sort((a, b) => a.x - b.x)) if (b.x + b.width > right && b.x <= right + gap) right = b.x + b.width;
      // A label whose value was not read (colour-mapped or bold serif text fading into the
      // background): the value follows on its row, so the fill reaches on along it.
      if (right === f.line.x + f.line.width && f.finding.reason === 'label' && f.result && valueUnread(f.result))
        right = Math.min(size.width, Math.ceil(right + labelReach * h));
      if (left === f.line.x && right === f.line.x + f.line.width) return;
      f.line = { ...f.line, x: left, width: right - left };
      const box = f.finding.box;
      const side = Math.max(2, Math.round(h * 0.7));
      const x = Math.max(0, Math.min(box.x, left - side));
      f.finding.box = { ...box, x, width: Math.min(size.width, Math.max(box.x + box.width, right + side)) - x };
    }),
  );
}

/** Fewer than four letters or digits read surely after a line's last label ("Born |", "ID: K3 4"). */
function valueUnread(result: OcrResult): boolean {
  const words = result.words;
  let last = -1;
  words.forEach((w, i) => {
    if (isLabel(w.text)) last = i;
  });
  if (last < 0) return false;
  const sure = words.slice(last + 1).filter((w) => w.confidence >= 0.6);
  return sure.reduce((n, w) => n + (w.text.match(/[0-9A-Za-z]/g)?.length ?? 0), 0) < 4;
}

/**
 * Identifying pieces of one row a few glyphs apart are one line the pre-screen or OCR cut
 * (a name's first glyphs merged with bright anatomy): the fill covers the gap between them.
 */
export function bridge(found: readonly Found[], size: { width: number; height: number }): void {
  const identifying = identifyingOf(found);
  for (const a of identifying) {
    let next: Found | undefined;
    for (const b of identifying) {
      if (b === a || b.line.x <= a.line.x || !sameRow(a.candidate, b.candidate)) continue;
      const gap = horizontalGap(a.line, b.line);
      if (gap > 0 && gap <= 4.5 * Math.max(a.candidate.glyphHeight, b.candidate.glyphHeight) && (!next || b.line.x < next.line.x)) next = b;
    }
    if (!next) continue;
    const box = a.finding.box;
    const right = Math.min(size.width, Math.max(box.x + box.width, next.finding.box.x + 1));
    a.finding.box = { ...box, width: right - box.x };
  }
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
