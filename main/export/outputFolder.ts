// Where an export may go. Originals are never overwritten and never mixed with
// copies: the output folder may not be an input folder or lie inside one, may
// not contain an input, and must be empty or an earlier Veil export.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readDicom, Tags } from '../../shared/dicom';
import { dicomdirName, exportRoot } from '../../shared/export';
import { isInside } from '../app/containment';

export const partialFolderName = '.veil-partial';
export const niftiFolderName = 'NIFTI';
export const pngFolderName = 'PNG';

/** Entries an earlier Veil export leaves in its folder. */
const exportEntries = new Set([exportRoot, dicomdirName, partialFolderName, niftiFolderName, pngFolderName]);

export class OutputFolderError extends Error {
  override name = 'OutputFolderError';
}

async function realOrResolved(p: string): Promise<string> {
  const resolved = path.resolve(p);
  try {
    return await fs.realpath(resolved);
  } catch {
    // A folder that does not exist yet: resolve its nearest existing ancestor.
    const parent = path.dirname(resolved);
    if (parent === resolved) return resolved;
    return path.join(await realOrResolved(parent), path.basename(resolved));
  }
}

/** Veil writes its DICOMDIR with FileSetID "VEIL"; anything else is someone's original. */
async function isVeilDicomdir(filePath: string): Promise<boolean> {
  try {
    const file = readDicom(new Uint8Array(await fs.readFile(filePath)), { headerOnly: true });
    return file.dataset.string('00041130') === 'VEIL' && file.dataset.has(Tags.DirectoryRecordSequence);
  } catch {
    return false;
  }
}

/** Resolves and checks the output folder; throws OutputFolderError with a reason the user can act on. */
export async function checkOutputFolder(outputFolder: string, inputs: readonly string[]): Promise<string> {
  const out = await realOrResolved(outputFolder);
  for (const input of inputs) {
    const real = await realOrResolved(input);
    const stat = await fs.stat(real).catch(() => undefined);
    // A folder input: nothing inside it. A file input: not its own folder.
    if (stat?.isDirectory() ? out === real || isInside(real, out) : out === path.dirname(real)) {
      throw new OutputFolderError(`The output folder ${outputFolder} is the input ${input} or inside it: choose a folder outside the inputs.`);
    }
    if (isInside(out, real)) {
      throw new OutputFolderError(`The input ${input} is inside the output folder ${outputFolder}: choose another output folder.`);
    }
  }
  const entries = await fs.readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw new OutputFolderError(`The output folder ${outputFolder} cannot be read (${error.code ?? error.message}).`);
  });
  const foreign = entries.filter((name) => !exportEntries.has(name));
  if (foreign.length > 0) {
    throw new OutputFolderError(
      `The output folder ${outputFolder} is not empty (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): choose an empty folder or an earlier Veil export.`,
    );
  }
  if (entries.includes(dicomdirName) && !(await isVeilDicomdir(path.join(out, dicomdirName)))) {
    throw new OutputFolderError(`The output folder ${outputFolder} holds a DICOMDIR Veil did not write: choose another folder.`);
  }
  return out;
}
