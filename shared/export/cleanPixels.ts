// Clean Pixel Data for one copy (PS3.15 E.3.1): burned-in text found by the
// detector (or the boxes the user settled in the viewer) filled black, then the
// written copy read again by OCR. Only a copy in which no identifying text is
// still readable may claim BurnedInAnnotation NO and code 113101.
import { claimPixelOption, type AuditEntry, type IdentifyingValue } from '../deid';
import { scanTextInFile, toRedactionBox, type CancelSignal, type FrameMemory, type OcrEngine, type ScanTextOptions } from '../detect';
import { Tags, type DicomFile } from '../dicom';
import { boxesForFile, deviceOf, redactFile, spreadIdentifying, type FillMemory, type RedactionBox, type RedactionPlan } from '../redact';

export interface PixelCleaningTask {
  /** Leave text classed technical (kV, W/L, orientation…) unfilled. */
  keepTechnicalText: boolean;
  /**
   * The viewer's plan: for a file it holds boxes for (its own or its device's), those decisions
   * are used instead of detection. The written copy is read by OCR either way.
   */
  plan?: RedactionPlan;
}

export interface PixelTools {
  ocr: OcrEngine;
  signal?: CancelSignal;
  /** Frames scanned before in this thread (copies repeat frames; the check re-reads what a fill left). */
  frames?: FrameMemory;
  /** Fills made before in this thread (the same frame under the same boxes). */
  fills?: FillMemory;
  /** Time spent per stage, for benches (`now` in ms). */
  stages?: PixelStages;
}

export interface PixelStages {
  now(): number;
  /** Milliseconds: finding the text (no plan), filling it, reading the copy again. */
  detect: number;
  fill: number;
  verify: number;
}

async function timed<T>(stages: PixelStages | undefined, stage: 'detect' | 'fill' | 'verify', work: () => Promise<T> | T): Promise<T> {
  if (!stages) return work();
  const start = stages.now();
  try {
    return await work();
  } finally {
    stages[stage] += stages.now() - start;
  }
}

export interface CleanedPixels {
  file: DicomFile;
  audit: AuditEntry[];
  /** The boxes filled. */
  boxes: RedactionBox[];
}

export const hasPixelData = (file: DicomFile): boolean =>
  file.dataset.has(Tags.PixelData) || file.dataset.has('7FE00008') || file.dataset.has('7FE00009');

const scanOptions = (tools: PixelTools): ScanTextOptions => ({
  ...(tools.signal ? { signal: tools.signal } : {}),
  ...(tools.frames ? { memory: tools.frames } : {}),
});

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * Fills the burned-in text of `original` in its de-identified copy `deidentified` (same pixels),
 * and claims Clean Pixel Data on it — a claim that stands only if `verifyCleanPixels` passes on
 * the copy as written (the exporter discards the copy otherwise).
 */
export async function cleanPixels(
  original: DicomFile,
  deidentified: DicomFile,
  identifiers: readonly IdentifyingValue[],
  task: PixelCleaningTask,
  tools: PixelTools,
): Promise<CleanedPixels> {
  const planned = task.plan ? boxesForFile(task.plan, original.dataset.string(Tags.SOPInstanceUID), deviceOf(original.dataset)) : [];
  const reviewed = planned.length > 0;
  const boxes = reviewed
    ? planned.filter((b) => b.redact)
    : spreadIdentifying(
        (await timed(tools.stages, 'detect', () => scanTextInFile(original, tools.ocr, identifiers, scanOptions(tools))))
          .map((finding) => toRedactionBox(finding, task.keepTechnicalText))
          .filter((b) => b.redact),
      );
  const audit: AuditEntry[] = [];
  let file = deidentified;
  if (boxes.length > 0) {
    const redacted = await timed(tools.stages, 'fill', () => redactFile(deidentified, boxes, tools.fills ? { memory: tools.fills } : {}));
    file = redacted.file;
    const source = reviewed ? 'boxes settled in the viewer' : 'burned-in text found by OCR';
    audit.push({
      path: '(7FE0,0010)',
      keyword: 'PixelData',
      action: 'cleaned',
      rule: `Clean Pixel Data: ${plural(boxes.length, 'box', 'boxes')} filled black (${source}) in ${plural(redacted.changedFrames, 'frame')}; ${redacted.note}`,
    });
  }
  const why = boxes.length > 0 ? 'identifying text filled, and none left readable by OCR' : 'no identifying text readable by OCR';
  audit.push(...claimPixelOption(file.dataset, 'cleanPixelData', why));
  return { file, audit, boxes };
}

/** Reads the written copy again: the reasons it still shows identifying text (empty when clean). */
export async function verifyCleanPixels(copy: DicomFile, identifiers: readonly IdentifyingValue[], tools: PixelTools): Promise<string[]> {
  const findings = await timed(tools.stages, 'verify', () => scanTextInFile(copy, tools.ocr, identifiers, scanOptions(tools)));
  return findings
    .filter((f) => f.textClass === 'identifying')
    .map((f) => `identifying text still readable in frame ${f.frame + 1}${f.image === 'pixels' ? '' : ` of the ${f.image}`} at ${f.box.x},${f.box.y}`);
}
