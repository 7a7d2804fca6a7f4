// `veil scan` (and the app's findings): every input read once; the engine's
// identifying values turned into header findings, and — unless header-only —
// the pixels pre-screened and OCR'd for burned-in text, then each series
// checked for a face (3D for volumes, 2D for pictures and icons) and for marks
// on the skin (tattoo ink, markers, piercings in CT/MR volumes), grouped per
// series (shared/export/scan.ts). The OCR engine and the face detector start
// on first use and are shared by the whole run.
import { collectIdentifiers } from '../../shared/deid';
import {
  cachedOcr,
  faceFindings,
  findSkinMarkers,
  markerFindings,
  scanTextInFile,
  seriesVolume,
  toScanFinding,
  type FaceDetector,
  type OcrEngine,
} from '../../shared/detect';
import { DicomReadError, Tags, readDicom, type DicomFile } from '../../shared/dicom';
import { ScanCollector, headerFindings, type Finding, type ScanDocument } from '../../shared/export';
import { PixelDecodeError } from '../../shared/pixels';
import { HumanFaceDetector } from '../detect/face/humanDetector';
import { TesseractEngine } from '../detect/tesseractEngine';
import { collectInputFiles } from '../files/collect';
import { readFailureReason, readOriginal } from '../files/readOnly';
import { registerNodeCodecs } from '../pixels/codecs';

export interface ScanOptions {
  /** Put header values in the findings (`--values`): scan output often ends up in logs. */
  includeValues?: boolean;
  /** Read the pixels for burned-in text (default); false reads headers only. */
  pixels?: boolean;
  signal?: AbortSignal;
  /** Files done of all files found. */
  onProgress?: (done: number, total: number) => void;
  /** The OCR engine (tests inject one); default Tesseract, started on first use. */
  createOcr?: () => Promise<OcrEngine>;
  /** Attach the rebuilt face's render to 3D face findings (the app's overview shows it; never in `veil scan` output). */
  facePictures?: boolean;
  /** The face detector (tests inject one); default Human on WASM, started on first use. */
  createFaceDetector?: () => Promise<FaceDetector & { dispose?(): Promise<void> }>;
  /** Files read at once (default 1); more only pays with an OCR engine of several workers (main/detect/parallelScan.ts). */
  concurrency?: number;
}

type FileOutcome = { input: string; skip: string } | { input: string; file: DicomFile; findings: Finding[]; unchecked?: string };

/** `work` on up to `concurrency` items at once, each result handed to `take` in the items' order. */
async function inOrder<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>, take: (result: R) => void, signal?: AbortSignal): Promise<void> {
  const running: Array<Promise<R>> = [];
  let next = 0;
  try {
    while (next < items.length || running.length > 0) {
      while (running.length < concurrency && next < items.length) {
        signal?.throwIfAborted();
        const started = work(items[next++]!);
        // Awaited in turn below; a rejection while an earlier item is awaited is not unhandled.
        started.catch(() => undefined);
        running.push(started);
      }
      take(await running.shift()!);
    }
  } finally {
    // Nothing may still be reading when the caller ends the OCR engine.
    await Promise.allSettled(running);
  }
}

const hasPixels = (file: DicomFile): boolean => file.dataset.has(Tags.PixelData) || file.dataset.has('7FE00008') || file.dataset.has('7FE00009');

function pixelProblem(error: unknown): string {
  if (error instanceof PixelDecodeError && error.code === 'needs-codec') return `pixels not checked for burned-in text: ${error.message}`;
  return `pixels not checked for burned-in text (${error instanceof Error ? error.message : String(error)})`;
}

