// Explicit VR little endian, the transfer syntax of nearly every file an export
// reads (three times per file: the plan's header, the original, the copy read
// back), read straight into Veil's model. dicom-parser builds an object per
// element keyed by a fresh tag string, which reader.ts then converts; here tag
// strings come from a cache and nothing else is made. Whatever this reader does
// not take on (see `Bail`) it hands back, and dicom-parser reads the dataset as
// before, with its lenience and its errors: on the data this one reads, both
// give the same Dataset (test/unit/dicom/explicitReader.test.ts compares them).
import { DataElement, Dataset } from './dataset';
import { Tags, type Tag } from './tag';
import { knownVRs, type VR } from './vr';

export interface ExplicitContext {
  /** Offset of the data's first byte in the file (items' fileOffset). */
  base: number;
  /** Stop at Pixel Data (7FE0,0010), its value not read. */
  headerOnly: boolean;
  /** Bytes of the dataset in the file (more than the data holds when only a header was read). */
  available: number;
}

/**
 * Not read here, left to dicom-parser: big, implicit or deflated data never reach this reader;
 * undefined lengths except a sequence's or an item's, encapsulated pixels, unknown VRs and those
 * dicom-parser reads with a 16-bit length (OV, SV, UV), UN holding items, group 0002 in the
 * dataset, a repeated tag, a length past its container, a missing delimiter, deep nesting.
 */
const Bail = new Error('left to dicom-parser');

/** The 4-byte-length VRs as dicom-parser knows them (its reading decides where elements start). */
const longLength = new Set(['OB', 'OD', 'OL', 'OW', 'SQ', 'OF', 'UC', 'UR', 'UT', 'UN']);
const dicomParserMisreads = new Set(['OV', 'SV', 'UV']);

/** VRs by their two letters (A–Z each: 26 × 26 slots); undefined for unknown or bailed VRs. */
const vrByLetters: Array<VR | undefined> = new Array<VR | undefined>(26 * 26).fill(undefined);
for (const vr of knownVRs) if (!dicomParserMisreads.has(vr)) vrByLetters[(vr.charCodeAt(0) - 0x41) * 26 + vr.charCodeAt(1) - 0x41] = vr as VR;

function vrAt(array: Uint8Array, pos: number): VR | undefined {
  const first = array[pos] - 0x41;
  const second = array[pos + 1] - 0x41;
  return first >= 0 && first < 26 && second >= 0 && second < 26 ? vrByLetters[first * 26 + second] : undefined;
}

/** Tag strings ("0008103E") by number: the same few hundred recur in every file. */
const tagNames = new Map<number, Tag>();
function tagName(value: number): Tag {
  let name = tagNames.get(value);
  if (name === undefined) {
    name = value.toString(16).padStart(8, '0').toUpperCase();
    if (tagNames.size >= 65536) tagNames.clear();
    tagNames.set(value, name);
  }
  return name;
}

const PIXEL_DATA = 0x7fe00010;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQUENCE_END = 0xfffee0dd;
const UNDEFINED = 0xffffffff;
/** Far below reader.ts's MAX_SEQUENCE_DEPTH: deeper data goes the checked way. */
const MAX_DEPTH = 32;
const EMPTY = new Uint8Array(0);

/** The dataset in `array`, or undefined when dicom-parser must read it. */
export function readExplicitLittle(array: Uint8Array, context: ExplicitContext): Dataset | undefined {
  // dicom-parser reads a Part 10 header wherever "DICM" sits at 128.
  if (array.length > 131 && array[128] === 0x44 && array[129] === 0x49 && array[130] === 0x43 && array[131] === 0x4d) return undefined;
  const reader = new Reader(array, context);
  try {
    const dataset = new Dataset(true);
    const end = reader.elements(0, array.length, dataset, 0, true, false);
    // A header read in part that ended before Pixel Data: reader.ts's checks decide.
    if (context.headerOnly && context.available > array.length && !dataset.has(Tags.PixelData)) return undefined;
    return end === array.length || dataset.has(Tags.PixelData) ? dataset : undefined;
  } catch (error) {
    if (error === Bail) return undefined;
    throw error;
  }
}

