// What the fuzzer runs on each input: the app's own path through a file — read,
// header scan, first frame decoded and windowed for display, de-identified,
// written, read back and verified — with nothing caught on the way, so an
// untyped exception anywhere surfaces as a crash.
import { collectIdentifiers, deidentify, defaultProfile, ProfileError } from '../../shared/deid';
import { createStudyIndexBuilder, DicomReadError, dicomdirFileIds, dicomdirRecords, headerRows, isDicomdir, Tags, readDicom, writeDicom } from '../../shared/dicom';
import { asWrittenByVeil } from '../../shared/export/copy';
import { headerFindings } from '../../shared/export/scan';
import { instanceUIDs, keptValueKeys, unchangedElementPaths, verifyExport } from '../../shared/export/verify';
import { decodeFrame, frameCount, iconImage, overlayMask, overlayPlanes, PaletteError, PixelDecodeError, pixelInfo, toDisplay8 } from '../../shared/pixels';
import { RleError } from '../../shared/pixels/rle';
import { PlanError } from '../../shared/redact';

export type Verdict = 'ok' | 'typed' | 'crash';

export interface StageResult {
  stage: 'open' | 'read' | 'scan' | 'pixels' | 'deidentify';
  verdict: Verdict;
  /** Error class name (typed) or the untyped error's name. */
  error?: string;
  code?: string;
  message?: string;
  /** First frames of the stack, for crashes. */
  stack?: string;
}

/** The errors Veil throws on purpose, each saying what is wrong with the file. */
const typedErrors = [DicomReadError, PixelDecodeError, RleError, PaletteError, ProfileError, PlanError];

export function classify(stage: StageResult['stage'], error: unknown): StageResult {
  const typed = typedErrors.some((type) => error instanceof type);
  const e = error instanceof Error ? error : undefined;
  return {
    stage,
    verdict: typed ? 'typed' : 'crash',
    // Some typed errors keep the name "Error": their class says what they are.
    error: e ? (e.name === 'Error' ? e.constructor.name : e.name) : typeof error,
    code: (e as { code?: unknown } | undefined)?.code as string | undefined,
    message: (e ? e.message : String(error)).slice(0, 300),
    ...(typed ? {} : { stack: e?.stack?.split('\n').slice(0, 8).join('\n') }),
  };
}

const SECRET = 'fuzz-secret';

/** Runs every stage that can run; a stage's typed error stops only the stages that need its result. */
export function runPipeline(bytes: Uint8Array): StageResult[] {
  const results: StageResult[] = [];
  // Opening a folder or CD: DICOMDIR records, the study index (header-only; skips what it cannot read), the header panel.
  try {
    if (isDicomdir(bytes)) {
      dicomdirRecords(bytes);
      dicomdirFileIds(bytes);
    }
    const index = createStudyIndexBuilder();
    index.add('id', 'input.dcm', bytes);
    index.result('fuzz');
    headerRows(bytes);
    results.push({ stage: 'open', verdict: 'ok' });
  } catch (error) {
    results.push(classify('open', error));
  }

  let file;
  try {
    file = readDicom(bytes);
    results.push({ stage: 'read', verdict: 'ok' });
  } catch (error) {
    return [...results, classify('read', error)];
  }

  let own;
  try {
    own = collectIdentifiers(file, defaultProfile);
    headerFindings('input.dcm', own);
    results.push({ stage: 'scan', verdict: 'ok' });
  } catch (error) {
    results.push(classify('scan', error));
  }

  if (file.dataset.get(Tags.PixelData)) {
    try {
      const info = pixelInfo(file);
      frameCount(file);
      const frame = decodeFrame(file, 0, {}, info);
      toDisplay8(frame, info);
      // The icon thumbnail and overlay planes are read by the detectors too.
      const icon = iconImage(file);
      if (icon) toDisplay8(decodeFrame(icon, 0), pixelInfo(icon));
      const [plane] = overlayPlanes(file);
      if (plane) overlayMask(file, plane, 0);
      results.push({ stage: 'pixels', verdict: 'ok' });
    } catch (error) {
      results.push(classify('pixels', error));
    }
  }

  try {
    const identifiers = own ?? collectIdentifiers(file, defaultProfile);
    const result = deidentify(file, defaultProfile, { secret: SECRET, knownIdentifiers: identifiers, ownIdentifiers: identifiers });
    const written = writeDicom(asWrittenByVeil(result.file));
    const verification = verifyExport(written, identifiers, [...instanceUIDs(file.dataset)], {
      unchanged: unchangedElementPaths(file.dataset, result.file.dataset),
      keptValues: keptValueKeys(identifiers, result.audit),
    });
    // The export refuses such a copy (a clear failure, not a crash), but it is worth counting.
    if (verification.unreadable) results.push({ stage: 'deidentify', verdict: 'typed', error: 'UnreadableCopy', message: verification.unreadable.slice(0, 300) });
    else results.push({ stage: 'deidentify', verdict: 'ok' });
  } catch (error) {
    results.push(classify('deidentify', error));
  }
  return results;
}

/** The input's verdict: its worst stage. */
export function verdictOf(results: readonly StageResult[]): Verdict {
  if (results.some((r) => r.verdict === 'crash')) return 'crash';
  return results.some((r) => r.verdict === 'typed') ? 'typed' : 'ok';
}
