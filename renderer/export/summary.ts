// The renderer's summary of an export report (the same shape main returns).
import type { ExportSummary } from '../../shared/api/contract';
import { countByStatus, type ExportReport } from '../../shared/export';

export function summariseReport(report: ExportReport, reportHtmlPath: string | null): ExportSummary {
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
      .slice(0, 50)
      .map((f) => ({ input: f.input, status: f.status, reason: f.reason ?? '' })),
    notes: [...report.notes],
    reportHtmlPath,
    reportJsonPath: null,
  };
}