class Reader {
  private readonly view: DataView;

  constructor(
    private readonly array: Uint8Array,
    private readonly context: ExplicitContext,
  ) {
    this.view = new DataView(array.buffer, array.byteOffset, array.byteLength);
  }

  private tagAt(pos: number): number {
    return ((this.view.getUint16(pos, true) << 16) | this.view.getUint16(pos + 2, true)) >>> 0;
  }

  /**
   * Elements from `pos` up to `max` (or, in an undefined-length item, its delimiter) into
   * `dataset`; the position after them.
   */
  elements(pos: number, max: number, dataset: Dataset, depth: number, top: boolean, untilItemEnd: boolean): number {
    const { array, view } = this;
    while (pos < max) {
      if (pos + 8 > max) throw Bail;
      const tag = this.tagAt(pos);
      if (untilItemEnd && tag === ITEM_END) {
        if (view.getUint32(pos + 4, true) !== 0) throw Bail;
        return pos + 8;
      }
      if (tag >>> 16 === 0x0002 || tag >>> 16 === 0xfffe) throw Bail;
      const vr = vrAt(array, pos + 4);
      if (vr === undefined) throw Bail;
      const long = longLength.has(vr);
      const header = long ? 12 : 8;
      if (pos + header > max) throw Bail;
      const length = long ? view.getUint32(pos + 8, true) : view.getUint16(pos + 6, true);
      const start = pos + header;
      const name = tagName(tag);
      if (dataset.has(name)) throw Bail;
      if (this.context.headerOnly && tag === PIXEL_DATA) {
        // Its value is not read, here or in an item (an icon's): only its length is kept.
        if (length !== UNDEFINED && start + length > this.context.available) throw Bail;
        dataset.set(new DataElement(name, vr, EMPTY, undefined, undefined, length));
        if (top) return start;
        if (length === UNDEFINED || start + length > max) throw Bail;
        pos = start + length;
        continue;
      }
      if (vr === 'SQ') {
        const element = new DataElement(name, 'SQ', EMPTY, []);
        element.undefinedLength = length === UNDEFINED;
        pos = this.sequence(start, length, max, element.items!, dataset, depth);
        dataset.set(element);
        continue;
      }
      if (length === UNDEFINED || start + length > max) throw Bail;
      // UN holding an implicit sequence: reader.ts's way.
      if (vr === 'UN' && length >= 8 && this.tagAt(start) === ITEM) throw Bail;
      dataset.set(new DataElement(name, vr, array.subarray(start, start + length)));
      pos = start + length;
    }
    if (untilItemEnd) throw Bail;
    return pos;
  }

  /** A sequence's items from `start`; the position after the sequence. */
  private sequence(start: number, length: number, max: number, items: Dataset[], parent: Dataset, depth: number): number {
    if (depth >= MAX_DEPTH) throw Bail;
    const undefinedLength = length === UNDEFINED;
    const end = undefinedLength ? max : start + length;
    if (end > max) throw Bail;
    let pos = start;
    for (;;) {
      if (!undefinedLength && pos === end) return pos;
      if (pos + 8 > end) throw Bail;
      const tag = this.tagAt(pos);
      if (undefinedLength && tag === SEQUENCE_END) return pos + 8;
      if (tag !== ITEM) throw Bail;
      const itemLength = this.view.getUint32(pos + 4, true);
      const item = new Dataset(true);
      item.parent = parent;
      item.fileOffset = this.context.base + pos;
      item.undefinedLength = itemLength === UNDEFINED;
      if (itemLength === UNDEFINED) {
        pos = this.elements(pos + 8, end, item, depth + 1, false, true);
      } else {
        const itemEnd = pos + 8 + itemLength;
        if (itemEnd > end) throw Bail;
        pos = this.elements(pos + 8, itemEnd, item, depth + 1, false, false);
      }
      items.push(item);
    }
  }
}
