// Burned-in text of one file: every frame pre-screened, OCR only on candidate
// regions, each line classified. Cine loops repeat the same banner on hundreds
// of frames: a region whose pixels were already read is not read again.
import type { IdentifyingValue } from '../../deid';
import type { DicomFile } from '../../dicom';
import type { Finding } from '../../export/scan';
import { decodeFrame, iconImage, overlayMask, overlayPlanes, pixelInfo, toDisplay8, type Display8 } from '../../pixels';
import type { RedactionBox } from '../../redact';
import { classifyText, isLabel, type ClassifyOptions, type TextClass, type TextReason } from './classify';
import { frameSources, judgedBefore, judgementKey, rememberJudged, type FrameMemory, type FrameSource, type ScannedFrame } from './frameMemory';
import { textPlanes, type Box, type Gray8, type PlaneName, type TextPlanes } from './image';
import type { OcrEngine, OcrResult } from './ocr';
import { horizontalGap, prescreenText, sameRow, type PrescreenOptions, type TextCandidate } from './prescreen';
import { readCandidate } from './reread';

export type PictureName = 'pixels' | 'icon' | `overlay-${string}`;

export interface TextFinding {
  image: PictureName;
  frame: number;
  /** The line's box in the picture's pixels (candidate region ∪ words read). */
  box: Box;
  /** What OCR read: the identifying value itself, so never logged by default. */
  text: string;
  textClass: TextClass;
  reason: TextReason;
  /** The header category it matched, when it matched one. */
  category?: IdentifyingValue['kind'];
  /** 0..1: classification confidence (see `classifyText`). */
  confidence: number;
  /** 0..1: OCR's own mean word confidence. */
  ocrConfidence: number;
}

/** A picture of a file the scan reads: its pixel data, and later icon and overlay planes. */
export interface TextPicture {
  image: PictureName;
  frames: number;
  display(frame: number): Display8;
  /** The bytes that decide `display(frame)` (see frameMemory.ts); absent: never remembered. */
  source?(frame: number): FrameSource | undefined;
}

/** An AbortSignal, structurally (shared/ declares no platform globals). */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

export interface ScanTextOptions {
  signal?: CancelSignal;
  /** Called after each frame: frames done and frames in all pictures of the file. */
  onProgress?: (done: number, total: number) => void;
  prescreen?: Partial<PrescreenOptions>;
  classify?: Partial<ClassifyOptions>;
  /** Extra pictures to scan after the file's own (pixel data, icon thumbnail, overlay planes). */
  pictures?: readonly TextPicture[];
  /** Frames scanned before (other files, other scans), reused when byte-identical. */
  memory?: FrameMemory;
}

export interface TextScanStats {
  frames: number;
  candidates: number;
  /** Regions OCR actually read (the rest were pixel-identical to one already read). */
  ocrRegions: number;
  /** Frames byte-identical to one scanned before: neither decoded, pre-screened nor read again. */
  remembered?: number;
  /** Pictures that could not be read (e.g. an overlay embedded in compressed pixel data), with why. */
  unreadable?: string[];
}

/** The file's pixel data as a picture: every frame in 8 bits, through its first VOI window (C.11.2). */
export function pixelPicture(file: DicomFile): TextPicture {
  const info = pixelInfo(file);
  const sources = frameSources(file, 'pixels:display8', info);
  return {
    image: 'pixels',
    frames: info.frames,
    display: (i) => toDisplay8(decodeFrame(file, i, {}, info), info),
    ...(sources ? { source: sources } : {}),
  };
}

/** The Icon Image Sequence thumbnail (PS3.3 C.7.6.1.1.6), if the file has one. */
export function iconPicture(file: DicomFile): TextPicture | undefined {
  const icon = iconImage(file);
  if (!icon) return undefined;
  const info = pixelInfo(icon);
  return { image: 'icon', frames: 1, display: () => toDisplay8(decodeFrame(icon, 0, {}, info), info) };
}

