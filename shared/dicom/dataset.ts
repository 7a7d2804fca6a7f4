// Veil's DICOM model (pydicom-like): a Dataset is an ordered map of
// DataElements; a sequence element holds item Datasets; every element keeps its
// raw value bytes in the byte order it was read with, so write-back is faithful.
import { decodeAscii, decodeText } from './charset';
import { lookupPrivateTag, lookupTag } from './dictionary';
import { Tags, isPrivateCreator, isPrivateTag, privateCreatorTagFor, type Tag } from './tag';
import { charsetVRs, numericWidth, singleValueTextVRs, stringVRs, type VR } from './vr';

/** Encapsulated pixel data (PS3.5 A.4): Basic Offset Table and fragments, as bytes. */
export interface EncapsulatedPixels {
  offsetTable: Uint8Array;
  fragments: Uint8Array[];
}

export class DataElement {
  constructor(
    readonly tag: Tag,
    public vr: VR,
    /** Raw value bytes (without header); empty for sequences and encapsulated data. */
    public bytes: Uint8Array,
    /** Items, when this is a sequence (SQ, or UN holding an implicit sequence). */
    public items?: Dataset[],
    public encapsulated?: EncapsulatedPixels,
    /** Value length on the wire, when the bytes were not read (header-only parse). */
    public skippedLength?: number,
  ) {}

  /**
   * How a sequence's length was encoded when read (PS3.5 7.5.2); the writer keeps it, so
   * byte offsets (e.g. DICOMDIR record offsets) survive a round trip. Unset: undefined length.
   */
  undefinedLength?: boolean;

  get isSequence(): boolean {
    return this.items !== undefined;
  }

  /** Length of the value on the wire (as read), for display. */
  get valueLength(): number {
    if (this.skippedLength !== undefined) return this.skippedLength;
    if (this.encapsulated) {
      return this.encapsulated.fragments.reduce((sum, f) => sum + f.length + 8, this.encapsulated.offsetTable.length + 16);
    }
    return this.bytes.length;
  }
}

export class Dataset {
  readonly elements = new Map<Tag, DataElement>();
  /** The enclosing dataset, for a sequence item (charset is inherited, PS3.5 7.5.3). */
  parent?: Dataset;
  /** Byte offset of this item in the file, for DICOMDIR record offsets. */
  fileOffset?: number;
  /** For a sequence item: whether it was encoded with undefined length (kept on write). */
  undefinedLength?: boolean;

  constructor(readonly littleEndian = true) {}

  get size(): number {
    return this.elements.size;
  }

  has(tag: Tag): boolean {
    return this.elements.has(tag);
  }

  get(tag: Tag): DataElement | undefined {
    return this.elements.get(tag);
  }

  set(element: DataElement): void {
    this.elements.set(element.tag, element);
  }

  delete(tag: Tag): boolean {
    return this.elements.delete(tag);
  }

