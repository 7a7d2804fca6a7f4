// One input → one verified output file. The de-identified copy is written to a
// temporary name in the export's partial folder, synced, read back from disk and
// verified; only a clean file is renamed into place (PS3.15 E: nothing leaves
// unverified). Kept free of shared state so it can run in a worker thread.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { collectIdentifiers, deidentify, type AuditEntry, type DeidProfile, type IdentifyingValue } from '../../shared/deid';
import { DicomReadError, Tags, createFile, readDicom, writeDicom, type DicomFile } from '../../shared/dicom';
import { keptValueKeys, unchangedElementPaths, verifyExport, type VerificationResult } from '../../shared/export';
import { readOriginal } from '../files/readOnly';

export interface FileTask {
  input: string;
  /** Absolute output path of the finished file. */
  target: string;
  /** Folder for temporary files (same file system as `target`, so rename is atomic). */
  partialFolder: string;
  /** Identifying values to search this file's copy for (its patient's, other patients' names…). */
  identifiers: IdentifyingValue[];
  /** Stable name of that list within one export, so workers prepare it once (verifyExport cacheKey). */
  identifiersKey?: string;
  originalUIDs: string[];
  profile: DeidProfile;
  secret: string;
  /** fsync before rename, so a crash never leaves a half file under a final name. */
  durable: boolean;
}

export interface FileOutcome {
  status: 'exported' | 'failed';
  reason: string | null;
  actions?: AuditEntry[];
  verification?: VerificationResult;
  sha256?: string;
  size?: number;
}

function describeFindings(verification: VerificationResult): string {
  if (verification.unreadable) return `the exported copy could not be read back (${verification.unreadable})`;
  const places = verification.findings.slice(0, 5).map((f) => `${f.kind} from ${f.source} found in ${f.where}`);
  const more = verification.findings.length > 5 ? ` and ${verification.findings.length - 5} more` : '';
  return `verification failed: ${places.join('; ')}${more}`;
}

/**
 * A fresh File Meta Information naming Veil as the writer (PS3.10 7.1) and a zero
 * preamble: the original's preamble and extra meta elements (source AE title,
 * private information) are free-form and may carry identifying data.
 */
function asWrittenByVeil(file: DicomFile): DicomFile {
  return createFile(file.dataset, {
    sopClassUID: file.meta.string(Tags.MediaStorageSOPClassUID) || file.dataset.string(Tags.SOPClassUID),
    sopInstanceUID: file.dataset.string(Tags.SOPInstanceUID) || file.meta.string(Tags.MediaStorageSOPInstanceUID),
    transferSyntaxUID: file.transferSyntaxUID,
  });
}

/** Series folders are created once, not once per file. */
const createdFolders = new Set<string>();
async function ensureFolder(folder: string): Promise<void> {
  if (createdFolders.has(folder)) return;
  await fs.mkdir(folder, { recursive: true });
  createdFolders.add(folder);
}

async function writeSynced(filePath: string, bytes: Uint8Array, durable: boolean): Promise<void> {
  // 'wx': a temporary name is never reused, so nothing existing is ever overwritten.
  const handle = await fs.open(filePath, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function exportFile(task: FileTask, sha256Hex: (bytes: Uint8Array) => string): Promise<FileOutcome> {
  let actions: AuditEntry[] | undefined;
  const temp = path.join(task.partialFolder, `${randomBytes(8).toString('hex')}.part`);
  try {
    const original = readDicom(await readOriginal(task.input));
    // Clean Descriptors also scrubs what the verification will search for: the export's values.
    const result = deidentify(original, task.profile, { secret: task.secret, knownIdentifiers: task.identifiers, knownIdentifiersKey: task.identifiersKey });
    actions = result.audit;
    await writeSynced(temp, writeDicom(asWrittenByVeil(result.file)), task.durable);

    // Verify what is on disk, not what was meant to be written.
    const written = new Uint8Array(await fs.readFile(temp));
    const own = collectIdentifiers(original, task.profile);
    const uids = task.profile.options.includes('retainUIDs') ? [] : task.originalUIDs;
    const unchanged = unchangedElementPaths(original.dataset, result.file.dataset);
    const verification = verifyExport(written, task.identifiers, uids, {
      unchanged,
      also: own,
      keptValues: keptValueKeys(own, actions),
      cacheKey: task.identifiersKey,
    });
    if (!verification.ok) {
      await fs.rm(temp, { force: true });
      await fs.rm(task.target, { force: true });
      return { status: 'failed', reason: describeFindings(verification), actions, verification };
    }
    await ensureFolder(path.dirname(task.target));
    await fs.rename(temp, task.target).catch(async (error: NodeJS.ErrnoException) => {
      // The folder went away since it was created (an output folder deleted between exports).
      if (error.code !== 'ENOENT') throw error;
      await fs.mkdir(path.dirname(task.target), { recursive: true });
      await fs.rename(temp, task.target);
    });
    return { status: 'exported', reason: null, actions, verification, sha256: sha256Hex(written), size: written.length };
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    await fs.rm(task.target, { force: true }).catch(() => undefined);
    const reason = error instanceof DicomReadError ? `not readable as DICOM (${error.message})` : `export failed (${error instanceof Error ? error.message : String(error)})`;
    return { status: 'failed', reason, actions };
  }
}
