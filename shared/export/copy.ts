// One input → one verified copy: the per-file steps every exporter shares (the
// CLI and app through main/export, browser mode through renderer/export). The
// disk stays behind CopySink, so this module never touches a file system; the
// sink writes to a temporary place and hands back what a read now gives, and
// only a copy whose read-back passed verification is committed.
import { claimPixelOption, collectIdentifiers, deidentify, type AuditEntry, type DeidProfile, type IdentifyingValue } from '../deid';
import { createFile, DicomReadError, Tags, writeDicom, writeDicomParts, type DicomFile } from '../dicom';
import { cleanPixels, hasPixelData, verifyCleanPixels, type PixelCleaningTask, type PixelTools } from './cleanPixels';
import { unfilledPixels, type FileDeface } from './deface';
import { directoryEntry, type DirectoryEntry } from './dicomdir';
import { redactMask, type RedactionBox } from '../redact';
import type { FileReport } from './report';
import { instanceUIDs, keptValueKeys, unchangedElementPaths, verifyExport, type VerificationResult } from './verify';

export interface CopyTask {
  /** Identifying values to search this file's copy for (its patient's, other patients' names…). */
  identifiers: readonly IdentifyingValue[];
  /** Stable name of that list within one export, so it is prepared once per worker. */
  identifiersKey?: string;
  /** The input's instance UIDs; none may survive unless the profile retains UIDs. */
  originalUIDs: readonly string[];
  profile: DeidProfile;
  secret: string;
  /** Clean Pixel Data: fill burned-in text and prove none is left readable (needs PixelTools). */
  cleanPixels?: PixelCleaningTask;
  /** This file's part of its series' pixel edits (`seriesPixels`): the face (Clean Recognizable Visual Features) and skin markers. */
  deface?: FileDeface;
}

/** Where a copy goes: written to a temporary place, then kept or thrown away. */
export interface CopySink {
  /** Writes the bytes somewhere temporary and returns what reading them back gives. */
  write(bytes: Uint8Array): Promise<Uint8Array>;
  /** The same from the file's pieces in order (pixel data not copied into one array first). */
  writeParts?(parts: readonly Uint8Array[]): Promise<Uint8Array>;
  /** Moves the verified copy to its final place. */
  commit(): Promise<void>;
  /** Removes whatever `write` left (best effort; never throws). */
  discard(): Promise<void>;
}

export interface CopyOutcome {
  status: 'exported' | 'failed';
  reason: string | null;
  actions?: AuditEntry[];
  verification?: VerificationResult;
  /** The committed copy as read back (for checksums and sizes). */
  written?: Uint8Array;
  /** The copy's DICOMDIR entry, from the bytes read back (fileId left empty for the caller). */
  directory?: DirectoryEntry;
  /** Clean Pixel Data: the boxes filled. */
  redactions?: RedactionBox[];
}

/**
 * A fresh File Meta Information naming Veil as the writer (PS3.10 7.1) and a zero
 * preamble: the original's preamble and extra meta elements (source AE title,
 * private information) are free-form and may carry identifying data.
 */
export function asWrittenByVeil(file: DicomFile): DicomFile {
  return createFile(file.dataset, {
    sopClassUID: file.meta.string(Tags.MediaStorageSOPClassUID) || file.dataset.string(Tags.SOPClassUID),
    sopInstanceUID: file.dataset.string(Tags.SOPInstanceUID) || file.meta.string(Tags.MediaStorageSOPInstanceUID),
    transferSyntaxUID: file.transferSyntaxUID,
  });
}

export function describeFindings(verification: VerificationResult): string {
  if (verification.unreadable) return `the exported copy could not be read back (${verification.unreadable})`;
  const places = verification.findings.slice(0, 5).map((f) => `${f.kind} from ${f.source} found in ${f.where}`);
  const more = verification.findings.length > 5 ? ` and ${verification.findings.length - 5} more` : '';
  return `verification failed: ${places.join('; ')}${more}`;
}

