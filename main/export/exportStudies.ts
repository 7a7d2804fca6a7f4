// A whole export: inputs → de-identified, verified copies in a clean folder
// tree with a DICOMDIR, plus the audit report. Originals are only ever read.
// Resumable: finished files are journaled; re-running skips those whose output
// is still there unchanged.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEntry, DeidProfile, IdentifyingValue } from '../../shared/deid';
import type { RedactionPlan } from '../../shared/redact';
import { readDicom } from '../../shared/dicom';
import {
  buildDicomdir,
  dicomdirName,
  directoryEntry,
  exportRoot,
  isListable,
  niftiFromSeries,
  snapshotFromFile,
  PatientValues,
  planLayout,
  summariseActions,
  verifyExport,
  type DirectoryEntry,
  type ExportReport,
  type ExportReportHead,
  type FileReport,
  type PixelCleaningTask,
} from '../../shared/export';
import { isInside } from '../app/containment';
import { collectInputFiles } from '../files/collect';
import { fromPlainEntry, toPlainEntry, type PlainDirectoryEntry } from './directoryRecord';
import { closePixelTools } from './pixelTools';
import { pixelStage, type PixelStageOptions } from './defaceStage';
import { commitStaged, exportFile, type FileOutcome, type FileTask } from './exportFile';
import { JournalWriter, journalKey, outputChecksum, readJournal, stillAsJournaled, type JournalEntry } from './journal';
import { checkOutputFolder, niftiFolderName, OutputFolderError, partialFolderName, pngFolderName } from './outputFolder';
import { planInput, type PlannedInput } from './planFile';
import { ReportFiles, reportInMemory, type ReportSource } from './reportFiles';
import { SpillFolder, type SpillFile } from './spill';

export const veilVersion = '0.1.0';

export interface ExportOptions {
  inputs: readonly string[];
  outputFolder: string;
  profile: DeidProfile;
  secret: string;
  /** Stops after the file in progress; the export stays resumable. */
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** fsync each file before it gets its final name (default true). */
  durable?: boolean;
  /** Also write one NIfTI-1 volume per series (uncompressed single-frame series only). */
  nifti?: boolean;
  /** Also write a PNG of each series' middle image (uncompressed greyscale only). */
  png?: boolean;
  /** The viewer's decisions, used by Clean Pixel Data for the files it has boxes for. */
  redactionPlan?: RedactionPlan;
  /** Remove skin markers (tattoo ink, markers, piercings) from CT and MR volumes; `accepted`: per series, the ones to remove (default: all found). */
  skinMarkers?: PixelStageOptions['markers'];
  /** How Clean Recognizable Visual Features fills the face (default: air) and shapes its mask (e.g. ears). */
  deface?: PixelStageOptions['deface'];
  /** Runs the planning of one input elsewhere (worker threads); default: in this thread. */
  planFile?: (input: string) => Promise<PlannedInput>;
  /** Runs the per-file work elsewhere (worker threads); default: in this thread. */
  runFile?: (task: FileTask) => Promise<FileOutcome>;
  /**
   * Files in flight at once. In this thread (default 4) it overlaps one file's disk
   * waits with another's work; with a worker-thread `runFile`, one per worker.
   */
  concurrency?: number;
}

export interface ExportProgress {
  done: number;
  total: number;
  file: FileReport;
}

/**
 * What `exportStudies` returns: the report's head, the totals the summaries need, and the
 * per-file entries, which wait on disk (in a private temporary folder) until `close()`.
 */
export interface ExportRun extends ReportSource {
  /** Removes the entries' temporary folder; `files` cannot be read after it. */
  close(): void;
}

/** A file in the export: its File ID and, when already known, its DICOMDIR entry's line in the spill file (-1: read it from the file). */
interface ExportedFile {
  fileId: string[];
  directory: number;
}

/** Where the planning pass places a DICOM input: in memory for every file, so kept small (equal strings shared). */
interface Placement {
  /** The input's place in the walk's list: the report's order. */
  rank: number;
  patientKey: string;
  studyUID: string;
  seriesUID: string;
  instanceNumber?: number;
}

/** The rest of what the per-file work needs, spilled to disk until the file's turn (same index as its placement). */
interface Candidate {
  input: string;
  originalUIDs: string[];
  journalKey: string;
}

