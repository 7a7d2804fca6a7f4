// The short summary of an export that the UI shows (counts and reasons; the
// per-element audit stays in the report). One shape for desktop and browser.
import type { ExportSummary } from '../api/contract';
import type { ExportReport } from './report';
import { ReportTotals, type ExportReportHead } from './reportStream';

export function summariseReport(report: ExportReport, paths: { html: string | null; json: string | null }): ExportSummary {
  return summariseTotals(report, ReportTotals.of(report.files), paths);
}

/** The same from a report's head and its entries' totals (the entries may be on disk). */
export function summariseTotals(report: ExportReportHead, totals: ReportTotals, paths: { html: string | null; json: string | null }): ExportSummary {
  return {
    outputFolder: report.outputFolder,
    complete: report.complete,
    interrupted: report.interrupted,
    exported: totals.counts.exported,
    skipped: totals.counts.skipped,
    failed: totals.counts.failed,
    verified: totals.verified,
    extras: report.extras.map((e) => ({ ...e })),
    problems: totals.problems.map((p) => ({ ...p })),
    notes: [...report.notes],
    reportHtmlPath: paths.html,
    reportJsonPath: paths.json,
  };
}
