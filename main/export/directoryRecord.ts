// A DICOMDIR entry as plain data, so a worker thread can hand back the entry of the
// file it just wrote and verified (structured clone drops the Dataset class), and
// the DICOMDIR is built without reading every exported file again.
import { DataElement, createDataset, type Dataset, type VR } from '../../shared/dicom';
import type { DirectoryEntry } from '../../shared/export';

interface PlainElement {
  tag: string;
  vr: VR;
  /** The value's bytes as Latin-1 code units: strings cross threads and sit in memory far cheaper than a small array each. */
  value: string;
  /** Code sequences' items (dicomdir.ts copies their string elements). */
  items?: PlainElement[][];
}

export interface PlainDirectoryEntry {
  keys: PlainElement[];
  littleEndian: boolean;
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID: string;
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let at = 0; at < bytes.length; at += 4096) out += String.fromCharCode.apply(null, bytes.subarray(at, at + 4096) as unknown as number[]);
  return out;
}

function bytesOf(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i);
  return bytes;
}

function plainElements(dataset: Dataset): PlainElement[] {
  return [...dataset.elements.values()].map((e) => ({ tag: e.tag, vr: e.vr, value: latin1(e.bytes), items: e.items?.map(plainElements) }));
}

function datasetOf(elements: PlainElement[], littleEndian: boolean): Dataset {
  const dataset = createDataset(littleEndian);
  for (const e of elements) dataset.set(new DataElement(e.tag, e.vr, bytesOf(e.value), e.items?.map((item) => datasetOf(item, littleEndian))));
  return dataset;
}

export function toPlainEntry(entry: DirectoryEntry): PlainDirectoryEntry {
  return {
    keys: plainElements(entry.keys),
    littleEndian: entry.keys.littleEndian,
    sopClassUID: entry.sopClassUID,
    sopInstanceUID: entry.sopInstanceUID,
    transferSyntaxUID: entry.transferSyntaxUID,
  };
}

export function fromPlainEntry(plain: PlainDirectoryEntry, fileId: string[]): DirectoryEntry {
  return {
    fileId,
    keys: datasetOf(plain.keys, plain.littleEndian), sopClassUID: plain.sopClassUID, sopInstanceUID: plain.sopInstanceUID, transferSyntaxUID: plain.transferSyntaxUID };
}