/**
 * Maps `items` with at most `concurrency` calls in flight and hands each result to `take`
 * in input order as soon as those before it are taken, so results do not pile up (a
 * file's plan holds its identifying values until merged). Once aborted, no new call starts.
 */
async function eachInOrder<T, R>(items: readonly T[], concurrency: number, map: (item: T) => Promise<R>, take: (result: R) => void, signal?: AbortSignal): Promise<void> {
  const waiting = new Map<number, R>();
  let next = 0;
  let taken = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      waiting.set(index, await map(items[index]));
      while (waiting.has(taken)) {
        const result = waiting.get(taken)!;
        waiting.delete(taken++);
        take(result);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, items.length)) }, lane));
}

/** `VEIL_TIMINGS=1`: each phase's wall time on stderr (for the benchmark). */
function phaseTimer(): (phase: string) => void {
  if (typeof process === 'undefined' || process.env.VEIL_TIMINGS !== '1') return () => undefined;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  return (phase) => {
    const now = performance.now();
    // CPU time of all threads too: on a busy machine wall time mostly measures the others.
    const cpu = process.cpuUsage(lastCpu);
    process.stderr.write(`veil timing: ${phase} ${(now - last).toFixed(0)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)\n`);
    last = now;
    lastCpu = process.cpuUsage();
  };
}

/** Inputs per series, in plan order. */
function seriesInputs(placements: readonly Placement[], candidate: (index: number) => Candidate): Map<string, string[]> {
  const series = new Map<string, string[]>();
  placements.forEach((p, i) => series.set(p.seriesUID, [...(series.get(p.seriesUID) ?? []), candidate(i).input]));
  return series;
}

/** The whole report in memory, the temporary entries removed (tests, small exports). */
export async function exportStudiesReport(options: ExportOptions): Promise<ExportReport> {
  const run = await exportStudies(options);
  try {
    return reportInMemory(run);
  } finally {
    run.close();
  }
}

/**
 * Runs an export. Per-file state (report entries, DICOMDIR entries, what each file's work
 * needs) waits on disk, so memory stays flat in the number of files; the caller writes the
 * reports from the returned run (`writeReports`) and closes it.
 */
export async function exportStudies(options: ExportOptions): Promise<ExportRun> {
  // The spill names input paths: never inside the export.
  const temporary = path.resolve(tmpdir());
  const out = path.resolve(options.outputFolder);
  if (temporary === out || isInside(out, temporary)) {
    throw new OutputFolderError(`the temporary folder ${temporary} lies in the export folder: set TMPDIR to a folder outside it`);
  }
  const spill = new SpillFolder();
  const files = new ReportFiles(spill.file('report.ndjson'), spill.file('audit.ndjson'));
  const bodies = spill.file('candidates.ndjson');
  const directories = spill.file('dicomdir.ndjson');
  try {
    const report = await runExport(options, files, bodies, directories);
    return {
      report,
      totals: files.totals,
      files,
      close: () => spill.remove(),
    };
  } catch (error) {
    spill.remove();
    throw error;
  }
}

