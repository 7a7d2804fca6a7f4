// The app's privacy work, in domain words: scan opened files for header PHI,
// export de-identified copies into a folder the user chose in this session,
// cancel it. Electron-free (the IPC layer and the e2e bridge drive it).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ExportProgressEvent, ExportSummary, FileId, ScanDocument, ScanProgressEvent } from '../../shared/api/contract';
import { defaultProfile, type DeidProfile } from '../../shared/deid';
import type { RedactionPlan } from '../../shared/redact';
import { summariseTotals, type ExportReportHead } from '../../shared/export';
import { scanInputs } from '../cli/scan';
import { scanInWorker } from '../detect/scanHost';
import { exportStudies, type ExportOptions } from '../export/exportStudies';
import { writeReports, type ReportSource } from '../export/reportFiles';
import { checkLinkageLocation, writeLinkageFile } from '../export/linkage';
import { createWorkerRunner, filesPerWorker, filesWorthOcrWorkers, filesWorthWorkers } from '../export/workerPool';
import type { FileRegistry } from '../files/registry';
import { InvalidRequestError } from '../ipc/invalidRequest';

export interface ExportsOptions {
  registry: FileRegistry;
  /** The UID / pseudonym secret from local settings (main/export/secret.ts). */
  secret: () => Promise<string>;
  /**
   * Where audit reports go. Never the export folder: a report names the input
   * paths, and the export is what leaves the machine.
   */
  reportsDir: string;
  /** Files in flight at once (default: exportStudies' own). */
  concurrency?: number;
  /** Runs one file's work; default: worker threads when `workers` is set and the export is big, else this thread. */
  runFile?: ExportOptions['runFile'];
  /**
   * Worker threads for big exports, so the main process (and with it every window's IPC)
   * stays responsive: the bundled worker script and how many threads.
   */
  workers?: { script: URL; count: number };
  /** The bundled scan worker (main/detect/scanWorker.ts); default: the TypeScript one through tsx. */
  scanWorker?: URL;
}

export interface ExportJob {
  fileIds: readonly FileId[];
  /** Already checked to be an approved folder (see `isApproved`). */
  target: string;
  profile?: DeidProfile;
  nifti?: boolean;
  /** The viewer's redaction decisions (used when the profile has Clean Pixel Data). */
  redactionPlan?: RedactionPlan;
  /** Also the linkage CSV (original ↔ pseudonym), here; only on request. */
  linkageFile?: string;
  /** How Clean Recognizable Visual Features fills the face, and whether it takes the ears. */
  defaceFill?: 'air' | 'noise' | 'blur';
  defaceEars?: boolean;
  /** Remove skin markers: per series the accepted positions (absent: every one found). */
  skinMarkers?: {
    accepted?: ReadonlyMap<string, ReadonlyArray<[number, number, number]>>;
    /** Regions painted on the skin (scars), per series. */
    painted?: ReadonlyMap<string, ReadonlyArray<{ centre: [number, number, number]; radiusMm: number }>>;
  };
}


export class ExportBusyError extends Error {
  override name = 'ExportBusyError';
}

export class Exports {
  /** Folders the user picked in the export dialog this session; nothing else is written to. */
  private readonly approved = new Set<string>();
  private running: AbortController | null = null;
  private scanning: AbortController | null = null;
  private lastReportHtml: string | null = null;
  /** Linkage files the user picked in the linkage dialog this session. */
  private readonly approvedLinkage = new Set<string>();

  constructor(private readonly options: ExportsOptions) {}

  approveFolder(folder: string): void {
    this.approved.add(folder);
  }

  isApproved(folder: string): boolean {
    return this.approved.has(folder);
  }

  approveLinkageFile(file: string): void {
    this.approvedLinkage.add(file);
  }

  isLinkageFileApproved(file: string): boolean {
    return this.approvedLinkage.has(file);
  }

  /** Paths behind the ids; an id main did not hand out is refused. */
  private pathsOf(fileIds: readonly FileId[]): string[] {
    return fileIds.map((id) => {
      const filePath = this.options.registry.pathOf(id);
      if (!filePath) throw new InvalidRequestError('Unknown file id');
      return filePath;
    });
  }

