// Burned-in text of one file: every frame pre-screened, OCR only on candidate
// regions, each line classified. Cine loops repeat the same banner on hundreds
// of frames: a region whose pixels were already read is not read again.
import type { IdentifyingValue } from '../../deid';
import type { DicomFile } from '../../dicom';
import type { Finding } from '../../export/scan';
import { decodeFrame, iconImage, overlayMask, overlayPlanes, pixelInfo, toDisplay8, type Display8 } from '../../pixels';
import type { RedactionBox } from '../../redact';
import { alongRow, bridge, joinLines, slotsInBlock, toTextFinding, trimmedToBlock, unreadableInBlock, type Found, type FrameReading } from './blocks';
import { classifyText, type ClassifyOptions, type TextClass, type TextReason } from './classify';
import { frameSources, judgedBefore, judgementKey, rememberJudged, type FrameMemory, type FrameSource, type ScannedFrame } from './frameMemory';
import { textPlanes, type Box, type Gray8, type PlaneName, type TextPlanes } from './image';
import type { OcrEngine, OcrResult } from './ocr';
import { prescreenText, type PrescreenOptions, type TextCandidate } from './prescreen';
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
      else if ((candidate.score >= 0.75 && candidate.glyphs >= 6) || (candidate.glyphs >= 4 && candidate.width >= 5 * candidate.glyphHeight)) {
        // Six glyphs read as a mark or two: small text OCR could not read over an echo's Doppler
        // ("Wang, Olga" read "me"); a line as wide as five glyphs whose small glyphs merged into
        // four ("19 OCT 2019" across the skull's edge). Counted in a block only beside lines of
        // its own glyph size.
        unread.push(candidate);
        ownSize.add(candidate);
      }
    }
    if (readMore) {
      const at: FrameReading = { image: picture.image, frame, size, read: readMore, identifiers, classify: options.classify };
      // Lines the block takes whole anyway are not cut down to a part.
      const taken = new Set(unreadableInBlock(picture.image, frame, unread, found, size, ownSize).map((m) => m.candidate));
      const left = nothing.filter((c) => !taken.has(c));
      for (const one of await trimmedToBlock(at, left, found)) {
        findings.push(one.finding);
        found.push(one);
        if (unread.includes(one.candidate)) unread.splice(unread.indexOf(one.candidate), 1);
      }
      for (const one of await slotsInBlock(at, candidates, found)) {
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
          const realPlanes = (): TextPlanes => (real ??= textPlanes(picture.display(frame)));
          const planeNamed = (name: PlaneName): Gray8 => realPlanes()[name] ?? realPlanes().light;
          const stubs = stubPlanes(known, planeNamed, () => realPlanes().colour);
          // A plane made from the frame's pixels for one reading (colourInk.ts) is read as it is.
          const engine = recording(ocr, known.readings, (image) => {
            const name = stubs.names.get(image);
            return name ? planeNamed(name) : image;
          });
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
          const names = (Object.keys(planes) as Array<keyof TextPlanes>).filter((name): name is PlaneName => name !== 'colour' && planes[name] !== undefined);
          scanned = { width: planes.light.width, height: planes.light.height, candidates, planes: names, ...(planes.colour?.inks ? { inks: planes.colour.inks } : {}), readings };
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
function stubPlanes(
  known: ScannedFrame,
  planeNamed: (name: PlaneName) => Gray8,
  colour: () => TextPlanes['colour'],
): { planes: TextPlanes; names: Map<Gray8, PlaneName> } {
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
  if (known.inks)
    planes.colour = {
      width: known.width,
      height: known.height,
      get data() {
        return colour()!.data;
      },
      get background() {
        return colour()!.background;
      },
      inks: known.inks,
    };
  return { planes: planes as TextPlanes, names };
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
  name: 'reads as a name written as DICOM writes it (SURNAME^GIVEN)',
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