async function runExport(options: ExportOptions, reports: ReportFiles, bodies: SpillFile, directories: SpillFile): Promise<ExportReportHead> {
  const startedAt = new Date().toISOString();
  const phase = phaseTimer();
  const out = await checkOutputFolder(options.outputFolder, options.inputs);
  const partial = path.join(out, partialFolderName);
  await fs.mkdir(partial, { recursive: true });
  await removeStaleTemporaries(partial);
  const journalPath = path.join(partial, 'journal.jsonl');
  const journal = await readJournal(journalPath);
  // Pixel options change what a copy holds: a resumed run must not keep copies made without them.
  const pixelOptions = options.skinMarkers || options.deface ? JSON.stringify({ markers: options.skinMarkers && [...(options.skinMarkers.accepted ?? [])], painted: options.skinMarkers?.painted && [...options.skinMarkers.painted], deface: options.deface }) : '';
  const profileJson = JSON.stringify(options.profile) + pixelOptions;
  // The profile's Clean Pixel Data: burned-in text filled, then every copy read again by OCR.
  const cleanPixels: PixelCleaningTask | undefined = options.profile.options.includes('cleanPixelData')
    ? { keepTechnicalText: options.profile.technicalText !== 'redact', ...(options.redactionPlan ? { plan: options.redactionPlan } : {}) }
    : undefined;
  const durable = options.durable ?? true;

  phase('output folder');
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const patientValues = new PatientValues();
  const placements = await planInputs(options, concurrency, profileJson, patientValues, reports, bodies);
  const candidate = (index: number): Candidate => JSON.parse(bodies.read(index)) as Candidate;
  phase('plan (headers)');
  // Clean Recognizable Visual Features and skin markers: each series checked (and cleaned) as a whole first.
  const defacing = options.profile.options.includes('cleanRecognizableVisualFeatures');
  const deface =
    defacing || options.skinMarkers
      ? await pixelStage(
          seriesInputs(placements, candidate),
          { ...(defacing ? { deface: options.deface ?? {} } : {}), ...(options.skinMarkers ? { markers: options.skinMarkers } : {}) },
          options.signal,
        )
      : undefined;
  if (deface) phase('faces and skin markers (per series)');
  const plan = planLayout(placements, (c) => ({
    patient: c.patientKey,
    study: c.studyUID,
    series: c.seriesUID,
    instanceNumber: c.instanceNumber,
  }));

  // Names this run's lists for the workers' caches (a later export has other lists).
  const runId = `${startedAt}:${Math.random()}`;

  const writer = await JournalWriter.open(journalPath);
  const exported: ExportedFile[] = [];
  let interrupted = false;
  let done = 0;
  const total = plan.length;
  const report = (rank: number, file: FileReport): void => {
    reports.add(rank, file);
    options.onProgress?.({ done: ++done, total, file });
  };
  // Each file's DICOMDIR entry waits on disk: one JSON line, read back when the DICOMDIR is made.
  const exportedFile = (fileId: string[], entry: PlainDirectoryEntry | undefined): ExportedFile => ({
    fileId,
    directory: entry ? directories.append(JSON.stringify(entry)) : -1,
  });

  const sharedActions = auditInterner();
  const runFile = options.runFile ?? ((task: FileTask) => exportFile(task, outputChecksum));
  /**
   * Verified files waiting to be synced and renamed (see commitStaged) before the lanes wait
   * for the disk: a batch shares its journal commits, and a stop (Ctrl-C, a kill) still
   * comes within a few dozen files. Not fewer: the lanes work on while a batch syncs (at 4,
   * one thread sat idle for ~15 % of an export, waiting on each batch's fsyncs).
   */
  const maxStaged = Math.max(concurrency, 32);
  let nextFile = 0;

  const processOne = async (index: number): Promise<void> => {
    const planned = plan[index]!;
    const { rank, patientKey } = planned.item;
    const c = candidate(index);
    const relative = planned.fileId.join('/');
    const target = path.join(out, ...planned.fileId);
    const resumed = await journaledAndIntact(journal.get(c.journalKey), relative, target);
    if (resumed) {
      exported.push(exportedFile(planned.fileId, resumed));
      report(rank, { input: c.input, output: relative, status: 'exported', reason: null, resumed: true });
      return;
    }
    const refused = deface?.failed.get(c.input);
    if (refused) {
      report(rank, { input: c.input, output: null, status: 'failed', reason: refused });
      return;
    }
    const identifiers = patientValues.searchListFor(patientKey);
    const outcome = await runFile({
      input: c.input,
      target,
      partialFolder: partial,
      identifiers,
      identifiersKey: `${runId}:${patientKey}`,
      originalUIDs: c.originalUIDs,
      profile: options.profile,
      secret: options.secret,
      cleanPixels,
      deface: deface?.byInput.get(c.input),
    });
    if (outcome.status === 'exported' && outcome.staged) {
      staged.push({ fileId: planned.fileId, rank, c, outcome, relative, target, staged: outcome.staged });
      const commit = commitStagedFiles();
      // Back-pressure: a slow disk holds the lanes rather than piling up staged files.
      if (staged.length >= maxStaged) await commit;
      // The per-file work is synchronous: let the commit's I/O (and Ctrl-C) be handled between files.
      else await new Promise((resolve) => setImmediate(resolve));
      return;
    }
    if (outcome.status === 'exported') {
      // A runner that put the file in place itself.
      exported.push(exportedFile(planned.fileId, outcome.directory));
      await writer.append({ key: c.journalKey, output: relative, crc32: outcome.checksum!, size: outcome.size! });
    }
    finish(rank, c.input, relative, outcome);
  };

  const audit = (actions: FileOutcome['actions']): Pick<FileReport, 'actions' | 'summary'> =>
    actions ? sharedActions(actions) : { actions: undefined, summary: undefined };
  const finish = (rank: number, input: string, relative: string, outcome: FileOutcome): void => {
    report(rank, {
      input,
      output: outcome.status === 'exported' ? relative : null,
      status: outcome.status,
      reason: outcome.reason,
      ...audit(outcome.actions),
      verification: outcome.verification,
      ...(outcome.redactions ? { redactions: outcome.redactions } : {}),
    });
  };

  // Verified copies wait in the partial folder and are synced together, then renamed,
  // journaled and reported (a file is reported only once it is in place). Group commit:
  // the files verified while one batch is being synced form the next batch.
  type Staged = { fileId: string[]; rank: number; c: Candidate; outcome: FileOutcome; relative: string; target: string; staged: string };
  const staged: Staged[] = [];
  let committing: Promise<void> | undefined;
  const commitBatch = async (batch: Staged[]): Promise<void> => {
    const errors = await commitStaged(batch, durable);
    for (const [i, { fileId, rank, c, outcome, relative }] of batch.entries()) {
      const error = errors[i];
      if (error) {
        finish(rank, c.input, relative, { ...outcome, status: 'failed', reason: `the verified copy could not be put in place (${error.message})` });
        continue;
      }
      exported.push(exportedFile(fileId, outcome.directory));
      await writer.append({ key: c.journalKey, output: relative, crc32: outcome.checksum!, size: outcome.size! });
      finish(rank, c.input, relative, outcome);
    }
  };
  /** Starts committing what is staged unless a commit is under way (it takes the rest when done); resolves when all is committed. */
  const commitStagedFiles = (): Promise<void> => {
    committing ??= (async () => {
      try {
        while (staged.length > 0) await commitBatch(staged.splice(0));
      } finally {
        committing = undefined;
      }
    })();
    return committing;
  };

  const lane = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) {
        interrupted = true;
        return;
      }
      if (nextFile >= plan.length) return;
      await processOne(nextFile++);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, plan.length)) }, lane));
  } finally {
    // Also when interrupted: what was verified is put in place.
    await commitStagedFiles();
    await writer.close();
    // In this thread the OCR worker would keep the process alive (also when this thread works
    // beside the pool, as the CLI's does); worker threads end with their pool.
    await closePixelTools();
  }
  phase('export files');

  const extras: ExportReport['extras'] = [];
  const notes: string[] = [];
  const failedNotes: string[] = [];
  if (exported.length > 0 && !interrupted) {
    const allValues = patientValues.everyPatientButDates();
    // Read back from disk now: every original UID is searched for in the DICOMDIR.
    const allUIDs = options.profile.options.includes('retainUIDs') ? [] : placements.flatMap((_, i) => candidate(i).originalUIDs);
    const dicomdir = await writeDicomdir(out, partial, exported, directories, allValues, allUIDs, durable);
    if (dicomdir.ok) {
      extras.push({ output: dicomdirName, kind: 'dicomdir', detail: `${exported.length - dicomdir.unlisted} file(s)` });
      if (dicomdir.unlisted > 0) {
        notes.push(`${dicomdir.unlisted} exported file(s) lack the Study/Series/SOP Instance UIDs a DICOMDIR needs and are not listed in it.`);
      }
    } else {
      failedNotes.push(`The DICOMDIR was not written: ${dicomdir.reason}`);
    }
  }

  phase('DICOMDIR');
  if (options.nifti && exported.length > 0 && !interrupted) {
    const volumes = await writeNiftiVolumes(out, partial, bySeries(out, exported), durable);
    extras.push(...volumes.written);
    notes.push(...volumes.notes);
  }

  if (options.png && exported.length > 0 && !interrupted) {
    const snapshots = await writePngSnapshots(out, partial, bySeries(out, exported), durable);
    extras.push(...snapshots.written);
    notes.push(...snapshots.notes);
  }

  // The folder holds exactly this run's export: outputs of earlier runs that are no longer
  // planned (inputs removed, numbering changed, now failing) are Veil's own files and go.
  if (!interrupted) {
    const keep = new Set([...exported.map((e) => path.join(out, ...e.fileId)), ...extras.map((e) => path.join(out, e.output))]);
    const stale = await removeStale(out, keep);
    if (stale > 0) notes.push(`${stale} file(s) left by an earlier export and no longer part of this one were removed.`);
  }

  phase('extras and sweep');
  const failed = reports.totals.counts.failed > 0;
  const complete = !interrupted && !failed && failedNotes.length === 0;
  notes.push(...failedNotes);
  if (complete) await fs.rm(partial, { recursive: true, force: true });
  phase('clean-up');
  if (interrupted) notes.push('The export was interrupted; run it again with the same inputs and output folder to resume.');
  if (failed) notes.push('Some files failed and are not in the export; see their reasons.');
  notes.push(
    cleanPixels
      ? 'Burned-in text was filled black and every copy read again by OCR (Clean Pixel Data).'
      : 'Burned-in text in the images was not removed (Clean Pixel Data does that).',
  );
  const defaced = deface?.faces.filter((f) => f.status === 'defaced').length ?? 0;
  if (options.skinMarkers) {
    const removed = deface?.markers.reduce((n, m) => n + (m.markers ?? []).filter((e) => e.removed).length, 0) ?? 0;
    notes.push(`Skin markers: ${removed} removed and searched for again without being found; series that are not CT or MR volumes were not checked (see "markers").`);
  }
  notes.push(
    defacing
      ? `Faces: ${defaced} series defaced and rendered again from every view without a face found; series that are not head volumes were not checked (see "faces").`
      : 'Faces that can be rebuilt from head scans were not removed (Clean Recognizable Visual Features does that).',
  );

  return {
    tool: 'veil',
    version: veilVersion,
    profile: options.profile,
    outputFolder: out,
    startedAt,
    finishedAt: new Date().toISOString(),
    complete,
    interrupted,
    extras,
    notes,
    ...(deface && defacing ? { faces: deface.faces } : {}),
    ...(deface && options.skinMarkers ? { markers: deface.markers } : {}),
  };
}

