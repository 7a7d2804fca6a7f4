// The planning pass for one input (headers only): where it belongs and what
// its copy must not contain. Plain data in and out, so it can run in a worker.
import { statSync } from 'node:fs';
import type { DeidProfile } from '../../shared/deid';
import { readDicom, type DicomFile } from '../../shared/dicom';
import { planHeader, unreadableReport, type FileReport, type PlannedHeader } from '../../shared/export';
import { readFailureReason } from '../files/readOnly';
import { readOriginalSync } from './exportFile';

export type PlannedInput =
  | (PlannedHeader & { kind: 'dicom'; input: string; size: number; mtimeMs: number })
  | { kind: 'report'; report: FileReport };

export async function planInput(input: string, profile: DeidProfile): Promise<PlannedInput> {
  let header: DicomFile;
  let stat;
  try {
    // Synchronous reads: see exportFile.ts (page-cache reads cost less than a thread-pool hop).
    stat = statSync(input);
    header = readDicom(readOriginalSync(input), { headerOnly: true });
  } catch (error) {
    return { kind: 'report', report: unreadableReport(input, error, readFailureReason) };
  }
  const planned = planHeader(input, header, profile);
  if ('status' in planned) return { kind: 'report', report: planned };
  return { kind: 'dicom', input, ...planned, size: stat.size, mtimeMs: stat.mtimeMs };
}
