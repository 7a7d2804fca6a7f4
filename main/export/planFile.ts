// The planning pass for one input (headers only): where it belongs and what
// its copy must not contain. Plain data in and out, so it can run in a worker.
import type { DeidProfile } from '../../shared/deid';
import { planHeader, unreadableReport, type FileReport, type PlannedHeader } from '../../shared/export';
import { readFailureReason } from '../files/readOnly';
import { ReadBuffers, readOriginalHeaderSync } from './exportFile';

export type PlannedInput =
  | (PlannedHeader & { kind: 'dicom'; input: string; size: number; mtimeMs: number })
  | { kind: 'report'; report: FileReport };

export async function planInput(input: string, profile: DeidProfile): Promise<PlannedInput> {
  // The header's bytes are reused for the next file: planHeader keeps only strings from them.
  const buffers = new ReadBuffers();
  try {
    let read;
    try {
      // Synchronous reads: see exportFile.ts (page-cache reads cost less than a thread-pool hop).
      read = readOriginalHeaderSync(input, buffers);
    } catch (error) {
      return { kind: 'report', report: unreadableReport(input, error, readFailureReason) };
    }
    const planned = planHeader(input, read.header, profile);
    if ('status' in planned) return { kind: 'report', report: planned };
    return { kind: 'dicom', input, ...planned, size: read.size, mtimeMs: read.mtimeMs };
  } finally {
    buffers.release();
  }
}
