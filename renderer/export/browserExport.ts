// Browser mode's export: the same shared engine as main/export (deidentify,
// verifyExport, planLayout, buildDicomdir, the report), writing through the
// File System Access API into a folder the user picked. Each file is verified
// in memory before it is written (nothing unverified reaches the folder), then
// read back and compared. Writes go through createWritable, which Chromium
// commits atomically on close (a swap file, then a move). No resume here: the
// folder must be empty, so nothing is ever overwritten.
import { collectIdentifiers, deidentify, type DeidProfile, type IdentifyingValue } from '../../shared/deid';
import { createFile, DicomReadError, readDicom, Tags, writeDicom, type DicomFile } from '../../shared/dicom';
import {
  buildDicomdir,
  dicomdirName,
  directoryEntry,
  instanceUIDs,
  isListable,
  PatientValues,
  planLayout,
  summariseActions,
  unchangedElementPaths,
  valuesToVerify,
  verifyExport,
  type DirectoryEntry,
  type ExportReport,
  type FileReport,
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

const DirectoryStorage = '1.2.840.10008.1.3.10';
const notDicomCodes = new Set(['empty', 'not-dicom']);

interface Candidate {
  input: BrowserExportInput;
  patientKey: string;
  studyUID: string;
  seriesUID: string;
  instanceNumber?: number;
  originalUIDs: string[];
}

type Entries = { keys(): AsyncIterable<string> };

export class FolderNotEmptyError extends Error {
  override name = 'FolderNotEmptyError';
}

function readErrorReport(input: string, error: unknown): FileReport {
  const code = error instanceof DicomReadError ? error.code : undefined;
  const skipped = code !== undefined && notDicomCodes.has(code);
  const message = error instanceof Error ? error.message : String(error);
  return {
    input,
    output: null,
    status: skipped ? 'skipped' : 'failed',
    reason: skipped ? `not a DICOM file: ${message}` : `damaged DICOM file: ${message}`,
  };
}

/** Fresh File Meta naming Veil and a zero preamble, as main/export writes (PS3.10 7.1). */
function asWrittenByVeil(file: DicomFile): DicomFile {
  return createFile(file.dataset, {
    sopClassUID: file.meta.string(Tags.MediaStorageSOPClassUID) || file.dataset.string(Tags.SOPClassUID),
    sopInstanceUID: file.dataset.string(Tags.SOPInstanceUID) || file.meta.string(Tags.MediaStorageSOPInstanceUID),
    transferSyntaxUID: file.transferSyntaxUID,
  });
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
      reports.push(readErrorReport(input.displayPath, error));
      continue;
    }
    if (header.meta.string(Tags.MediaStorageSOPClassUID) === DirectoryStorage || header.dataset.has(Tags.DirectoryRecordSequence)) {
      reports.push({ input: input.displayPath, output: null, status: 'skipped', reason: 'a DICOMDIR: Veil writes a new one' });
      continue;
    }
    const patientKey = `${header.dataset.string(Tags.PatientID)}\0${header.dataset.string(Tags.PatientName)}`;
    patientValues.add(patientKey, collectIdentifiers(header, profile));
    candidates.push({
      input,
      patientKey,
      studyUID: header.dataset.string(Tags.StudyInstanceUID),
      seriesUID: header.dataset.string(Tags.SeriesInstanceUID),
      instanceNumber: header.dataset.number(Tags.InstanceNumber),
      originalUIDs: [...instanceUIDs(header.meta), ...instanceUIDs(header.dataset)],
    });
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
  try {
    const original = readDicom(new Uint8Array(await c.input.read()));
    // Export-wide values reach Clean Descriptors too: another patient's name in this free text.
    const result = deidentify(original, profile, { secret, knownIdentifiers: identifiers });
    const bytes = writeDicom(asWrittenByVeil(result.file));
    const own = collectIdentifiers(original, profile);
    const searched = valuesToVerify([...identifiers, ...own], own, result.audit);
    const uids = profile.options.includes('retainUIDs') ? [] : c.originalUIDs;
    const verification = verifyExport(bytes, searched, uids, { unchanged: unchangedElementPaths(original.dataset, result.file.dataset) });
    const base = { input, actions: result.audit, summary: summariseActions(result.audit), verification };
    if (!verification.ok) {
      const places = verification.findings.slice(0, 5).map((f) => `${f.kind} from ${f.source} found in ${f.where}`);
      return { ...base, output: null, status: 'failed', reason: `verification failed: ${places.join('; ')}` };
    }
    await writeChecked(await folderFor(root, fileId.slice(0, -1)), fileId[fileId.length - 1], bytes);
    entries.push(directoryEntry(readDicom(bytes, { headerOnly: true }), fileId));
    return { ...base, output: fileId.join('/'), status: 'exported', reason: null };
  } catch (error) {
    const reason = error instanceof DicomReadError ? `not readable as DICOM (${error.message})` : `export failed (${error instanceof Error ? error.message : String(error)})`;
    return { input, output: null, status: 'failed', reason };
  }
}