/**
 * The planning pass (headers only): walks the inputs, places every DICOM file and gathers each
 * patient's identifying values (as each plan comes: the per-file lists do not wait for the
 * others). Files that cannot be exported are reported here; the rest are spilled to `bodies`.
 */
async function planInputs(options: ExportOptions, concurrency: number, profileJson: string, patientValues: PatientValues, reports: ReportFiles, bodies: SpillFile): Promise<Placement[]> {
  const { files, skipped } = await collectInputFiles(options.inputs);
  for (const s of skipped) reports.add(-1, { input: s.displayPath, output: null, status: 'skipped', reason: s.reason });
  const planOne = options.planFile ?? ((input: string) => planInput(input, options.profile));
  const placements: Placement[] = [];
  // Files of a series carry equal patient keys and UIDs: one string each, not one per file.
  const shared = new Map<string, string>();
  const share = (text: string): string => shared.get(text) ?? (shared.set(text, text), text);
  let rank = 0;
  const take = (entry: PlannedInput): void => {
    const at = rank++;
    if (entry.kind === 'report') {
      reports.add(at, entry.report);
      return;
    }
    patientValues.add(entry.patientKey, entry.identifiers);
    placements.push({
      rank: at,
      patientKey: share(entry.patientKey),
      studyUID: share(entry.studyUID),
      seriesUID: share(entry.seriesUID),
      ...(entry.instanceNumber !== undefined ? { instanceNumber: entry.instanceNumber } : {}),
    });
    const body: Candidate = {
      input: entry.input,
      originalUIDs: entry.originalUIDs,
      journalKey: journalKey(options.secret, entry.input, entry.size, entry.mtimeMs, profileJson),
    };
    bodies.append(JSON.stringify(body));
  };
  await eachInOrder(files, concurrency, planOne, take, options.signal);
  return placements;
}


