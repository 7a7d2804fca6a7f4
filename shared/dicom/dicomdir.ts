// DICOMDIR (Media Storage Directory, PS3.10 8, PS3.3 F.3): directory records
// and the files they reference.
import type { Dataset } from './dataset';
import { DicomReadError } from './errors';
import { readDicom, readFileMeta, type DicomFile } from './reader';
import { Tags } from './tag';

export const MediaStorageDirectoryStorage = '1.2.840.10008.1.3.10';

export interface DirectoryRecord {
  /** PATIENT, STUDY, SERIES, IMAGE, … (0004,1430). */
  type: string;
  /** Referenced File ID (0004,1500) as path components, when the record points at a file. */
  fileId?: string[];
  /** The record's own attributes (PatientID, StudyInstanceUID, …). */
  dataset: Dataset;
  children: DirectoryRecord[];
}

export function isDicomdirFile(file: DicomFile): boolean {
  return (
    file.meta.string(Tags.MediaStorageSOPClassUID) === MediaStorageDirectoryStorage ||
    file.dataset.has(Tags.DirectoryRecordSequence)
  );
}

/** True when the bytes look like a DICOMDIR (Media Storage Directory). Never throws. */
export function isDicomdir(bytes: Uint8Array): boolean {
  try {
    // The meta group usually answers; only files without one need the dataset.
    const sopClass = readFileMeta(bytes).string(Tags.MediaStorageSOPClassUID);
    if (sopClass) return sopClass === MediaStorageDirectoryStorage;
    return isDicomdirFile(readDicom(bytes, { headerOnly: true }));
  } catch {
    return false;
  }
}

function readDirectory(bytes: Uint8Array): Dataset[] {
  const file = readDicom(bytes);
  if (!isDicomdirFile(file)) throw new DicomReadError('not-dicom', 'This DICOM file is not a DICOMDIR.');
  return file.dataset.items(Tags.DirectoryRecordSequence);
}

/** Referenced File IDs of a DICOMDIR, each as its path components. */
export function dicomdirFileIds(bytes: Uint8Array): string[][] {
  return readDirectory(bytes)
    .map((record) => record.strings(Tags.ReferencedFileID))
    .filter((parts) => parts.length > 0);
}

/**
 * The record tree. Uses the record offsets (0004,1400/1420) when they resolve;
 * otherwise nests records by their type order (PATIENT > STUDY > SERIES > leaf).
 */
export function dicomdirRecords(bytes: Uint8Array): DirectoryRecord[] {
  const records = readDirectory(bytes);
  const file = readDicom(bytes, { headerOnly: true });
  const byOffset = new Map<number, Dataset>();
  for (const r of records) if (r.fileOffset !== undefined) byOffset.set(r.fileOffset, r);
  const first = file.dataset.number(Tags.OffsetOfFirstRootRecord);
  const toRecord = (dataset: Dataset): DirectoryRecord => ({
    type: dataset.string(Tags.DirectoryRecordType),
    fileId: dataset.strings(Tags.ReferencedFileID).length ? dataset.strings(Tags.ReferencedFileID) : undefined,
    dataset,
    children: [],
  });
  const viaOffsets = (() => {
    if (first === undefined || !byOffset.has(first)) return undefined;
    const seen = new Set<number>();
    const chain = (offset: number | undefined): DirectoryRecord[] | undefined => {
      const out: DirectoryRecord[] = [];
      while (offset) {
        const dataset = byOffset.get(offset);
        if (!dataset || seen.has(offset)) return undefined;
        seen.add(offset);
        const record = toRecord(dataset);
        const lower = dataset.number(Tags.OffsetOfReferencedLowerLevelDirectoryEntity);
        if (lower) {
          const children = chain(lower);
          if (!children) return undefined;
          record.children = children;
        }
        out.push(record);
        offset = dataset.number(Tags.OffsetOfNextDirectoryRecord);
      }
      return out;
    };
    const tree = chain(first);
    return tree && seen.size === records.length ? tree : undefined;
  })();
  return viaOffsets ?? nestByType(records.map(toRecord));
}

const levels: Record<string, number> = { PATIENT: 0, STUDY: 1, SERIES: 2 };

function nestByType(records: DirectoryRecord[]): DirectoryRecord[] {
  const roots: DirectoryRecord[] = [];
  const stack: Array<DirectoryRecord | undefined> = [];
  for (const record of records) {
    const level = levels[record.type];
    if (level === undefined) {
      const parent = stack[stack.length - 1];
      (parent ? parent.children : roots).push(record);
      continue;
    }
    stack.length = level;
    const parent = level > 0 ? stack[level - 1] : undefined;
    (parent ? parent.children : roots).push(record);
    stack[level] = record;
  }
  return roots;
}