/** Overlay planes (60xx) as white-on-black pictures in the overlay's own pixels. */
export function overlayPictures(file: DicomFile): TextPicture[] {
  return overlayPlanes(file).map((plane) => ({
    image: `overlay-${plane.id}` as const,
    frames: plane.frames,
    display: (frame: number): Display8 => {
      const mask = overlayMask(file, plane, frame);
      const data = new Uint8Array(mask.length);
      for (let i = 0; i < mask.length; i++) data[i] = mask[i] ? 255 : 0;
      return { data, rows: plane.rows, columns: plane.columns, channels: 1 };
    },
  }));
}

/**
 * Burned-in text in every frame of the pixel data, the icon thumbnail and every overlay
 * plane. Pixel data that cannot be decoded throws (PixelDecodeError): an unchecked file must
 * not pass as clean. An icon or overlay that cannot be read is listed in `stats.unreadable`.
 */
export async function scanTextInFile(
  file: DicomFile,
  ocr: OcrEngine,
  identifiers: readonly IdentifyingValue[],
  options: ScanTextOptions = {},
  stats?: TextScanStats,
): Promise<TextFinding[]> {
  const pictures: TextPicture[] = [pixelPicture(file)];
  const unreadable: string[] = [];
  try {
    const icon = iconPicture(file);
    if (icon) pictures.push(tolerant(icon, unreadable));
  } catch (error) {
    unreadable.push(`icon: ${(error as Error).message}`);
  }
  try {
    for (const overlay of overlayPictures(file)) pictures.push(tolerant(overlay, unreadable));
  } catch (error) {
    unreadable.push(`overlays: ${(error as Error).message}`);
  }
  pictures.push(...(options.pictures ?? []));
  const s = stats ?? { frames: 0, candidates: 0, ocrRegions: 0 };
  const findings = await scanPictures(pictures, ocr, identifiers, options, s);
  if (unreadable.length) s.unreadable = [...(s.unreadable ?? []), ...unreadable];
  return findings;
}

/** An extra picture whose frames fail to decode yields empty frames and a note, not a failed scan. */
function tolerant(picture: TextPicture, notes: string[]): TextPicture {
  return {
    ...picture,
    display: (frame) => {
      try {
        return picture.display(frame);
      } catch (error) {
        notes.push(`${picture.image} frame ${frame}: ${(error as Error).message}`);
        return { data: new Uint8Array(1), rows: 1, columns: 1, channels: 1 };
      }
    },
  };
}

/** A frame whose regions are being read while the next frame is pre-screened. */
interface FrameInFlight {
  picture: TextPicture;
  frame: number;
  size: { width: number; height: number };
  candidates: readonly TextCandidate[];
  results: ReadonlyArray<Promise<OcrResult>>;
  /** Findings judged for these bytes and identifiers before (frame memory): taken as they are. */
  judged?: TextFinding[];
  /** The remembered frame the findings are kept with once judged. */
  scanned?: ScannedFrame;
  /** Reads one more region of this frame (the rest of an identifying line's row). */
  more?: (region: TextCandidate) => Promise<OcrResult>;
}

