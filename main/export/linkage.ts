// Writes the linkage file (original ↔ pseudonym per study) after an export:
// headers only, one original and its copy per exported study folder. It
// re-identifies the export, so it is never written inside the export folder
// and goes to disk privately (0600) and whole (temporary name, then rename).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isInside } from '../app/containment';
import { readDicom, Tags, type DicomFile } from '../../shared/dicom';
import { linkageCsv, studyRepresentatives, type FileReport, type LinkageIdentity, type LinkageRow } from '../../shared/export';
import { readOriginal } from '../files/readOnly';

export class LinkageLocationError extends Error {
  override name = 'LinkageLocationError';
}

/** Refuses a linkage file inside (or at) the export folder: the export is what leaves the machine. */
export function checkLinkageLocation(linkageFile: string, outputFolder: string): void {
  const file = path.resolve(linkageFile);
  const out = path.resolve(outputFolder);
  if (file === out || isInside(out, file)) {
    throw new LinkageLocationError(`write the linkage file outside the export folder (${linkageFile}): it links the copies back to the patients`);
  }
}

function identity(file: DicomFile): LinkageIdentity {
  return {
    patientID: file.dataset.string(Tags.PatientID),
    patientName: file.dataset.string(Tags.PatientName),
    studyInstanceUID: file.dataset.string(Tags.StudyInstanceUID),
  };
}

/** An export's output folder and its report's file entries (an array, or read from disk one by one). */
export interface ExportedFiles {
  outputFolder: string;
  files: Iterable<FileReport>;
}

/** The rows of an export as written: each study folder's first file, original and copy. */
export async function linkageRows(report: ExportedFiles): Promise<LinkageRow[]> {
  const rows: LinkageRow[] = [];
  for (const { input, output, studyFolder } of studyRepresentatives(report.files)) {
    const original = readDicom(await readOriginal(input), { headerOnly: true });
    const copy = readDicom(await readOriginal(path.join(report.outputFolder, ...output.split('/'))), { headerOnly: true });
    rows.push({ original: identity(original), pseudonym: identity(copy), studyFolder });
  }
  return rows;
}

/** Writes the CSV for `report` to `linkageFile`; returns the number of studies. */
export async function writeLinkageFile(report: ExportedFiles, linkageFile: string): Promise<number> {
  checkLinkageLocation(linkageFile, report.outputFolder);
  const rows = await linkageRows(report);
  const target = path.resolve(linkageFile);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.part`;
  await fs.writeFile(temp, linkageCsv(rows), { mode: 0o600 });
  await fs.rename(temp, target);
  return rows.length;
}
