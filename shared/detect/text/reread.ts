// Reading one candidate region, with a second look where the first fails: the other
// polarity when the pre-screen was unsure of it, and once more with a wider local
// threshold when a text-like line read as nothing identifying. Bold or serif text over
// bright anatomy or a colour map loses strokes to a threshold box two glyphs wide; a box
// four glyphs wide keeps them. On a colour-mapped picture, a line still read badly is read
// in the one colour its glyphs are drawn in (colourInk.ts). Only weak readings get the extra
// passes, so a series of clean slices pays for them on few regions.
import type { IdentifyingValue } from '../../deid';
import { classifyText, type ClassifyOptions, type TextClassification } from './classify';
import { colourDistance, inkColours } from './colourInk';
import type { Gray8, TextPlanes } from './image';
import type { OcrEngine, OcrResult } from './ocr';
import type { TextCandidate } from './prescreen';

/** Settings of the second reading (see preprocess.ts): the local mean over about four glyphs. */
export const retryPrepare = { radius: 2 } as const;

interface Counter {
  ocrRegions: number;
}

/** A reading with how it classifies. */
interface Reading {
  result: OcrResult;
  verdict: TextClassification | undefined;
}

export async function readCandidate(
  ocr: OcrEngine,
  planes: TextPlanes,
  plane: Gray8,
  candidate: TextCandidate,
  identifiers: readonly IdentifyingValue[],
  stats: Counter,
  classify?: Partial<ClassifyOptions>,
): Promise<OcrResult> {
  const judge = (result: OcrResult): Reading => ({ result, verdict: result.words.length ? classifyText(result.words, identifiers, classify) : undefined });
  const at: Reader = { ocr, planes, stats, judge, identifiers, classify };
  const read = await readInPlanes(at, plane, candidate);
  return (await readInColour(at, candidate, read)) ?? read;
}

/** What one candidate's readings share. */
interface Reader {
  ocr: OcrEngine;
  planes: TextPlanes;
  stats: Counter;
  judge: (result: OcrResult) => Reading;
  identifiers: readonly IdentifyingValue[];
  classify?: Partial<ClassifyOptions> | undefined;
}

async function readInPlanes({ ocr, planes, stats, judge, identifiers, classify }: Reader, plane: Gray8, candidate: TextCandidate): Promise<OcrResult> {
  stats.ocrRegions++;
  let best = judge(await ocr.recognize(plane, candidate));
  let region = candidate;
  // Unsure of the polarity and of the reading: read the other way too.
  if (candidate.alternative && best.result.confidence < 0.8) {
    const { polarity, plane: other } = candidate.alternative;
    const flipped = { ...candidate, polarity, plane: other };
    stats.ocrRegions++;
    const second = judge(await ocr.recognize(planes[other] ?? plane, flipped));
    if (better(second, best)) {
      best = second;
      region = flipped;
    }
  }
  // A box far taller than its measured glyphs: the pre-screen saw only their tops (bold text
  // over bright tissue), so the crop was scaled and thresholded for glyphs half their size.
  // Read from the brightness plane of its polarity: tinted text is brightest in its strongest
  // channel, where the luminance plane may have cut it.
  if (!best.verdict && region.plane !== region.polarity && candidate.glyphs >= 5 && candidate.score >= 0.7 && candidate.height >= 1.8 * candidate.glyphHeight) {
    stats.ocrRegions++;
    const other = region.polarity;
    const tall = judge(await ocr.recognize(planes[other], { ...region, plane: other, glyphHeight: Math.round(candidate.height / 1.3), prepare: retryPrepare }));
    if (identifiesSurely(tall)) return tall.result;
  }
  if (!worthRetry(best, candidate, identifiers, classify)) return best.result;
  stats.ocrRegions++;
  const retry = judge(await ocr.recognize(planes[region.plane] ?? plane, { ...region, prepare: retryPrepare }));
  return identifiesSurely(retry) ? retry.result : best.result;
}

/**
 * A line of a colour-mapped picture read badly in every plane: read once more in the one colour
 * its glyphs are drawn in, when the box has such a colour (colourInk.ts).
 */
async function readInColour({ ocr, planes, stats, judge, identifiers, classify }: Reader, candidate: TextCandidate, read: OcrResult): Promise<OcrResult | undefined> {
  const colour = planes.colour;
  if (!colour || candidate.prepare?.flat !== undefined || candidate.glyphs < 3 || candidate.score < 0.3 || read.confidence >= 0.6) return undefined;
  if (identifiesSurely(judge(read))) return undefined;
  // Read as technical text, however unsurely: the planes showed its glyphs (an echo's own labels).
  if (read.words.length && classifyText(read.words, identifiers, { ...classify, minWordConfidence: 0.3 })?.textClass === 'technical') return undefined;
  for (const ink of inkColours(colour, candidate)) {
    stats.ocrRegions++;
    const region = { ...candidate, glyphHeight: ink.glyphHeight, prepare: { flat: 0, colour: ink.colour } };
    const inColour = judge(await ocr.recognize(colourDistance(colour, ink.colour, region), region));
    if (identifiesSurely(inColour)) return inColour.result;
  }
  return undefined;
}

/**
 * The second reading counts when it identifies by a pattern or the header, or reads
 * unexplained words very surely: texture read twice stays unsure.
 */
function identifiesSurely(r: Reading): boolean {
  if (r.verdict?.textClass !== 'identifying' || !wordy(r.result.text)) return false;
  return r.verdict.reason !== 'unexplained' || r.result.confidence >= 0.8;
}

/** Mostly letters and digits, not dashes and stray marks (what texture reads as). */
function wordy(text: string): boolean {
  const marks = text.replace(/\s/g, '');
  return (marks.match(/[0-9A-Za-z]/g)?.length ?? 0) >= 0.6 * marks.length;
}

/**
 * Whether reading `a` beats `b`: one that identifies the person by a pattern or the header
 * wins over one that does not (the wrong polarity reads garbage, or a part as technical);
 * else the clearly surer one.
 */
function better(a: Reading, b: Reading): boolean {
  if (!a.result.words.length) return false;
  const strong = (r: Reading): boolean => r.verdict?.textClass === 'identifying' && r.verdict.reason !== 'unexplained';
  if (strong(a) !== strong(b)) return strong(a);
  return a.result.confidence > b.result.confidence + 0.1;
}

/** A line-like region whose reading identifies nothing and does not even unsurely read as technical. */
function worthRetry(best: Reading, candidate: TextCandidate, identifiers: readonly IdentifyingValue[], classify?: Partial<ClassifyOptions>): boolean {
  if (best.verdict || candidate.glyphs < 3 || candidate.score < 0.35) return false;
  // OCR saw words, if unsurely: texture read as stray marks and dashes, or hardly at all
  // (as in an echo's moving speckle, new on every frame), is not worth a second look.
  const { text, confidence, words } = best.result;
  if (confidence < 0.35 || !words.some((w) => /[0-9A-Za-z]{3}/.test(w.text))) return false;
  if (!wordy(text)) return false;
  return classifyText(best.result.words, identifiers, { ...classify, minWordConfidence: 0.3 })?.textClass !== 'technical';
}
