// Public surface of the export engine: where files go, the DICOMDIR, the
// verification pass, the audit report and the scan document (platform-free;
// the writer that touches the disk is main/export).
export { exportRoot, dicomdirName, isFileIdComponent, planLayout, type PlacementKey, type PlannedFile } from './layout';
export {
  asWrittenByVeil,
  describeFindings,
  exportCopy,
  failureReason,
  planHeader,
  unreadableReport,
  type CopyOutcome,
  type CopySink,
  type CopyTask,
  type PlannedHeader,
} from './copy';
export { defaceSeries, unfilledPixels, type FaceReport, type FileDeface, type SeriesDeface, type SeriesDefaceStatus } from './deface';
export { seriesPixels, type MarkerReport, type MarkerReportEntry, type MarkerSeriesStatus, type SeriesPixelOptions, type SeriesPixels } from './seriesPixels';
export { cleanPixels, hasPixelData, verifyCleanPixels, type CleanedPixels, type PixelCleaningTask, type PixelStages, type PixelTools } from './cleanPixels';
export { buildDicomdir, directoryEntry, isListable, recordTypeFor, type DirectoryEntry } from './dicomdir';
export {
  dateSpellings,
  instanceUIDs,
  keptValueKeys,
  normaliseText,
  unchangedElementPaths,
  valuesToVerify,
  verifyExport,
  type VerificationFinding,
  type VerificationResult,
  type VerifyOptions,
} from './verify';
export { countByStatus, summariseActions, type ExportReport, type FileReport, type FileStatus } from './report';
export { escapeHtml, renderReportHtml, reportHtmlFrame, reportHtmlRow } from './reportHtml';
export { maxProblems, ReportTotals, reportJsonEntry, reportJsonHead, reportJsonTail, type ExportReportHead, type ReportProblem } from './reportStream';
export { plainSummaryOf } from './reportSummary';
export {
  ScanCollector,
  headerFindings,
  type Finding,
  type FindingKind,
  type FindingLocation,
  type ScanDocument,
  type ScannedSeries,
} from './scan';
export { niftiFromSeries, type NiftiResult } from './nifti';
export { encodeGreyPng, encodeRgbaPng, pngDataUrl, snapshotFromFile, type SnapshotResult } from './png';
export { PatientValues } from './searchLists';
export { summariseReport, summariseTotals } from './summary';
export { linkageColumns, linkageCsv, parseLinkageCsv, studyRepresentatives, type LinkageIdentity, type LinkageRow } from './linkage';
