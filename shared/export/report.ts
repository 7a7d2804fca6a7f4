// The audit report of one export: per input file, where it went (or why not),
// what the profile did to it and why, and what the verification pass found.
// It names input paths, so it is written where the user asks — never inside the
// export folder, which is what leaves the machine.
import type { AuditEntry, DeidAction, DeidProfile } from '../deid';
import type { RedactionBox } from '../redact';
import type { FaceReport } from './deface';
import type { MarkerReport } from './seriesPixels';
import type { VerificationResult } from './verify';

export type FileStatus = 'exported' | 'skipped' | 'failed';

export interface FileReport {
  /** The input path as found. */
  input: string;
  /** Output path relative to the report's `outputFolder` (e.g. "VEIL/P0001/ST001/SE001/IM00001"), or null when nothing was exported. */
  output: string | null;
  status: FileStatus;
  /** Why a file was skipped or failed; null when exported. */
  reason: string | null;
  /** Per element: what the profile did and which rule decided it. */
  actions?: AuditEntry[];
  /** Count of each action, for a quick overview. */
  summary?: Partial<Record<DeidAction, number>>;
  verification?: VerificationResult;
  /** Clean Pixel Data: the boxes filled black (picture, frame, box, and why), for the audit. */
  redactions?: RedactionBox[];
  /** True when this run found the file already exported and verified (a resumed export). */
  resumed?: boolean;
}

export interface ExportReport {
  tool: 'veil';
  version: string;
  profile: DeidProfile;
  outputFolder: string;
  startedAt: string;
  finishedAt: string;
  /** True only when every DICOM input was exported and verified and the run was not interrupted. */
  complete: boolean;
  interrupted: boolean;
  /** Extra outputs (DICOMDIR, NIfTI volumes, PNG snapshots), relative to the output folder. */
  extras: Array<{ output: string; kind: 'dicomdir' | 'nifti' | 'png'; detail?: string }>;
  /** What this export did not do, said plainly (e.g. pixel cleaning not implemented yet). */
  notes: string[];
  /** Clean Recognizable Visual Features: per series, what the face check found and did, with before/after renders. */
  faces?: FaceReport[];
  /** Skin markers removed: per series, each marker's place, size, fill and the files it changed. */
  markers?: MarkerReport[];
  files: FileReport[];
}

export function summariseActions(actions: readonly AuditEntry[]): Partial<Record<DeidAction, number>> {
  const summary: Partial<Record<DeidAction, number>> = {};
  for (const entry of actions) summary[entry.action] = (summary[entry.action] ?? 0) + 1;
  return summary;
}

export function countByStatus(files: readonly FileReport[]): Record<FileStatus, number> {
  const counts: Record<FileStatus, number> = { exported: 0, skipped: 0, failed: 0 };
  for (const file of files) counts[file.status]++;
  return counts;
}
