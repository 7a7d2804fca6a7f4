// The planning pass for one input (headers only): where it belongs and what
// its copy must not contain. Plain data in and out, so it can run in a worker.
import { statSync } from 'node:fs';
import { collectIdentifiers, type DeidProfile, type IdentifyingValue } from '../../shared/deid';
import { DicomReadError, Tags, readDicom, type DicomFile } from '../../shared/dicom';
import { instanceUIDs, type FileReport } from '../../shared/export';
import { readFailureReason } from '../files/readOnly';
import { readOriginalSync } from './exportFile';

export type PlannedInput =
  | {
      kind: 'dicom';
      input: string;
      patientKey: string;
      studyUID: string;
      seriesUID: string;
      instanceNumber?: number;
      /** Identifying values of this file (UIDs excluded: they are checked per file). */
      identifiers: IdentifyingValue[];
      originalUIDs: string[];
      size: number;
      mtimeMs: number;
    }
  | { kind: 'report'; report: FileReport };

const notDicomCodes = new Set(['empty', 'not-dicom']);
const DirectoryStorage = '1.2.840.10008.1.3.10';

function readErrorReport(input: string, error: unknown): FileReport {
  if (error instanceof DicomReadError) {
    const skipped = notDicomCodes.has(error.code);
    return {
      input,
      output: null,
      status: skipped ? 'skipped' : 'failed',
      reason: skipped ? `not a DICOM file: ${error.message}` : `damaged DICOM file: ${error.message}`,
    };
  }
  return { input, output: null, status: 'failed', reason: readFailureReason(error) };
}

export async function planInput(input: string, profile: DeidProfile): Promise<PlannedInput> {
  let header: DicomFile;
  let stat;
  try {
    // Synchronous reads: see exportFile.ts (page-cache reads cost less than a thread-pool hop).
    stat = statSync(input);
    header = readDicom(readOriginalSync(input), { headerOnly: true });
  } catch (error) {
    return { kind: 'report', report: readErrorReport(input, error) };
  }
  if (header.meta.string(Tags.MediaStorageSOPClassUID) === DirectoryStorage || header.dataset.has(Tags.DirectoryRecordSequence)) {
    return { kind: 'report', report: { input, output: null, status: 'skipped', reason: 'a DICOMDIR (the index of a medium): Veil writes a new one' } };
  }
  let identifiers: IdentifyingValue[];
  try {
    identifiers = collectIdentifiers(header, profile).filter((id) => id.kind !== 'uid');
  } catch (error) {
    return { kind: 'report', report: { input, output: null, status: 'failed', reason: `identifying values could not be collected (${String(error)})` } };
  }
  return {
    kind: 'dicom',
    input,
    patientKey: `${header.dataset.string(Tags.PatientID)}\0${header.dataset.string(Tags.PatientName)}`,
    studyUID: header.dataset.string(Tags.StudyInstanceUID),
    seriesUID: header.dataset.string(Tags.SeriesInstanceUID),
    instanceNumber: header.dataset.number(Tags.InstanceNumber),
    identifiers,
    originalUIDs: [...instanceUIDs(header.meta), ...instanceUIDs(header.dataset)],
    size: stat.size,
    mtimeMs: stat.mtimeMs,
  };
}