/**
 * The report keeps every file's audit, and files of a series mostly have the same lines
 * (same elements, same rules): one object per distinct line, and one list (with its
 * summary) per distinct sequence of lines, so the report grows by a reference per file.
 */
function auditInterner(limit = 100_000): (entries: readonly AuditEntry[]) => { actions: AuditEntry[]; summary: FileReport['summary'] } {
  const lines = new Map<string, { entry: AuditEntry; id: number }>();
  const lists = new Map<string, { actions: AuditEntry[]; summary: FileReport['summary'] }>();
  const line = (entry: AuditEntry): { entry: AuditEntry; id: number } => {
    const key = `${entry.path}\0${entry.keyword}\0${entry.action}\0${entry.rule}`;
    const known = lines.get(key);
    if (known) return known;
    const shared = { entry, id: lines.size < limit ? lines.size : -1 };
    if (shared.id >= 0) lines.set(key, shared);
    return shared;
  };
  return (entries) => {
    const shared = entries.map(line);
    const fresh = () => {
      const actions = shared.map((s) => s.entry);
      return { actions, summary: summariseActions(actions) };
    };
    if (shared.some((s) => s.id < 0)) return fresh();
    const key = shared.map((s) => s.id).join(',');
    const known = lists.get(key);
    if (known) return known;
    const list = fresh();
    if (lists.size < limit) lists.set(key, list);
    return list;
  };
}

