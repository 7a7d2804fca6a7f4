// Browser mode's export: the same shared steps as main/export (planHeader,
// planLayout, exportCopy per file, buildDicomdir, the report), writing through the
// File System Access API into a folder the user picked. Each file is verified
// in memory before it is written (nothing unverified reaches the folder), then
// read back and compared. Writes go through createWritable, which Chromium
// commits atomically on close (a swap file, then a move). No resume here: the
// folder must be empty, so nothing is ever overwritten.
import type { DeidProfile, IdentifyingValue } from '../../shared/deid';
import { readDicom, type DicomFile } from '../../shared/dicom';
import {
  buildDicomdir,
  dicomdirName,
  exportCopy,
  failureReason,
  isListable,
  PatientValues,
  planHeader,
  planLayout,
  summariseActions,
  unreadableReport,
  verifyExport,
  type CopySink,
  type DirectoryEntry,
  type ExportReport,
  type FileReport,
  type PlannedHeader,
} from '../../shared/export';

export interface BrowserExportInput {
  displayPath: string;
  read(): Promise<ArrayBuffer>;
}

export interface BrowserExportOptions {
  profile: DeidProfile;
  secret: string;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, file: FileReport) => void;
}

type Candidate = PlannedHeader & { input: BrowserExportInput };

type Entries = { keys(): AsyncIterable<string> };

export class FolderNotEmptyError extends Error {
  override name = 'FolderNotEmptyError';
}

async function folderFor(root: FileSystemDirectoryHandle, parts: readonly string[]): Promise<FileSystemDirectoryHandle> {
  let folder = root;
  for (const part of parts) folder = await folder.getDirectoryHandle(part, { create: true });
  return folder;
}

/** Writes, then reads back and compares: what is in the folder is what was verified. */
async function writeChecked(folder: FileSystemDirectoryHandle, name: string, bytes: Uint8Array): Promise<void> {
  const handle = await folder.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await writable.write(bytes as Uint8Array<ArrayBuffer>);
  await writable.close();
  const back = new Uint8Array(await (await handle.getFile()).arrayBuffer());
  if (back.length !== bytes.length || back.some((value, i) => value !== bytes[i])) {
    await folder.removeEntry(name).catch(() => undefined);
    throw new Error('the file read back differs from what was written');
  }
}

/**
 * The folder behind the shared per-file routine. The temporary place is memory: the copy is
 * verified before anything reaches the folder, and committing writes it and compares what is
 * read back (createWritable itself commits atomically on close).
 */
function folderSink(root: FileSystemDirectoryHandle, fileId: readonly string[]): CopySink {
  let pending: Uint8Array | undefined;
  return {
    async write(bytes) {
      pending = bytes;
      return bytes;
    },
    async commit() {
      if (!pending) throw new Error('nothing was written');
      await writeChecked(await folderFor(root, fileId.slice(0, -1)), fileId[fileId.length - 1], pending);
    },
    async discard() {
      pending = undefined;
    },
  };
}

export async function exportToFolder(
  root: FileSystemDirectoryHandle,
  inputs: readonly BrowserExportInput[],
  options: BrowserExportOptions,
): Promise<ExportReport> {
  const startedAt = new Date().toISOString();
  for await (const name of (root as unknown as Entries).keys()) {
    throw new FolderNotEmptyError(`The folder ${root.name} is not empty (${name}…): choose an empty folder.`);
  }
  const { profile, secret } = options;
  const reports: FileReport[] = [];

  // Planning pass (headers only), as main/export: placement and each patient's identifying values.
  const candidates: Candidate[] = [];
  const patientValues = new PatientValues();
  for (const input of inputs) {
    let header: DicomFile;
    try {
      header = readDicom(new Uint8Array(await input.read()), { headerOnly: true });
    } catch (error) {
      reports.push(unreadableReport(input.displayPath, error, (e) => (e instanceof Error ? e.message : String(e))));
      continue;
    }
    const planned = planHeader(input.displayPath, header, profile);
    if ('status' in planned) {
      reports.push(planned);
      continue;
    }
    patientValues.add(planned.patientKey, planned.identifiers);
    candidates.push({ ...planned, input });
  }
  const plan = planLayout(candidates, (c) => ({ patient: c.patientKey, study: c.studyUID, series: c.seriesUID, instanceNumber: c.instanceNumber }));

  const entries: DirectoryEntry[] = [];
  let interrupted = false;
  let done = 0;
  for (const planned of plan) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const c = planned.item;
    const report = await exportOne(root, c, planned.fileId, patientValues.searchListFor(c.patientKey), profile, secret, entries);
    reports.push(report);
    options.onProgress?.(++done, plan.length, report);
  }

  const extras: ExportReport['extras'] = [];
  const notes: string[] = [];
  let dicomdirFailed = false;
  if (entries.length > 0 && !interrupted) {
    const listable = entries.filter(isListable).sort((a, b) => (a.fileId.join('/') < b.fileId.join('/') ? -1 : 1));
    const bytes = buildDicomdir(listable);
    const allValues = patientValues.everyPatientButDates();
    const allUIDs = profile.options.includes('retainUIDs') ? [] : candidates.flatMap((c) => c.originalUIDs);
    const verification = verifyExport(bytes, allValues, allUIDs);
    if (verification.ok) {
      await writeChecked(root, dicomdirName, bytes);
      extras.push({ output: dicomdirName, kind: 'dicomdir', detail: `${listable.length} file(s)` });
    } else {
      dicomdirFailed = true;
      notes.push('The DICOMDIR was not written: its verification found identifying values.');
    }
  }
  const failed = reports.some((r) => r.status === 'failed');
  if (interrupted) notes.push('The export was stopped; in the browser it cannot be resumed: export again into an empty folder.');
  if (failed) notes.push('Some files failed and are not in the export; see their reasons.');
  notes.push('Pixel data was copied unchanged: burned-in text and faces in the images are not removed yet.');
  return {
    tool: 'veil',
    version: '0.1.0',
    profile,
    outputFolder: root.name,
    startedAt,
    finishedAt: new Date().toISOString(),
    complete: !interrupted && !failed && !dicomdirFailed,
    interrupted,
    extras,
    notes,
    files: reports,
  };
}

async function exportOne(
  root: FileSystemDirectoryHandle,
  c: Candidate,
  fileId: string[],
  identifiers: IdentifyingValue[],
  profile: DeidProfile,
  secret: string,
  entries: DirectoryEntry[],
): Promise<FileReport> {
  const input = c.input.displayPath;
  let original: DicomFile;
  try {
    original = readDicom(new Uint8Array(await c.input.read()));
  } catch (error) {
    return { input, output: null, status: 'failed', reason: failureReason(error) };
  }
  const outcome = await exportCopy(original, { identifiers, originalUIDs: c.originalUIDs, profile, secret }, folderSink(root, fileId));
  const base = {
    input,
    actions: outcome.actions,
    summary: outcome.actions ? summariseActions(outcome.actions) : undefined,
    verification: outcome.verification,
  };
  if (outcome.status !== 'exported' || !outcome.directory) return { ...base, output: null, status: 'failed', reason: outcome.reason };
  entries.push({ ...outcome.directory, fileId });
  return { ...base, output: fileId.join('/'), status: 'exported', reason: null };
}