export async function scanPictures(
  pictures: readonly TextPicture[],
  ocr: OcrEngine,
  identifiers: readonly IdentifyingValue[],
  options: ScanTextOptions = {},
  stats: TextScanStats = { frames: 0, candidates: 0, ocrRegions: 0 },
): Promise<TextFinding[]> {
  const total = pictures.reduce((s, p) => s + p.frames, 0);
  const findings: TextFinding[] = [];
  // Readings by region key, shared while still pending: a cine's banner is read once.
  const read = new Map<string, Promise<OcrResult>>();
  const readOnce = (plane: Gray8, region: TextCandidate, start: () => Promise<OcrResult>): Promise<OcrResult> => {
    const key = regionKey(plane, region);
    let result = read.get(key);
    if (!result) {
      result = start();
      // Awaited in order by `finish`; a failure meanwhile is not an unhandled rejection.
      result.catch(() => undefined);
      read.set(key, result);
    }
    return result;
  };
  let done = 0;
  let inFlight: FrameInFlight | undefined;

  // A frame's findings in candidate order, whatever order its readings finish in.
  const finish = async ({ picture, frame, size, candidates, results, judged, scanned, more: readMore }: FrameInFlight): Promise<void> => {
    if (judged) {
      findings.push(...judged);
      options.onProgress?.(++done, total);
      return;
    }
    const first = findings.length;
    const unread: TextCandidate[] = [];
    // Candidates that gave no finding, read as nothing or as unsure technical text.
    const nothing: TextCandidate[] = [];
    const ownSize = new Set<TextCandidate>();
    const found: Found[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[i]!;
      const result = await results[i]!;
      const one = toTextFinding(picture.image, frame, candidate, result, identifiers, size, options.classify);
      if (one) {
        findings.push(one.finding);
        found.push(one);
        continue;
      }
      nothing.push(candidate);
      if (looksTechnical(result, identifiers, options.classify)) continue;
      if (!speckle(candidate, result)) unread.push(candidate);
      else if (candidate.score >= 0.75 && candidate.glyphs >= 6) {
        // Six glyphs read as a mark or two: small text OCR could not read over an echo's Doppler
        // ("Wang, Olga" read "me"), counted in a block only beside lines of its own glyph size.
        unread.push(candidate);
        ownSize.add(candidate);
      }
    }
    if (readMore) {
      // Lines the block takes whole anyway are not cut down to a part.
      const taken = new Set(unreadableInBlock(picture.image, frame, unread, found, size, ownSize).map((m) => m.candidate));
      const left = nothing.filter((c) => !taken.has(c));
      for (const one of await trimmedToBlock(picture.image, frame, left, found, readMore, identifiers, size, options.classify)) {
        findings.push(one.finding);
        found.push(one);
        if (unread.includes(one.candidate)) unread.splice(unread.indexOf(one.candidate), 1);
      }
      for (const one of await slotsInBlock(picture.image, frame, candidates, found, readMore, identifiers, size, options.classify)) {
        findings.push(one.finding);
        found.push(one);
      }
    }
    joinLines(found, size);
    const more = unreadableInBlock(picture.image, frame, unread, found, size, ownSize);
    // A banner's unread lines hang together: one found beside or below another counts too.
    for (let round = 0, added = more.length; round < 2 && added; round++) {
      // Only clear lines chain on: texture's weak shapes would hang on to any block.
      const left = unread.filter((c) => c.score >= 0.8 && c.glyphs >= 6 && !more.some((m) => m.candidate === c));
      const next = unreadableInBlock(picture.image, frame, left, more, size);
      more.push(...next);
      added = next.length;
    }
    findings.push(...more.map((m) => m.finding));
    if (readMore) await alongRow([...found, ...more], readMore, size);
    bridge([...found, ...more], size);
    if (scanned) rememberJudged(scanned, judgementFor(picture), findings.slice(first));
    options.onProgress?.(++done, total);
  };
  const judgements = new Map<string, string>();
  const judgementFor = (picture: TextPicture): string => {
    let key = judgements.get(picture.image);
    if (key === undefined) judgements.set(picture.image, (key = judgementKey(identifiers, options.classify, picture.image)));
    return key;
  };

  const readOne = (engine: OcrEngine, planes: TextPlanes, plane: Gray8, candidate: TextCandidate, counter: TextScanStats): Promise<OcrResult> =>
    readCandidate(engine, planes, plane, candidate, identifiers, counter, options.classify);
  // Pre-screen options decide the candidates: part of what a remembered frame must match.
  const memory = options.memory;
  const settings = memory ? new TextEncoder().encode(JSON.stringify(options.prescreen ?? {})) : undefined;
  try {
    for (const picture of pictures) {
      for (let frame = 0; frame < picture.frames; frame++) {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('Text scan cancelled');
        const part = memory && settings ? picture.source?.(frame) : undefined;
        const source = part && settings ? [settings, ...part] : undefined;
        const known = source && memory?.get(source);
        if (known) {
          stats.frames++;
          stats.candidates += known.candidates.length;
          stats.remembered = (stats.remembered ?? 0) + 1;
          const judged = judgedBefore(known, judgementFor(picture), frame);
          if (judged) {
            const previous = inFlight;
            inFlight = { picture, frame, size: known, candidates: known.candidates, results: [], judged };
            if (previous) await finish(previous);
            continue;
          }
          // The same readings, judged for this file: replayed from memory, never read again.
          let real: TextPlanes | undefined;
          const planeNamed = (name: PlaneName): Gray8 => {
            real ??= textPlanes(picture.display(frame));
            return real[name] ?? real.light;
          };
          const stubs = stubPlanes(known, planeNamed);
          const engine = recording(ocr, known.readings, (image) => planeNamed(stubs.names.get(image) ?? 'light'));
          const scratch = { frames: 0, candidates: 0, ocrRegions: 0 };
          const results = known.candidates.map((candidate) => {
            const result = readOne(engine, stubs.planes, stubs.planes[candidate.plane] ?? stubs.planes.light, candidate, scratch);
            result.catch(() => undefined);
            return result;
          });
          const previous = inFlight;
          const more = (region: TextCandidate): Promise<OcrResult> => engine.recognize(stubs.planes[region.plane] ?? stubs.planes.light, region);
          inFlight = { picture, frame, size: known, candidates: known.candidates, results, scanned: known, more };
          if (previous) await finish(previous);
          continue;
        }
        let planes: TextPlanes;
        let candidates: TextCandidate[];
        try {
          planes = textPlanes(picture.display(frame));
          candidates = prescreenText(planes.light, planes.dark, options.prescreen, planes.luminance, planes.middle, planes.redGreen);
        } catch (error) {
          // The frames before a broken one still count as read.
          if (inFlight) await finish(inFlight);
          inFlight = undefined;
          throw error;
        }
        stats.frames++;
        stats.candidates += candidates.length;
        // All of a frame's regions are asked for at once: an engine with several workers reads them in parallel.
        const readings: Readings = new Map();
        const recorded = recording(ocr, readings);
        const results = memory && source ? candidates.map((candidate) => {
          const plane = planes[candidate.plane] ?? planes.light;
          const result = readOne(recorded, planes, plane, candidate, stats);
          result.catch(() => undefined);
          return result;
        }) : candidates.map((candidate) => {
          const plane = planes[candidate.plane] ?? planes.light;
          return readOnce(plane, candidate, () => readOne(ocr, planes, plane, candidate, stats));
        });
        let scanned: ScannedFrame | undefined;
        if (source && memory) {
          const names = (Object.keys(planes) as PlaneName[]).filter((name) => planes[name]);
          scanned = { width: planes.light.width, height: planes.light.height, candidates, planes: names, readings };
          memory.set(source, scanned);
          // A failed read is not an answer: that frame is scanned afresh next time.
          Promise.all(results).catch(() => memory.forget(source));
        }
        const previous = inFlight;
        const more = (region: TextCandidate): Promise<OcrResult> => {
          const plane = planes[region.plane] ?? planes.light;
          if (memory && source) return recorded.recognize(plane, region);
          return readOnce(plane, region, () => {
            stats.ocrRegions++;
            return ocr.recognize(plane, region);
          });
        };
        inFlight = { picture, frame, size: planes.light, candidates, results, more, ...(scanned ? { scanned } : {}) };
        if (previous) await finish(previous);
      }
    }
    if (inFlight) await finish(inFlight);
  } finally {
    // Nothing is still being read when the caller moves on (or ends the engine).
    await Promise.allSettled(read.values());
  }
  return findings;
}

