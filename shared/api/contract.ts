// The one contract between the main process and the renderer (and the
// browser-mode stand-in). The preload exposes exactly `VeilApi` as
// the page's global `veil`; main registers one handler per channel below. Everything that
// crosses the boundary is plain structured-cloneable data.
import type { DeidPreview } from '../export/preview';
import type { DefacePreview } from '../deface/preview';
import type { ScanDocument } from '../export/scan';

export type { Finding, FindingKind, FindingLocation, ScanDocument, ScannedSeries } from '../export/scan';
export type { DeidPreview, PreviewRow } from '../export/preview';
export type { DefacePreview, DefacePreviewSlice } from '../deface/preview';

/** Opaque handle the main process hands out for a file it has indexed. */
export type FileId = string;

export interface InstanceSummary {
  fileId: FileId;
  /** Path (Electron) or name (browser) as the user would recognise it. */
  displayPath: string;
  sizeBytes: number;
  sopInstanceUID: string;
  sopClassUID: string;
  transferSyntaxUID: string;
  instanceNumber?: number;
  numberOfFrames: number;
  rows?: number;
  columns?: number;
  /** Patient coordinates of the first voxel (0020,0032), for sorting. */
  imagePositionPatient?: [number, number, number];
  imageOrientationPatient?: [number, number, number, number, number, number];
  /** True when the instance has pixel data that a viewport can show. */
  hasPixels: boolean;
}

export interface SeriesSummary {
  seriesInstanceUID: string;
  modality: string;
  seriesNumber?: number;
  seriesDescription: string;
  bodyPartExamined?: string;
  /** Sorted along the slice normal when geometry allows, else by instance number. */
  instances: InstanceSummary[];
}

export interface StudySummary {
  studyInstanceUID: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  series: SeriesSummary[];
}

export interface PatientSummary {
  /** Grouping key: PatientID, or name + birth date when the ID is empty. */
  key: string;
  patientName: string;
  patientID: string;
  patientBirthDate: string;
  patientSex: string;
  studies: StudySummary[];
}

export interface SkippedInput {
  displayPath: string;
  reason: string;
}

export interface OpenResult {
  /** Where the files came from, for the title bar and the recent list. */
  source: string;
  patients: PatientSummary[];
  skipped: SkippedInput[];
}

export interface RecentStudy {
  source: string;
  label: string;
  openedAt: string;
}

export interface ProgressEvent {
  done: number;
  total: number;
  message: string;
}

export interface VeilApi {
  /** Shows the open-files dialog; null when the user cancels. */
  openFilesDialog(): Promise<OpenResult | null>;
  /** Shows the open-folder dialog (a CD, a folder of studies); null on cancel. */
  openFolderDialog(): Promise<OpenResult | null>;
  /** Opens paths dropped on the window (files, folders, DICOMDIR). */
  openDropped(items: DroppedItems): Promise<OpenResult>;
  /** Opens the bundled sample study. */
  openSample(): Promise<OpenResult>;
  /**
   * What to show at launch: the paths given on the command line
   * (`electron . /media/cdrom`), else the sample. Optional: stand-ins without
   * a command line may leave it out (then call openSample).
   */
  openStartup?(): Promise<OpenResult>;
  /** Re-opens a recent source. */
  openRecent(source: string): Promise<OpenResult>;
  recentStudies(): Promise<RecentStudy[]>;
  /** Bytes of an indexed file; originals are only ever read. */
  readFile(fileId: FileId): Promise<ArrayBuffer>;
  /** Subscribes to progress of long work; returns an unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;

  // Privacy findings and the de-identified export (issue 3). Optional: a
  // stand-in without a disk may offer the scan only; the UI says what is missing.
  /**
   * Privacy findings of indexed files, per series (`veil scan --json`'s structure): the headers,
   * and with `{ pixels: true }` also burned-in text (OCR; slow, so with progress and cancel).
   * Where pixels cannot be read here, they are listed in `unchecked`.
   */
  scanStudy?(fileIds: FileId[], options?: ScanRequestOptions): Promise<ScanDocument>;
  /** Stops the running pixel scan (its promise rejects); false when none runs. */
  cancelScan?(): Promise<boolean>;
  /** Progress of the running pixel scan; returns an unsubscribe function. */
  onScanProgress?(listener: (event: ScanProgressEvent) => void): () => void;
  /**
   * The choose-folder dialog for an export; null on cancel. Main remembers the
   * folder: `exportStudy` accepts only folders chosen here in this session.
   */
  chooseExportFolder?(): Promise<string | null>;
  /** De-identifies, writes and verifies copies of indexed files into `target`. */
  exportStudy?(request: ExportRequest): Promise<ExportSummary>;
  /** Stops the running export after the files in flight; it stays resumable. False when none runs. */
  cancelExport?(): Promise<boolean>;
  /** Progress of the running export; returns an unsubscribe function. */
  onExportProgress?(listener: (event: ExportProgressEvent) => void): () => void;
  /** Opens the last export's HTML report in the system's browser (desktop). */
  openExportReport?(): Promise<void>;

