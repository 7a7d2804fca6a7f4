// From what the user opened (files, folders, a CD) to the list of files to
// index. A folder holding a DICOMDIR is read through it (PS3.10 8.6: the
// DICOMDIR is the media's index); otherwise, or when the DICOMDIR is empty or
// damaged, the folder is walked.
import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SkippedInput } from '../../shared/api/contract';
import { dicomdirFileIds } from '../../shared/dicom';
import { isInside } from '../app/containment';
import { isDicomdirName, isIgnoredName, nonDicomReason } from './ignore';
import { MAX_DICOMDIR_BYTES, MAX_FILES_PER_OPEN, MAX_FOLDER_DEPTH } from './limits';
import { readFailureReason, readOriginal } from './readOnly';

export interface CollectedInputs {
  /** Absolute paths, de-duplicated, in walk order. */
  files: string[];
  skipped: SkippedInput[];
}

export interface CollectLimits {
  maxFiles: number;
  maxDepth: number;
}

const defaultLimits: CollectLimits = { maxFiles: MAX_FILES_PER_OPEN, maxDepth: MAX_FOLDER_DEPTH };

export async function collectInputFiles(inputs: readonly string[], limits = defaultLimits): Promise<CollectedInputs> {
  const walk = new Walk(limits);
  for (const input of inputs) await walk.input(path.resolve(input));
  return { files: [...walk.files], skipped: walk.skipped };
}

class Walk {
  readonly files = new Set<string>();
  readonly skipped: SkippedInput[] = [];
  private readonly visitedFolders = new Set<string>();
  private stopped = false;

  constructor(private readonly limits: CollectLimits) {}

  async input(inputPath: string): Promise<void> {
    let stat;
    try {
      stat = await fs.stat(inputPath);
    } catch (error) {
      this.skip(inputPath, readFailureReason(error));
      return;
    }
    if (stat.isDirectory()) return this.folder(inputPath, 0);
    if (!stat.isFile()) return this.skip(inputPath, 'not a regular file or folder');
    // Opening the DICOMDIR itself means "open this medium".
    if (isDicomdirName(path.basename(inputPath))) {
      if (await this.throughDicomdir(path.dirname(inputPath), inputPath)) return;
      return this.folder(path.dirname(inputPath), 0, { skipDicomdir: true });
    }
    this.file(inputPath);
  }