/** One frame's OCR answers by region asked (pixels are the frame's): free of any file's identifiers. */
type Readings = ScannedFrame['readings'];

/** `ocr` answering each region once per frame from `readings`; `planeOf` maps the image asked for to the pixels read. */
function recording(ocr: OcrEngine, readings: Readings, planeOf?: (image: Gray8) => Gray8): OcrEngine {
  return {
    recognize: (image, region) => {
      const key = JSON.stringify(region);
      let result = readings.get(key);
      if (!result) {
        result = ocr.recognize(planeOf ? planeOf(image) : image, region);
        result.catch(() => undefined);
        readings.set(key, result);
      }
      return result;
    },
    terminate: () => ocr.terminate(),
  };
}

/**
 * Stand-ins for a remembered frame's planes: the right size, their pixels decoded only if
 * something reads them (a region no earlier file asked for).
 */
function stubPlanes(known: ScannedFrame, planeNamed: (name: PlaneName) => Gray8): { planes: TextPlanes; names: Map<Gray8, PlaneName> } {
  const names = new Map<Gray8, PlaneName>();
  const planes: Partial<TextPlanes> = {};
  for (const name of known.planes) {
    const stub: Gray8 = {
      width: known.width,
      height: known.height,
      get data() {
        return planeNamed(name).data;
      },
    };
    names.set(stub, name);
    planes[name] = stub;
  }
  return { planes: planes as TextPlanes, names };
}

