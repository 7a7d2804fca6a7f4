// The report's per-file entries on disk while an export runs (one JSON line
// each, in the spill folder: they name input paths), and the JSON and HTML
// reports written by streaming over them, so a report of any size never sits
// in memory whole. Outputs equal `JSON.stringify(report, null, 2)` and
// `renderReportHtml(report)` of the same report held in memory.
import { promises as fs } from 'node:fs';
import {
  reportHtmlFrame,
  reportHtmlRow,
  reportJsonEntry,
  reportJsonHead,
  reportJsonTail,
  type ExportReport,
  type ExportReportHead,
  type FileReport,
  ReportTotals,
} from '../../shared/export';
import type { SpillFile } from './spill';

/** File entries as they finish, read back in report order: by rank (input order; -1 before all), then as added. */
export class ReportFiles implements Iterable<FileReport> {
  private ranks = new Int32Array(1024);
  /** Counted as entries come, so no pass over them is needed before the reports are written. */
  readonly totals = new ReportTotals();

  constructor(private readonly lines: SpillFile) {}

  get size(): number {
    return this.lines.size;
  }

  add(rank: number, file: FileReport): void {
    const index = this.lines.append(JSON.stringify(file));
    if (index === this.ranks.length) {
      const ranks = new Int32Array(index * 2);
      ranks.set(this.ranks);
      this.ranks = ranks;
    }
    this.ranks[index] = rank;
    this.totals.add(file, [rank, index]);
  }

  *[Symbol.iterator](): Iterator<FileReport> {
    const ranks = this.ranks;
    const order = Uint32Array.from({ length: this.size }, (_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
    for (const index of order) yield JSON.parse(this.lines.read(index)) as FileReport;
  }
}

/** An export's report: its head, its entries' totals, and the entries (on disk until `close`). */
export interface ReportSource {
  report: ExportReportHead;
  totals: ReportTotals;
  files: Iterable<FileReport>;
}

/** The whole report in memory (tests, small exports). */
export function reportInMemory(source: ReportSource): ExportReport {
  return { ...source.report, files: [...source.files] };
}

/** Writes text to a file in large pieces. */
class ChunkedWriter {
  private parts: string[] = [];
  private length = 0;

  private constructor(private readonly handle: fs.FileHandle) {}

  static async open(file: string, mode: number): Promise<ChunkedWriter> {
    return new ChunkedWriter(await fs.open(file, 'w', mode));
  }

  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.length += text.length;
    // Pieces below V8's large-object size, so each dies young.
    if (this.length >= 1 << 15) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.parts.join('');
    this.parts = [];
    this.length = 0;
    if (text) await this.handle.write(text);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}

/** The JSON report (`{..., "files": [...]}`) and/or the HTML page, in one pass over the entries. */
export async function writeReports(source: ReportSource, to: { json?: string; html?: string; mode?: number }): Promise<void> {
  const mode = to.mode ?? 0o666;
  const json = to.json ? await ChunkedWriter.open(to.json, mode) : undefined;
  const html = to.html ? await ChunkedWriter.open(to.html, mode) : undefined;
  try {
    const frame = html ? reportHtmlFrame(source.report, source.totals) : undefined;
    await json?.write(reportJsonHead(source.report));
    if (frame) await html?.write(frame.head);
    let count = 0;
    for (const file of source.files) {
      await json?.write(reportJsonEntry(file, count));
      await html?.write(reportHtmlRow(file));
      count++;
    }
    await json?.write(reportJsonTail(count));
    if (frame) await html?.write(frame.tail);
  } finally {
    await json?.close();
    await html?.close();
  }
}
