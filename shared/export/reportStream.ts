// The report written one file entry at a time: a big export's entries wait on
// disk (main/export/reportFiles.ts), not in memory. What the report's opening
// and the UI's summary need from every entry is gathered by `ReportTotals`;
// the JSON text comes in pieces that join to exactly `JSON.stringify(report, null, 2)`.
import type { DeidAction } from '../deid';
import type { ExportReport, FileReport, FileStatus } from './report';

/** Everything in a report but its per-file entries. */
export type ExportReportHead = Omit<ExportReport, 'files'>;

/** At most this many skipped/failed files are listed in the UI's summary; the report has them all. */
export const maxProblems = 50;

export interface ReportProblem {
  input: string;
  status: 'skipped' | 'failed';
  reason: string;
}

/**
 * What the summaries count over all files, added one entry at a time. Entries may come in any
 * order when each says where it stands in the report (`at`); the problems are then still the first ones.
 */
export class ReportTotals {
  readonly counts: Record<FileStatus, number> = { exported: 0, skipped: 0, failed: 0 };
  /** Each action's count over all files' summaries. */
  readonly actions: Partial<Record<DeidAction, number>> = {};
  /** Kept elements by keyword, counted per audit line. */
  readonly kept = new Map<string, number>();
  /** Exported files with pixel boxes filled, and how many boxes. */
  boxedFiles = 0;
  boxes = 0;
  /** Exported files whose verification found something. */
  unverified = 0;
  /** Exported files verified clean now or by an earlier run. */
  verified = 0;
  /** The first `maxProblems` files not exported. */
  readonly problems: ReportProblem[] = [];
  private readonly problemsAt: number[][] = [];
  private added = 0;

  /** `at`: the entry's place in the report, compared element by element (default: as added). */
  add(file: FileReport, at: readonly number[] = [this.added]): void {
    this.added++;
    this.counts[file.status]++;
    for (const [action, n] of Object.entries(file.summary ?? {}) as Array<[DeidAction, number]>) this.actions[action] = (this.actions[action] ?? 0) + n;
    for (const a of file.actions ?? []) if (a.action === 'kept' && a.keyword) this.kept.set(a.keyword, (this.kept.get(a.keyword) ?? 0) + 1);
    if (file.status === 'exported') {
      const boxes = file.redactions?.length ?? 0;
      if (boxes > 0) {
        this.boxedFiles++;
        this.boxes += boxes;
      }
      if (file.verification && !file.verification.ok) this.unverified++;
      if (file.resumed || file.verification?.ok) this.verified++;
    } else {
      let index = this.problems.length;
      while (index > 0 && before(at, this.problemsAt[index - 1]!)) index--;
      if (index >= maxProblems) return;
      this.problems.splice(index, 0, { input: file.input, status: file.status, reason: file.reason ?? '' });
      this.problemsAt.splice(index, 0, [...at]);
      if (this.problems.length > maxProblems) {
        this.problems.pop();
        this.problemsAt.pop();
      }
    }
  }

  static of(files: Iterable<FileReport>): ReportTotals {
    const totals = new ReportTotals();
    for (const file of files) totals.add(file);
    return totals;
  }
}

function before(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return a.length < b.length;
}

/** The report's JSON up to its first file entry: the head as `JSON.stringify(report, null, 2)` prints it, `files` last. */
export function reportJsonHead(head: ExportReportHead): string {
  const text = JSON.stringify(head, null, 2);
  return `${text.slice(0, -2)},\n  "files": [`;
}

/** One file entry of the JSON report; `index` 0 is the first. */
export function reportJsonEntry(file: FileReport, index: number): string {
  // Strings never hold a raw line break in JSON, so indenting every line is exact.
  return `${index > 0 ? ',' : ''}\n    ${JSON.stringify(file, null, 2).replace(/\n/g, '\n    ')}`;
}

/** The JSON report's end after `count` entries (with the final line break the writers add). */
export function reportJsonTail(count: number): string {
  return count > 0 ? '\n  ]\n}\n' : ']\n}\n';
}