  /** Elements in ascending tag order (the order they must be written in). */
  sorted(): DataElement[] {
    return [...this.elements.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  }

  [Symbol.iterator](): IterableIterator<DataElement> {
    return this.elements.values();
  }

  /** Specific Character Set in force for this dataset. */
  characterSets(): string[] {
    const own = this.elements.get(Tags.SpecificCharacterSet);
    if (!own) return this.parent ? this.parent.characterSets() : [];
    // Asked for by every text element: decoded once per value (a new value is a new array).
    if (this.charsetCache?.bytes !== own.bytes) {
      this.charsetCache = { bytes: own.bytes, sets: Object.freeze(decodeAscii(own.bytes).split('\\').map((s) => s.trim())) as string[] };
    }
    return this.charsetCache.sets;
  }

  private charsetCache?: { bytes: Uint8Array; sets: string[] };

  /** All values of a string element, decoded and trimmed; [] when absent or empty. */
  strings(tag: Tag): string[] {
    const element = this.elements.get(tag);
    if (!element || element.items) return [];
    return elementStrings(element, this);
  }

  /** First value of a string element ('' when absent); multi-valued text joined by \ . */
  string(tag: Tag): string {
    const values = this.strings(tag);
    return values.length <= 1 ? (values[0] ?? '') : values.join('\\');
  }

  /** Numbers of a numeric element: binary (US, FL, …) or numeric strings (DS, IS). */
  numbers(tag: Tag): number[] {
    const element = this.elements.get(tag);
    return element ? elementNumbers(element, this) : [];
  }

  number(tag: Tag): number | undefined {
    const value = this.numbers(tag)[0];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  /** Items of a sequence element ([] when absent). */
  items(tag: Tag): Dataset[] {
    return this.elements.get(tag)?.items ?? [];
  }

  /** Name of the private creator that reserved `tag`'s block, if any. */
  privateCreator(tag: Tag): string | undefined {
    const creatorTag = privateCreatorTagFor(tag);
    return creatorTag ? this.string(creatorTag) || undefined : undefined;
  }

  /** Keyword of an element: standard, private dictionary, or '' when unknown. */
  keyword(tag: Tag): string {
    if (!isPrivateTag(tag)) return lookupTag(tag)?.keyword ?? '';
    if (isPrivateCreator(tag)) return 'PrivateCreator';
    const creator = this.privateCreator(tag);
    return creator ? (lookupPrivateTag(tag, creator)?.keyword ?? '') : '';
  }
}

function trimValue(value: string, vr: VR): string {
  // Trailing spaces (and NUL padding of UI) are insignificant; leading spaces are for most VRs (PS3.5 6.2).
  const trimmed = value.replace(/[\0 ]+$/, '');
  return vr === 'LT' || vr === 'ST' || vr === 'UT' ? trimmed : trimmed.replace(/^ +/, '');
}

function decodedText(bytes: Uint8Array, vr: VR, dataset: Dataset): string {
  return charsetVRs.has(vr) ? decodeText(bytes, dataset.characterSets(), vr === 'PN') : decodeAscii(bytes);
}

/**
 * A string element's whole value as decoded, padding and backslashes left in (undefined for
 * other VRs): for searches that split text into words anyway, without a string per value.
 */
export function elementText(element: DataElement, dataset: Dataset): string | undefined {
  const vr = valueVR(element, dataset);
  return stringVRs.has(vr) ? decodedText(element.bytes, vr, dataset) : undefined;
}

/**
 * The VR to interpret a value with: an element stored as UN is read with its
 * dictionary VR when the dictionary knows the tag (PS3.5 6.2.2), else as UN.
 */
export function valueVR(element: DataElement, dataset: Dataset): VR {
  if (element.vr !== 'UN' || element.items) return element.vr;
  let known: VR | undefined;
  if (!isPrivateTag(element.tag)) known = lookupTag(element.tag)?.vr;
  else {
    const creator = isPrivateCreator(element.tag) ? undefined : dataset.privateCreator(element.tag);
    known = isPrivateCreator(element.tag) ? 'LO' : creator ? lookupPrivateTag(element.tag, creator)?.vr : undefined;
  }
  return known && known !== 'SQ' ? known : 'UN';
}

export function elementStrings(element: DataElement, dataset: Dataset): string[] {
  const { bytes } = element;
  const vr = valueVR(element, dataset);
  if (bytes.length === 0) return [];
  if (stringVRs.has(vr)) {
    const text = decodedText(bytes, vr, dataset);
    const values = singleValueTextVRs.has(vr) ? [text] : text.split('\\');
    return values.map((v) => trimValue(v, vr));
  }
  if (vr === 'AT') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tags: string[] = [];
    for (let i = 0; i + 4 <= bytes.length; i += 4) {
      const g = view.getUint16(i, dataset.littleEndian).toString(16).padStart(4, '0');
      const e = view.getUint16(i + 2, dataset.littleEndian).toString(16).padStart(4, '0');
      tags.push(`(${g},${e})`.toUpperCase());
    }
    return tags;
  }
  return numbersAs(bytes, vr, dataset.littleEndian).map(String);
}

export function elementNumbers(element: DataElement, dataset: Dataset): number[] {
  return numbersAs(element.bytes, valueVR(element, dataset), dataset.littleEndian);
}

function numbersAs(bytes: Uint8Array, vr: VR, littleEndian: boolean): number[] {
  if (vr === 'DS' || vr === 'IS') {
    return decodeAscii(bytes)
      .split('\\')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(Number);
  }
  const width = numericWidth[vr];
  if (!width) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = Math.floor(bytes.length / width);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = readNumber(view, i * width, vr, littleEndian);
  return out;
}

function readNumber(view: DataView, at: number, vr: VR, le: boolean): number {
  switch (vr) {
    case 'US':
    case 'OW':
      return view.getUint16(at, le);
    case 'SS':
      return view.getInt16(at, le);
    case 'UL':
    case 'OL':
    case 'AT':
      return view.getUint32(at, le);
    case 'SL':
      return view.getInt32(at, le);
    case 'FL':
    case 'OF':
      return view.getFloat32(at, le);
    case 'FD':
    case 'OD':
      return view.getFloat64(at, le);
    case 'UV':
    case 'OV':
      return Number(view.getBigUint64(at, le));
    case 'SV':
      return Number(view.getBigInt64(at, le));
    default:
      return NaN;
  }
}