export function failureReason(error: unknown): string {
  return error instanceof DicomReadError
    ? `not readable as DICOM (${error.message})`
    : `export failed (${error instanceof Error ? error.message : String(error)})`;
}

const valueKey = (id: IdentifyingValue): string => `${id.kind}\0${id.value}`;
const listedKeys = new Map<string, Set<string>>();

/** `own` minus the values already in `list` (whose key set is kept per cacheKey, like verifyExport's index). */
function notListed(own: readonly IdentifyingValue[], list: readonly IdentifyingValue[], cacheKey: string | undefined): IdentifyingValue[] {
  let keys = cacheKey === undefined ? undefined : listedKeys.get(cacheKey);
  if (!keys) {
    keys = new Set(list.map(valueKey));
    if (cacheKey !== undefined) {
      // One export's lists at a time: a new run's keys replace the old ones.
      if (listedKeys.size > 64) listedKeys.clear();
      listedKeys.set(cacheKey, keys);
    }
  }
  const listed = keys;
  return own.filter((id) => !listed.has(valueKey(id)));
}

/**
 * De-identifies `original`, writes it through `sink`, verifies what was read back (header, and
 * with Clean Pixel Data the pixels by OCR), and commits only a clean copy.
 */
export async function exportCopy(original: DicomFile, task: CopyTask, sink: CopySink, tools?: PixelTools): Promise<CopyOutcome> {
  let actions: AuditEntry[] | undefined;
  try {
    const own = collectIdentifiers(original, task.profile);
    // Clean Descriptors also scrubs what the verification will search for: the export's values.
    const result = deidentify(original, task.profile, {
      secret: task.secret,
      knownIdentifiers: task.identifiers,
      knownIdentifiersKey: task.identifiersKey,
      ownIdentifiers: own,
    });
    actions = result.audit;
    let copy = result.file;
    let redactions: RedactionBox[] | undefined;
    const pixelTask = task.cleanPixels && hasPixelData(original) ? task.cleanPixels : undefined;
    const pixelValues = pixelTask ? [...task.identifiers, ...own] : [];
    if (pixelTask) {
      if (!tools) throw new Error('Clean Pixel Data needs an OCR engine, and none is available here');
      const cleaned = await cleanPixels(original, result.file, pixelValues, pixelTask, tools);
      copy = cleaned.file;
      redactions = cleaned.boxes;
      actions = [...actions, ...cleaned.audit];
    }
    if (task.deface) {
      const { fills, claim } = task.deface;
      if (fills.length > 0) {
        const masked = redactMask(copy, fills);
        copy = masked.file;
        const pixels = fills.reduce((n, f) => n + f.mask.reduce((m, v) => m + v, 0), 0);
        const what = task.deface.rule ?? `Clean Recognizable Visual Features: ${pixels} pixels of the face replaced`;
        actions = [...actions, { path: '(7FE0,0010)', keyword: 'PixelData', action: 'cleaned', rule: `${what} in ${fills.length} frame(s); ${masked.note}` }];
      }
      // Skin markers alone claim nothing: no face was checked.
      if (claim) actions = [...actions, ...claimPixelOption(copy.dataset, 'cleanRecognizableVisualFeatures', claim)];
    }
    // Verify what is on disk, not what was meant to be written.
    const veil = asWrittenByVeil(copy);
    let intended: number;
    let written: Uint8Array;
    if (sink.writeParts) {
      const parts = writeDicomParts(veil);
      intended = parts.reduce((n, p) => n + p.length, 0);
      written = await sink.writeParts(parts);
    } else {
      const bytes = writeDicom(veil);
      intended = bytes.length;
      written = await sink.write(bytes);
    }
    if (written.length !== intended) throw new Error(`the written copy has ${written.length} bytes, not ${intended}`);
    let readBack: DicomFile | undefined;
    const verification = verifyExport(written, task.identifiers, task.profile.options.includes('retainUIDs') ? [] : task.originalUIDs, {
      unchanged: unchangedElementPaths(original.dataset, copy.dataset),
      // The file's own values are mostly in the export-wide list already (its patient's, from
      // the plan); only the rest need a per-file index. Same terms searched, less work.
      also: notListed(own, task.identifiers, task.identifiersKey),
      keptValues: keptValueKeys(own, actions),
      cacheKey: task.identifiersKey,
      onRead: (file) => (readBack = file),
    });
    if (!verification.ok || !readBack) {
      await sink.discard();
      return { status: 'failed', reason: describeFindings(verification), actions, verification, redactions };
    }
    if (task.deface && task.deface.fills.length > 0) {
      const unfilled = unfilledPixels(readBack, task.deface.fills);
      if (unfilled > 0) {
        await sink.discard();
        return { status: 'failed', reason: `defacing not found in the written copy (${unfilled} pixels differ)`, actions, verification, redactions };
      }
    }
    if (pixelTask && tools) {
      const left = await verifyCleanPixels(readBack, pixelValues, tools);
      if (left.length > 0) {
        await sink.discard();
        const more = left.length > 3 ? ` and ${left.length - 3} more` : '';
        return { status: 'failed', reason: `pixel verification failed: ${left.slice(0, 3).join('; ')}${more}`, actions, verification, redactions };
      }
    }
    await sink.commit();
    return { status: 'exported', reason: null, actions, verification, written, directory: directoryEntry(readBack, []), redactions };
  } catch (error) {
    await sink.discard();
    return { status: 'failed', reason: failureReason(error), actions };
  }
}

