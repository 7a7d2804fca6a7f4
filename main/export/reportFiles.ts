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

type AuditList = Pick<FileReport, 'actions' | 'summary'>;

/**
 * File entries as they finish, read back in report order: by rank (input order; -1 before all),
 * then as added. An audit list shared by several entries (exportStudies' interner gives files
 * with the same lines one list) is spilled once and named by its line in `lists`.
 */
export class ReportFiles implements Iterable<FileReport> {
  private ranks = new Int32Array(1024);
  /** Counted as entries come, so no pass over them is needed before the reports are written. */
  readonly totals = new ReportTotals();
  private readonly spilledLists = new WeakMap<object, { index: number; summary: FileReport['summary'] }>();
  private readonly readLists = new Map<number, AuditList>();

  constructor(
    private readonly lines: SpillFile,
    private readonly lists: SpillFile,
  ) {}

  get size(): number {
    return this.lines.size;
  }

  add(rank: number, file: FileReport): void {
    let text: string;
    if (file.actions) {
      let list = this.spilledLists.get(file.actions);
      if (!list || list.summary !== file.summary) {
        list = { index: this.lists.append(JSON.stringify({ actions: file.actions, summary: file.summary })), summary: file.summary };
        this.spilledLists.set(file.actions, list);
      }
      // Same keys in the same places, the list named by its line.
      text = JSON.stringify({ ...file, actions: list.index, ...(file.summary !== undefined ? { summary: list.index } : {}) });
    } else {
      text = JSON.stringify(file);
    }
    const index = this.lines.append(text);
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
    for (const index of order) {
      const entry = JSON.parse(this.lines.read(index)) as Omit<FileReport, 'actions' | 'summary'> & { actions?: number; summary?: number };
      if (entry.actions === undefined) {
        yield entry as FileReport;
        continue;
      }
      const list = this.list(entry.actions);
      const file = entry as unknown as FileReport;
      file.actions = list.actions;
      if (entry.summary !== undefined) file.summary = list.summary;
      yield file;
    }
  }

  private list(index: number): AuditList {
    let list = this.readLists.get(index);
    if (!list) {
      // A few lists at a time: entries sharing one mostly come together (a series).
      if (this.readLists.size >= 64) this.readLists.clear();
      list = JSON.parse(this.lists.read(index)) as AuditList;
      this.readLists.set(index, list);
    }
    return list;
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