  private async folder(folderPath: string, depth: number, options = { skipDicomdir: false }): Promise<void> {
    if (this.stopped) return;
    let realPath: string;
    let entries: Dirent[];
    try {
      realPath = await fs.realpath(folderPath);
      entries = await fs.readdir(folderPath, { withFileTypes: true });
    } catch (error) {
      return this.skip(folderPath, `folder cannot be read (${readFailureReason(error)})`);
    }
    // Symbolic links may loop back onto a folder already walked.
    if (this.visitedFolders.has(realPath)) return;
    this.visitedFolders.add(realPath);
    if (depth > this.limits.maxDepth) return this.skip(folderPath, `folders nested deeper than ${this.limits.maxDepth} levels`);

    const dicomdir = entries.find((entry) => isDicomdirName(entry.name) && !entry.isDirectory());
    if (dicomdir && !options.skipDicomdir && (await this.throughDicomdir(folderPath, path.join(folderPath, dicomdir.name)))) {
      return;
    }

    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (this.stopped) return;
      if (isIgnoredName(entry.name) || entry === dicomdir) continue;
      const entryPath = path.join(folderPath, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await fs.stat(entryPath).catch(() => undefined);
        isDirectory = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
        if (!target) this.skip(entryPath, 'broken symbolic link');
      }
      if (isDirectory) await this.folder(entryPath, depth + 1);
      else if (isFile) this.file(entryPath);
      else if (!entry.isSymbolicLink()) this.skip(entryPath, 'not a regular file (device, pipe or socket)');
    }
  }

  /** True when the DICOMDIR located files; false means "walk the folder instead". */
  private async throughDicomdir(folderPath: string, dicomdirPath: string): Promise<boolean> {
    let fileIds: string[][];
    try {
      fileIds = dicomdirFileIds(await readOriginal(dicomdirPath, MAX_DICOMDIR_BYTES));
    } catch (error) {
      this.skip(dicomdirPath, `DICOMDIR cannot be used (${reasonOf(error)}); the folder's files were read instead`);
      return false;
    }
    if (fileIds.length === 0) {
      this.skip(dicomdirPath, "DICOMDIR lists no files; the folder's files were read instead");
      return false;
    }

    const located: string[] = [];
    const missing: SkippedInput[] = [];
    for (const components of fileIds) {
      const filePath = await locateReferencedFile(folderPath, components);
      if (filePath) located.push(filePath);
      else missing.push({ displayPath: displayFileId(folderPath, components), reason: 'listed in the DICOMDIR but not found' });
    }
    if (located.length === 0) {
      this.skip(dicomdirPath, `none of the ${fileIds.length} files the DICOMDIR lists exist; the folder's files were read instead`);
      return false;
    }
    this.skipped.push(...missing);
    for (const filePath of located) this.file(filePath);
    return true;
  }

  private file(filePath: string): void {
    if (this.stopped || this.files.has(filePath)) return;
    const reason = nonDicomReason(path.basename(filePath));
    if (reason) return this.skip(filePath, reason);
    if (this.files.size >= this.limits.maxFiles) {
      this.stopped = true;
      return this.skip(filePath, `stopped after ${this.limits.maxFiles} files; open a smaller folder`);
    }
    this.files.add(filePath);
  }

  private skip(displayPath: string, reason: string): void {
    this.skipped.push({ displayPath, reason });
  }
}

/**
 * Finds the file a DICOMDIR's Referenced File ID (0004,1500) names, relative to
 * the DICOMDIR's folder. Components are ISO 9660-style names (PS3.12), often
 * upper case while the mounted medium shows them in lower case, sometimes with
 * a ";1" version suffix: matched case-insensitively. Never leaves the folder.
 */
export async function locateReferencedFile(folderPath: string, components: readonly string[]): Promise<string | undefined> {
  if (components.length === 0 || !components.every(isPlainComponent)) return undefined;
  const exact = path.join(folderPath, ...components);
  if (await isRegularFileInside(folderPath, exact)) return exact;

  let current = folderPath;
  for (const component of components) {
    const wanted = stripVersion(component).toUpperCase();
    const names = await fs.readdir(current).catch(() => [] as string[]);
    const match = names.find((name) => stripVersion(name).toUpperCase() === wanted);
    if (match === undefined) return undefined;
    current = path.join(current, match);
  }
  return (await isRegularFileInside(folderPath, current)) ? current : undefined;
}

function isPlainComponent(component: string): boolean {
  return (
    typeof component === 'string' &&
    component.length > 0 &&
    component !== '.' &&
    component !== '..' &&
    !/[/\\\0]/.test(component) &&
    !/^[a-zA-Z]:/.test(component)
  );
}

function stripVersion(name: string): string {
  return name.replace(/;\d*$/, '').replace(/\.$/, '');
}

async function isRegularFileInside(folderPath: string, candidate: string): Promise<boolean> {
  try {
    const [realFolder, realCandidate] = await Promise.all([fs.realpath(folderPath), fs.realpath(candidate)]);
    if (!isInside(realFolder, realCandidate)) return false;
    return (await fs.stat(realCandidate)).isFile();
  } catch {
    return false;
  }
}

function displayFileId(folderPath: string, components: readonly string[]): string {
  return path.join(folderPath, ...components.map((c) => c.replace(/[/\\\0]/g, '_')));
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'DicomReadError') return error.message.replace(/\.$/, '');
  return readFailureReason(error);
}