async function removeStaleTemporaries(partial: string): Promise<void> {
  for (const name of await fs.readdir(partial)) {
    if (name.endsWith('.part')) await fs.rm(path.join(partial, name), { force: true });
  }
}

/** A finished file of an earlier run, still as journaled: its DICOMDIR entry (from the bytes just hashed); else undefined. */
async function journaledAndIntact(entry: JournalEntry | undefined, relative: string, target: string): Promise<PlainDirectoryEntry | undefined> {
  if (!entry || entry.output !== relative) return undefined;
  try {
    const bytes = new Uint8Array(await fs.readFile(target));
    if (!stillAsJournaled(entry, bytes)) return undefined;
    return toPlainEntry(directoryEntry(readDicom(bytes, { headerOnly: true }), []));
  } catch {
    return undefined;
  }
}

/** The DICOMDIR from the files as they are on disk, verified like every other output. */
async function writeDicomdir(
  out: string,
  partial: string,
  exported: readonly ExportedFile[],
  directories: SpillFile,
  identifiers: IdentifyingValue[],
  originalUIDs: string[],
  durable: boolean,
): Promise<{ ok: true; unlisted: number } | { ok: false; reason: string }> {
  const ordered = exported.map((file) => ({ id: file.fileId.join('/'), file })).sort((a, b) => (a.id < b.id ? -1 : 1));
  // Entries come from each file's bytes as read back from disk after writing (exportFile), or are read now.
  for (const { file } of ordered) {
    if (file.directory >= 0) continue;
    const entry = toPlainEntry(directoryEntry(readDicom(new Uint8Array(await fs.readFile(path.join(out, ...file.fileId))), { headerOnly: true }), []));
    file.directory = directories.append(JSON.stringify(entry));
  }
  let unlisted = 0;
  // One entry's dataset at a time: the directory keeps each record encoded, not every file's keys.
  function* listable(files: typeof ordered, count: boolean): Generator<DirectoryEntry> {
    for (const { file } of files) {
      const entry = fromPlainEntry(JSON.parse(directories.read(file.directory)) as PlainDirectoryEntry, file.fileId);
      if (isListable(entry)) yield entry;
      else if (count) unlisted++;
    }
  }
  // Verified as directories of a few hundred files each, holding the same records (keys copied
  // as bytes, the patient, study and series records repeated): a parse of the whole DICOMDIR
  // holds an object per element, ~5 KB per file, and sets the process's peak memory.
  for (let at = 0; at < ordered.length; at += dicomdirVerifyFiles) {
    const part = ordered.slice(at, at + dicomdirVerifyFiles);
    const verification = verifyExport(buildDicomdir(listable(part, false)), identifiers, originalUIDs);
    if (!verification.ok) {
      const records = `records of ${part[0]!.id} to ${part[part.length - 1]!.id}`;
      return { ok: false, reason: `verification found ${verification.findings.map((f) => `${f.kind} in ${f.where}`).join('; ')} (${records})` };
    }
  }
  const bytes = buildDicomdir(listable(ordered, true));
  await writeExtra(out, partial, dicomdirName, bytes, durable);
  return { ok: true, unlisted };
}