const DirectoryStorage = '1.2.840.10008.1.3.10';
const notDicomCodes = new Set(['empty', 'not-dicom']);

/** Where one input belongs and what its copy must not contain, from its header. */
export interface PlannedHeader {
  patientKey: string;
  studyUID: string;
  seriesUID: string;
  instanceNumber?: number;
  /** Identifying values of this file (UIDs excluded: they are checked per file). */
  identifiers: IdentifyingValue[];
  originalUIDs: string[];
}

/** The planning step of one header, or why the input is not exported (a DICOMDIR, unreadable values). */
export function planHeader(input: string, header: DicomFile, profile: DeidProfile): PlannedHeader | FileReport {
  if (header.meta.string(Tags.MediaStorageSOPClassUID) === DirectoryStorage || header.dataset.has(Tags.DirectoryRecordSequence)) {
    return { input, output: null, status: 'skipped', reason: 'a DICOMDIR (the index of a medium): Veil writes a new one' };
  }
  let identifiers: IdentifyingValue[];
  try {
    identifiers = collectIdentifiers(header, profile).filter((id) => id.kind !== 'uid');
  } catch (error) {
    return { input, output: null, status: 'failed', reason: `identifying values could not be collected (${String(error)})` };
  }
  return {
    patientKey: `${header.dataset.string(Tags.PatientID)}\0${header.dataset.string(Tags.PatientName)}`,
    studyUID: header.dataset.string(Tags.StudyInstanceUID),
    seriesUID: header.dataset.string(Tags.SeriesInstanceUID),
    instanceNumber: header.dataset.number(Tags.InstanceNumber),
    identifiers,
    originalUIDs: [...instanceUIDs(header.meta), ...instanceUIDs(header.dataset)],
  };
}

/** The report of an input that could not be read: not DICOM at all is skipped, a damaged file failed. */
export function unreadableReport(input: string, error: unknown, otherReason: (error: unknown) => string): FileReport {
  if (error instanceof DicomReadError) {
    const skipped = notDicomCodes.has(error.code);
    return {
      input,
      output: null,
      status: skipped ? 'skipped' : 'failed',
      reason: skipped ? `not a DICOM file: ${error.message}` : `damaged DICOM file: ${error.message}`,
    };
  }
  return { input, output: null, status: 'failed', reason: otherReason(error) };
}