  // Profiles as files shared with `veil deid --profile`, and the linkage file (issue 7).
  /** Save dialog, then writes the profile (JSON text, checked by `parseProfile`) there; the path, or null on cancel. */
  saveProfileFile?(profile: string): Promise<string | null>;
  /** Open dialog for a profile file; its text once `parseProfile` accepts it, or null on cancel. */
  loadProfileFile?(): Promise<{ fileName: string; text: string } | null>;
  /**
   * Save dialog for the linkage CSV (original ↔ pseudonym); null on cancel. Main remembers the
   * file: `exportStudy`'s `linkageFile` accepts only one chosen here in this session.
   */
  chooseLinkageFile?(): Promise<string | null>;
  /**
   * The header of one file as it is and as the export would write it under `profile` (JSON text,
   * default profile when absent): every element with the export's action and rule (issue 7's review).
   */
  previewDeid?(fileId: FileId, profile?: string): Promise<DeidPreview>;
  /**
   * One series (all its file ids) defaced as the export would do it, without writing anything:
   * the replaced voxels per slice, for the viewer's before / after (desktop; the detector runs in main).
   */
  defacePreview?(fileIds: FileId[], options?: { fill?: 'air' | 'noise' | 'blur'; ears?: boolean }): Promise<DefacePreview>;
}

export interface ScanRequestOptions {
  /** Also read the pixels for burned-in text (default false: headers only, fast). */
  pixels?: boolean;
}

export interface ScanProgressEvent {
  /** Files done of all. */
  done: number;
  total: number;
}

export interface ExportRequest {
  /** Files to export (ids from an OpenResult). */
  fileIds: FileId[];
  /** A folder `chooseExportFolder` returned, exactly. */
  target: string;
  /** A profile as JSON text (`shared/deid` `parseProfile`); default profile when absent. */
  profile?: string;
  /** `defaceFill` / `defaceEars`: how Clean Recognizable Visual Features fills the face (default air) and whether it takes the ears. */
  options?: { nifti?: boolean; defaceFill?: 'air' | 'noise' | 'blur'; defaceEars?: boolean };
  /**
   * Remove marks on the skin (tattoo ink, skin markers, piercings) from CT and MR volumes. `accepted`:
   * per series, the positions (LPS mm, as the scan's `skin-marker` findings give them) the user
   * kept for removal; absent: every one found. `painted`: per series, regions the user painted on
   * the skin (scars; centre LPS mm, radius 1–30 mm), filled like a marker within the skin shell.
   */
  skinMarkers?: {
    accepted?: Array<{ seriesInstanceUID: string; positions: Array<[number, number, number]> }>;
    painted?: Array<{ seriesInstanceUID: string; regions: Array<{ centre: [number, number, number]; radiusMm: number }> }>;
  };
  /**
   * The viewer's redaction plan as JSON text (`shared/redact` `parseRedactionPlan`), used when the
   * profile has Clean Pixel Data: the user's decisions for the files it has boxes for.
   */
  redactionPlan?: string;
  /**
   * Also write the linkage CSV here: a file `chooseLinkageFile` returned, exactly, outside
   * `target`. Absent (the default): no linkage is written anywhere.
   */
  linkageFile?: string;
}

export interface ExportProgressEvent {
  done: number;
  total: number;
  /** The input just finished, as the user would recognise it. */
  file: string;
  status: 'exported' | 'skipped' | 'failed';
}

export interface ExportSummary {
  outputFolder: string;
  /** Every DICOM input exported and verified, and the run was not interrupted. */
  complete: boolean;
  interrupted: boolean;
  exported: number;
  skipped: number;
  failed: number;
  /** Exported files whose verification pass found no identifying value. */
  verified: number;
  /** Files in the export tree (VEIL/…) and extras such as DICOMDIR and NIfTI. */
  extras: Array<{ output: string; kind: string; detail?: string }>;
  /** Inputs that were not exported, with the reason (first 50). */
  problems: Array<{ input: string; status: 'skipped' | 'failed'; reason: string }>;
  notes: string[];
  /** The audit report, written outside the export (it names the inputs); null when not written. */
  reportHtmlPath: string | null;
  reportJsonPath: string | null;
  /** Where the linkage CSV went and how many studies it links, when one was asked for. */
  linkage?: { file: string; studies: number };
}

/**
 * Dropped items: in Electron the preload turns File objects into paths
 * (webUtils.getPathForFile); in browser mode the stand-in keeps the Files.
 */
export type DroppedItems = { kind: 'paths'; paths: string[] } | { kind: 'files'; files: unknown[] };

/** IPC channel names, one per request method of VeilApi. */
export const Channels = {
  openFilesDialog: 'veil:open-files-dialog',
  openFolderDialog: 'veil:open-folder-dialog',
  openDropped: 'veil:open-dropped',
  openSample: 'veil:open-sample',
  openStartup: 'veil:open-startup',
  openRecent: 'veil:open-recent',
  recentStudies: 'veil:recent-studies',
  readFile: 'veil:read-file',
  progress: 'veil:progress',
  scanStudy: 'veil:scan-study',
  cancelScan: 'veil:cancel-scan',
  chooseExportFolder: 'veil:choose-export-folder',
  exportStudy: 'veil:export-study',
  cancelExport: 'veil:cancel-export',
  openExportReport: 'veil:open-export-report',
  saveProfileFile: 'veil:save-profile-file',
  loadProfileFile: 'veil:load-profile-file',
  chooseLinkageFile: 'veil:choose-linkage-file',
  previewDeid: 'veil:preview-deid',
  defacePreview: 'veil:deface-preview',
} as const;

/** Channels main pushes on (not requests), besides `Channels.progress`. */
export const PushChannels = {
  exportProgress: 'veil:export-progress',
  scanProgress: 'veil:scan-progress',
} as const;

export type Channel = (typeof Channels)[keyof typeof Channels];
