// Public surface of Veil's DICOM core. Everything outside shared/dicom imports
// from here only, never from dicom-parser or dcmjs directly.
// STUB: signatures fixed for the other layers; the implementation lands behind them.
import type { OpenResult, SkippedInput } from '../api/contract';

/** Why a file could not be read; `code` is stable, `message` is for people. */
export class DicomReadError extends Error {
  constructor(
    readonly code: 'empty' | 'not-dicom' | 'truncated' | 'bad-vr' | 'bad-length' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'DicomReadError';
  }
}

/** One row of the header panel: an element, or an item of a sequence. */
export interface HeaderRow {
  /** "(0010,0010)", or "Item 1" for sequence items. */
  tag: string;
  vr: string;
  keyword: string;
  /** Decoded, human-readable value (truncated for long binary values). */
  value: string;
  isPrivate: boolean;
  depth: number;
  children?: HeaderRow[];
}

/** Incrementally groups files into patient → study → series. */
export interface StudyIndexBuilder {
  /** Parses the header of `bytes`; unreadable files are recorded as skipped. */
  add(fileId: string, displayPath: string, bytes: Uint8Array): void;
  skip(entry: SkippedInput): void;
  result(source: string): OpenResult;
}

export declare function createStudyIndexBuilder(): StudyIndexBuilder;

/** Every element of a file (meta + dataset), nested sequences as children. */
export declare function headerRows(bytes: Uint8Array): HeaderRow[];

/** True when the bytes look like a DICOMDIR (Media Storage Directory). */
export declare function isDicomdir(bytes: Uint8Array): boolean;

/** Referenced File IDs of a DICOMDIR, each as its path components. */
export declare function dicomdirFileIds(bytes: Uint8Array): string[][];