  /**
   * The `veil scan --json` document of the files: headers, and with `pixels` burned-in text
   * (OCR), faces and skin markers, read in a worker thread. One pixel scan at a time: a new
   * one stops the last (the user opened another study).
   */
  async scan(fileIds: readonly FileId[], options: { pixels?: boolean; onProgress?: (event: ScanProgressEvent) => void } = {}): Promise<ScanDocument> {
    const paths = this.pathsOf(fileIds);
    if (!options.pixels) return scanInputs(paths, { pixels: false });
    this.scanning?.abort();
    const controller = new AbortController();
    this.scanning = controller;
    try {
      // The pixel work runs in a worker thread: OCR, face and marker checks would block main's event loop.
      return await scanInWorker(paths, {
        script: this.options.scanWorker,
        pixels: true,
        facePictures: true,
        signal: controller.signal,
        onProgress: (done, total) => options.onProgress?.({ done, total }),
      });
    } finally {
      if (this.scanning === controller) this.scanning = null;
    }
  }

  cancelScan(): boolean {
    if (!this.scanning) return false;
    this.scanning.abort();
    this.scanning = null;
    return true;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  async export(job: ExportJob, onProgress?: (event: ExportProgressEvent) => void): Promise<ExportSummary> {
    if (!this.approved.has(job.target)) throw new Error('Export only into a folder chosen in the export dialog');
    if (this.running) throw new ExportBusyError('An export is already running');
    if (job.linkageFile) checkLinkageLocation(job.linkageFile, job.target);
    const inputs = [...new Set(this.pathsOf(job.fileIds))];
    const controller = new AbortController();
    this.running = controller;
    const { workers } = this.options;
    const profile = job.profile ?? defaultProfile;
    const worthWorkers = profile.options.includes('cleanPixelData') ? filesWorthOcrWorkers : filesWorthWorkers;
    const runner =
      !this.options.runFile && workers && workers.count > 1 && inputs.length >= worthWorkers
        ? createWorkerRunner(workers.count, workers.script)
        : undefined;
    let run;
    try {
      run = await exportStudies({
        inputs,
        outputFolder: job.target,
        profile,
        secret: await this.options.secret(),
        signal: controller.signal,
        nifti: job.nifti ?? false,
        redactionPlan: job.redactionPlan,
        ...(job.skinMarkers ? { skinMarkers: job.skinMarkers } : {}),
        ...(job.defaceFill || job.defaceEars ? { deface: { fill: job.defaceFill ? { method: job.defaceFill } : {}, mask: job.defaceEars ? { ears: true } : {} } } : {}),
        concurrency: this.options.concurrency ?? (runner && workers ? workers.count * filesPerWorker : undefined),
        runFile: this.options.runFile ?? runner?.run,
        onProgress: (progress) =>
          onProgress?.({ done: progress.done, total: progress.total, file: progress.file.input, status: progress.file.status }),
      });
      const paths = await this.writeReport(run);
      const summary = summariseTotals(run.report, run.totals, { html: paths?.html ?? null, json: paths?.json ?? null });
      // Written after the report, never into it.
      if (!job.linkageFile) return summary;
      return { ...summary, linkage: { file: job.linkageFile, studies: await writeLinkageFile({ outputFolder: run.report.outputFolder, files: run.files }, job.linkageFile) } };
    } finally {
      run?.close();
      this.running = null;
      await runner?.close();
    }
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort();
    return true;
  }

  /** The last report's HTML path, for "Open report". */
  get lastReport(): string | null {
    return this.lastReportHtml;
  }

  private async writeReport(run: ReportSource): Promise<{ html: string; json: string }> {
    const report: ExportReportHead = run.report;
    await fs.mkdir(this.options.reportsDir, { recursive: true, mode: 0o700 });
    // Time-stamped, no patient or folder names: the file name alone says nothing about anyone.
    const stamp = report.startedAt.replace(/[:.]/g, '-');
    let base = path.join(this.options.reportsDir, `veil-export-${stamp}`);
    for (let n = 2; await exists(`${base}.json`); n++) base = path.join(this.options.reportsDir, `veil-export-${stamp}-${n}`);
    const json = `${base}.json`;
    const html = `${base}.html`;
    await writeReports(run, { json, html, mode: 0o600 });
    this.lastReportHtml = html;
    return { html, json };
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

