// The one contract between the main process and the renderer (and the
// browser-mode stand-in). The preload exposes exactly `VeilApi` as
// `window.veil`; main registers one handler per channel below. Everything that
// crosses the boundary is plain structured-cloneable data.

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
} as const;

export type Channel = (typeof Channels)[keyof typeof Channels];
