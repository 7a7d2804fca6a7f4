// The short summary of an export that the UI shows (counts and reasons; the
// per-element audit stays in the report). One shape for desktop and browser.
import type { ExportSummary } from '../api/contract';
import { countByStatus, type ExportReport } from './report';

/** At most this many skipped/failed files are listed; the report has them all. */
const maxProblems = 50;

export function summariseReport(report: ExportReport, paths: { html: string | null; json: string | null }): ExportSummary {
  const counts = countByStatus(report.files);
  return {
    outputFolder: report.outputFolder,
    complete: report.complete,
    interrupted: report.interrupted,
    exported: counts.exported,
    skipped: counts.skipped,
    failed: counts.failed,
    verified: report.files.filter((f) => f.status === 'exported' && (f.resumed || f.verification?.ok)).length,
    extras: report.extras.map((e) => ({ ...e })),
    problems: report.files
      .filter((f): f is typeof f & { status: 'skipped' | 'failed' } => f.status !== 'exported')
      .slice(0, maxProblems)
      .map((f) => ({ input: f.input, status: f.status, reason: f.reason ?? '' })),
    notes: [...report.notes],
    reportHtmlPath: paths.html,
    reportJsonPath: paths.json,
  };
}
