// Rows of the header panel: every element of meta + dataset, sequences nested.
import type { DataElement, Dataset } from './dataset';
import { elementStrings, valueVR } from './dataset';
import { readDicom } from './reader';
import { formatTag, isPrivateCreator, isPrivateTag } from './tag';
import { bulkVRs } from './vr';

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
  /** For private elements: the creator that reserved the block (PS3.5 7.8.1). */
  privateCreator?: string;
  /** Value length in bytes as stored. */
  length?: number;
}

const MAX_TEXT = 1024;
const MAX_NUMBERS = 32;
const BINARY_PREVIEW_BYTES = 16;

/** Every element of a file (meta + dataset), nested sequences as children. */
export function headerRows(bytes: Uint8Array): HeaderRow[] {
  const file = readDicom(bytes);
  return [...datasetRows(file.meta, 0), ...datasetRows(file.dataset, 0)];
}

export function datasetRows(dataset: Dataset, depth: number): HeaderRow[] {
  return dataset.sorted().map((element) => elementRow(element, dataset, depth));
}

function elementRow(element: DataElement, dataset: Dataset, depth: number): HeaderRow {
  const isPrivate = isPrivateTag(element.tag);
  const row: HeaderRow = {
    tag: formatTag(element.tag),
    vr: element.vr,
    keyword: dataset.keyword(element.tag),
    value: displayValue(element, dataset),
    isPrivate,
    depth,
    length: element.valueLength,
  };
  if (isPrivate && !isPrivateCreator(element.tag)) row.privateCreator = dataset.privateCreator(element.tag);
  if (element.items) {
    row.children = element.items.map((item, index) => ({
      tag: `Item ${index + 1}`,
      vr: '',
      keyword: '',
      value: `${item.size} element${item.size === 1 ? '' : 's'}`,
      isPrivate,
      depth: depth + 1,
      children: datasetRows(item, depth + 2),
    }));
  }
  return row;
}

function hexPreview(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, BINARY_PREVIEW_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > BINARY_PREVIEW_BYTES ? `${shown} … (${bytes.length} bytes)` : shown;
}

export function displayValue(element: DataElement, dataset: Dataset): string {
  if (element.items) return `${element.items.length} item${element.items.length === 1 ? '' : 's'}`;
  if (element.encapsulated) {
    const { fragments } = element.encapsulated;
    const total = fragments.reduce((sum, f) => sum + f.length, 0);
    return `Encapsulated: ${fragments.length} fragment${fragments.length === 1 ? '' : 's'}, ${total} bytes`;
  }
  if (element.skippedLength !== undefined) return `(${element.skippedLength} bytes, not read)`;
  if (bulkVRs.has(valueVR(element, dataset))) return hexPreview(element.bytes);
  const values = elementStrings(element, dataset);
  let text = values.length > MAX_NUMBERS ? `${values.slice(0, MAX_NUMBERS).join('\\')}\\… (${values.length} values)` : values.join('\\');
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}… (${text.length} characters)`;
  return text;
}