export async function scanInputs(inputs: readonly string[], options: ScanOptions = {}): Promise<ScanDocument> {
  const collector = new ScanCollector();
  const { files, skipped } = await collectInputFiles(inputs);
  for (const s of skipped) collector.skip(s.displayPath, s.reason);
  const pixels = options.pixels ?? true;
  let codecs: Promise<unknown> | undefined;
  let ocr: Promise<OcrEngine> | undefined;
  // Frames and slices repeat their banners: the same pixels are read once per run.
  const engine = (): Promise<OcrEngine> => (ocr ??= (options.createOcr ?? (() => TesseractEngine.create()))().then((e) => cachedOcr(e)));
  // OCR starts at the first candidate region: a study without any never starts its threads.
  const lazyOcr: OcrEngine = {
    recognize: async (image, region) => (await engine()).recognize(image, region),
    terminate: async () => undefined,
  };
  let done = 0;
  /** Files with pixels per series, for the face check after the text scan. */
  const bySeries = new Map<string, string[]>();
  let detector: Promise<FaceDetector & { dispose?(): Promise<void> }> | undefined;
  const readOne = async (input: string): Promise<FileOutcome> => {
    let file: DicomFile;
    try {
      file = readDicom(await readOriginal(input), { headerOnly: !pixels });
    } catch (error) {
      return { input, skip: error instanceof DicomReadError ? `not readable as DICOM: ${error.message}` : readFailureReason(error) };
    }
    if (file.dataset.has(Tags.DirectoryRecordSequence)) return { input, skip: 'a DICOMDIR (the index of a medium), not an image' };
    const identifiers = collectIdentifiers(file);
    const findings: Finding[] = headerFindings(input, identifiers, options.includeValues);
    if (pixels && hasPixels(file)) {
      try {
        await (codecs ??= registerNodeCodecs());
        const text = await scanTextInFile(file, lazyOcr, identifiers, { signal: options.signal });
        // The text read is the evidence of a pixel finding (there is no tag to look at), so it is always given.
        findings.push(...text.map((t) => toScanFinding(t, input, true)));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return { input, file, findings, unchecked: pixelProblem(error) };
      }
    }
    return { input, file, findings };
  };
  // Outcomes are recorded in input order whatever order they finish in: the document and the progress do not depend on timing.
  const record = (outcome: FileOutcome): void => {
    if ('skip' in outcome) {
      collector.skip(outcome.input, outcome.skip);
      options.onProgress?.(++done, files.length);
      return;
    }
    const { input, file, findings } = outcome;
    if (outcome.unchecked) collector.uncheck(input, outcome.unchecked);
    collector.addFile(input, file, findings);
    if (pixels && hasPixels(file)) {
      const uid = file.dataset.string(Tags.SeriesInstanceUID);
      bySeries.set(uid, [...(bySeries.get(uid) ?? []), input]);
    }
    options.onProgress?.(++done, files.length + bySeries.size);
  };
  try {
    await inOrder(files, Math.max(1, options.concurrency ?? 1), readOne, record, options.signal);
    for (const [uid, inputs] of bySeries) {
      options.signal?.throwIfAborted();
      detector ??= options.createFaceDetector?.() ?? HumanFaceDetector.create();
      try {
        // Read again (the page cache has them): a whole series is not held through the text scan.
        const series = await Promise.all(inputs.map(async (input) => ({ input, file: readDicom(await readOriginal(input)) })));
        // One volume for both 3D detectors: the face, and marks on the skin.
        const volume = seriesVolume(series);
        collector.addSeriesFindings(uid, await faceFindings(series, await detector, { now: () => performance.now(), picture: options.facePictures }, volume));
        if (volume?.ok) collector.addSeriesFindings(uid, markerFindings(inputs[0]!, findSkinMarkers(volume.volume)));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        for (const input of inputs) collector.uncheck(input, `not checked for a face (${error instanceof Error ? error.message : String(error)})`);
      }
      options.onProgress?.(++done, files.length + bySeries.size);
    }
  } finally {
    if (ocr) await ocr.then((e) => e.terminate(), () => undefined);
    if (detector) await detector.then((d) => d.dispose?.(), () => undefined);
  }
  return collector.document();
}