/** A finding with the candidate it came from and its line (candidate ∪ words read, unpadded). */
interface Found {
  finding: TextFinding;
  candidate: TextCandidate;
  line: Box;
  /** What OCR read (absent for lines it could not read). */
  result?: OcrResult;
}

function toTextFinding(
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
function unreadableInBlock(
  image: PictureName,
  frame: number,
  unread: readonly TextCandidate[],
  found: readonly Found[],
  size: { width: number; height: number },
  ownSize?: ReadonlySet<TextCandidate>,
): Found[] {
  const identifying = found.filter((f) => f.finding.textClass === 'identifying');
  const out: Found[] = [];
  for (const c of unread) {
    if (c.glyphs < 3 || c.score < 0.35) continue;
    const h = c.glyphHeight;
    const anchors = ownSize?.has(c) ? identifying.filter((a) => Math.max(a.candidate.glyphHeight / h, h / a.candidate.glyphHeight) <= 1.3) : identifying;
    const beside = anchors.some((a) => sameRow(a.candidate, c) && horizontalGap(a.line, c) <= 2.5 * Math.max(h, a.candidate.glyphHeight));
    // Directly above or below, and aligned left or right as lines of one block are.
    const block =
      c.glyphs >= 4 &&
      c.score >= 0.5 &&
      anchors.some((a) => {
        const dy = Math.max(a.line.y, c.y) - Math.min(a.line.y + a.line.height, c.y + c.height);
        // Words OCR read past the crop's ends move a line's box; its candidate's ends count too.
        const left = Math.min(Math.abs(a.line.x - c.x), Math.abs(a.candidate.x - c.x));
        const right = Math.min(Math.abs(a.line.x + a.line.width - c.x - c.width), Math.abs(a.candidate.x + a.candidate.width - c.x - c.width));
        // Centred lines (a banner's middle) line up by their centres; a clear line only, as short
        // shapes of texture line up with some centre by chance.
        const centre = c.score >= 0.8 && c.glyphs >= 6 ? Math.abs(a.line.x + a.line.width / 2 - c.x - c.width / 2) : Infinity;
        return dy <= 1.75 * h && Math.min(left, right, centre) <= 1.5 * h;
      });
    if (!beside && !block) continue;
    const line: Box = { x: c.x, y: c.y, width: c.width, height: c.height };
    const halo = Math.max(2, Math.round(h * 0.25));
    out.push({
      candidate: c,
      line,
      finding: {
        image,
        frame,
        box: pad(line, halo, size, Math.max(halo, Math.round(h * 0.7))),
        text: '',
        textClass: 'identifying',
        reason: 'unreadable-in-block',
        confidence: 0.5,
        ocrConfidence: 0,
      },
    });
  }
  return out;
}

/**
 * A clear line read as nothing that reaches past the edge of the identifying lines just above or
 * below it: the pre-screen chained anatomy beside a banner's line onto it ("1939.12.21" read as
 * "my fa" with 80 px of bone before it). Its part within the block's edge is read again.
 * Returns the parts that identify, each with the unread candidate it came from.
 */
async function trimmedToBlock(
  image: PictureName,
  frame: number,
  candidates: readonly TextCandidate[],
  found: readonly Found[],
  read: (region: TextCandidate) => Promise<OcrResult>,
  identifiers: readonly IdentifyingValue[],
  size: { width: number; height: number },
  classify?: Partial<ClassifyOptions>,
): Promise<Found[]> {
  const anchors = found.filter((f) => f.finding.textClass === 'identifying');
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
        return one?.finding.textClass === 'identifying' ? { ...one, candidate: c } : undefined;
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
async function slotsInBlock(
  image: PictureName,
  frame: number,
  candidates: readonly TextCandidate[],
  found: readonly Found[],
  read: (region: TextCandidate) => Promise<OcrResult>,
  identifiers: readonly IdentifyingValue[],
  size: { width: number; height: number },
  classify?: Partial<ClassifyOptions>,
): Promise<Found[]> {
  const anchors = found.filter((f) => f.finding.textClass === 'identifying');
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
      const halo = Math.max(2, Math.round(slot.glyphHeight * 0.25));
      const line: Box = { x: slot.x, y: slot.y, width: slot.width, height: slot.height };
      const finding: TextFinding = {
        image,
        frame,
        box: pad(line, halo, size, Math.max(halo, Math.round(slot.glyphHeight * 0.7))),
        text: '',
        textClass: 'identifying',
        reason: 'unreadable-in-block',
        confidence: 0.5,
        ocrConfidence: result.confidence,
      };
      return { candidate: slot, line, finding };
    }),
  );
  return out.filter((f): f is Found => f !== undefined);
}