/** Files per piece of the DICOMDIR's verification. */
const dicomdirVerifyFiles = 256;

type SeriesTargets = Array<[string, string[]]>;

/** Exported files per series ("P0001_ST001_SE001"), in File ID order. */
function bySeries(out: string, exported: readonly ExportedFile[]): SeriesTargets {
  const groups = new Map<string, Array<{ id: string; target: string }>>();
  for (const { fileId } of exported) {
    const key = fileId.slice(1, 4).join('_');
    groups.set(key, [...(groups.get(key) ?? []), { id: fileId.join('/'), target: path.join(out, ...fileId) }]);
  }
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, files]) => [key, files.sort((a, b) => (a.id < b.id ? -1 : 1)).map((f) => f.target)]);
}

/** An extra output, written like every other: temporary name, sync, rename. */
async function writeExtra(out: string, partial: string, relative: string, bytes: Uint8Array, durable: boolean): Promise<void> {
  await fs.mkdir(path.dirname(path.join(out, relative)), { recursive: true });
  const temp = path.join(partial, `${path.basename(relative)}.part`);
  const handle = await fs.open(temp, 'w', 0o644);
  try {
    await handle.writeFile(bytes);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, path.join(out, relative));
}

/** One NIfTI-1 file per exported series, from the de-identified files; unsupported series are noted. */
async function writeNiftiVolumes(out: string, partial: string, grouped: SeriesTargets, durable: boolean): Promise<{ written: ExportReport['extras']; notes: string[] }> {
  const written: ExportReport['extras'] = [];
  const notes: string[] = [];
  for (const [series, targets] of grouped) {
    const files = [];
    for (const target of targets) files.push(readDicom(new Uint8Array(await fs.readFile(target))));
    const volume = niftiFromSeries(files);
    if (!volume.ok) {
      notes.push(`No NIfTI for series ${series}: ${volume.reason}.`);
      continue;
    }
    const name = `${niftiFolderName}/${series}.nii`;
    await writeExtra(out, partial, name, volume.bytes, durable);
    written.push({ output: name, kind: 'nifti', detail: `${volume.slices} slice(s)` });
  }
  return { written, notes };
}

/** A PNG of each exported series' middle image, from the de-identified file. */
async function writePngSnapshots(out: string, partial: string, grouped: SeriesTargets, durable: boolean): Promise<{ written: ExportReport['extras']; notes: string[] }> {
  const written: ExportReport['extras'] = [];
  const notes: string[] = [];
  for (const [series, targets] of grouped) {
    const middle = targets[Math.floor((targets.length - 1) / 2)];
    const snapshot = snapshotFromFile(readDicom(new Uint8Array(await fs.readFile(middle))));
    if (!snapshot.ok) {
      notes.push(`No PNG for series ${series}: ${snapshot.reason}.`);
      continue;
    }
    const name = `${pngFolderName}/${series}.png`;
    await writeExtra(out, partial, name, snapshot.bytes, durable);
    written.push({ output: name, kind: 'png', detail: `${snapshot.width}×${snapshot.height}, image ${path.basename(middle)}` });
  }
  return { written, notes };
}
/** Deletes files under VEIL/ and NIFTI/ that are not in `keep`, and folders left empty. */
async function removeStale(out: string, keep: ReadonlySet<string>): Promise<number> {
  let removed = 0;
  const sweep = async (folder: string): Promise<boolean> => {
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    let empty = true;
    for (const entry of entries) {
      const p = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (await sweep(p)) await fs.rmdir(p).catch(() => undefined);
        else empty = false;
      } else if (!keep.has(p)) {
        await fs.rm(p, { force: true });
        removed++;
      } else {
        empty = false;
      }
    }
    return empty;
  };
  for (const root of [exportRoot, niftiFolderName, pngFolderName]) await sweep(path.join(out, root));
  return removed;
}