/**
 * A piece read as technical that touches an identifying piece on its row ("01 No" beside
 * "NOV 2001") is the same line cut in two: identifying too. Columns of one row stand further apart.
 */
function joinLines(found: readonly Found[], size: { width: number; height: number }): void {
  const anchors = found.filter((f) => f.finding.textClass === 'identifying');
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
async function alongRow(found: readonly Found[], read: (region: TextCandidate) => Promise<OcrResult>, size: { width: number; height: number }): Promise<void> {
  await Promise.all(
    found.map(async (f) => {
      if (f.finding.textClass !== 'identifying') return;
      const c = f.candidate;
      const h = c.glyphHeight;
      const x0 = Math.max(0, Math.floor(f.line.x - rowReach * h));
      const x1 = Math.min(size.width, Math.ceil(f.line.x + f.line.width + rowReach * h));
      if (x0 >= f.line.x && x1 <= f.line.x + f.line.width) return;
      const { alternative: _, ...region } = c;
      const result = await read({ ...region, x: x0, width: x1 - x0 });
      // Words on the candidate's rows that look like words, not stray marks.
      const words = result.words
        .map((w) => w.box)
        .filter((b, i) => {
          const text = result.words[i]!.text.replace(/\s/g, '').replace(/^[^0-9A-Za-z]+|[^0-9A-Za-z]+$/g, '');
          const chars = text.match(/[0-9A-Za-z]/g)?.length ?? 0;
          // Anatomy beside a line reads as short unsure marks; the rest of a name as a word, if
          // unsurely ("Beskgr" for "Becker,").
          const word = result.words[i]!.confidence >= 0.45 ? chars >= 2 && chars >= 0.6 * text.length : chars >= 4 && chars >= 0.8 * text.length;
          const shared = Math.min(b.y + b.height, c.y + c.height) - Math.max(b.y, c.y);
          return shared >= 0.5 * Math.min(b.height, c.height) && word;
        });
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
function bridge(found: readonly Found[], size: { width: number; height: number }): void {
  const identifying = found.filter((f) => f.finding.textClass === 'identifying');
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

/**
 * A small candidate read as a mark or two ("J/", "-", "“ i"): speckle beside a block, kept out of
 * the unreadable-in-block rule. A clear line read as nothing still counts.
 */
function speckle(candidate: TextCandidate, result: OcrResult): boolean {
  if (candidate.score >= 0.8 && candidate.glyphs >= 6) return false;
  return (result.text.match(/[0-9A-Za-z]/g)?.length ?? 0) < 3;
}

/** Read as technical text, if unsurely: kept out of the unreadable-in-block rule. */
function looksTechnical(result: OcrResult, identifiers: readonly IdentifyingValue[], classify?: Partial<ClassifyOptions>): boolean {
  return result.words.length > 0 && classifyText(result.words, identifiers, { ...classify, minWordConfidence: 0.3 })?.textClass === 'technical';
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/** FNV-1a over the region's pixels and place: equal keys mean the same pixels in the same box. */
function regionKey(image: Gray8, box: TextCandidate): string {
  let h = 0x811c9dc5;
  for (let y = box.y; y < box.y + box.height; y++) {
    const row = y * image.width;
    for (let x = box.x; x < box.x + box.width; x++) h = Math.imul(h ^ image.data[row + x]!, 0x01000193);
  }
  return `${box.polarity}:${box.x},${box.y},${box.width},${box.height}:${h >>> 0}${box.prepare ? JSON.stringify(box.prepare) : ''}`;
}

const reasonDetail: Record<TextReason, string> = {
  'header-match': 'matches a value of the header',
  date: 'reads as a date',
  time: 'reads as a time of day',
  'id-like': 'reads as an identifier (a long number or code)',
  'sex-age': "reads as the patient's sex or age",
  label: 'follows a label such as NAME, ID or DOB',
  unexplained: 'is not recognised as technical text, so it is treated as identifying',
  'unreadable-in-block': 'could not be read but sits in a block of identifying text',
  'in-line': 'reads as technical text but sits on one line with identifying text',
  technical: 'reads as technical text (acquisition settings, scale, orientation)',
};

/**
 * The scan document's finding. `detail` never holds the value; `text` (what was read) only
 * with `includeText`, since scan output often ends up in logs.
 */
export function toScanFinding(finding: TextFinding, file: string, includeText = false): Finding {
  const where = finding.image === 'pixels' ? `frame ${finding.frame + 1}` : `the ${finding.image === 'icon' ? 'icon thumbnail' : finding.image.replace('-', ' plane ')}`;
  const out: Finding = {
    kind: 'burned-in-text',
    confidence: Math.round(finding.confidence * 100) / 100,
    where: { file, frame: finding.frame, box: [finding.box.x, finding.box.y, finding.box.width, finding.box.height], image: finding.image },
    detail: `Text burned into ${where} ${reasonDetail[finding.reason]}.`,
    textClass: finding.textClass,
  };
  if (finding.category) out.category = finding.category;
  if (includeText) out.text = finding.text;
  return out;
}

/**
 * The redaction box of a finding: identifying text is filled by default, technical text only
 * when the plan does not keep it.
 */
export function toRedactionBox(finding: TextFinding, keepTechnicalText = true): RedactionBox {
  return {
    ...finding.box,
    frame: finding.frame,
    image: finding.image,
    origin: 'burned-in-text',
    textClass: finding.textClass,
    redact: finding.textClass === 'identifying' || !keepTechnicalText,
  };
}
