// Where the data elements of a seed file are, so mutations can aim at lengths,
// VRs and values instead of only at random bytes. A tolerant walker of its own
// (not Veil's reader: it must not share the bugs it is looking for).

export interface ElementSite {
  tag: number;
  /** Offset of the element's first byte (its tag). */
  offset: number;
  /** Explicit VR as written, or '' for implicit VR. */
  vr: string;
  lengthOffset: number;
  /** 2 or 4 bytes. */
  lengthSize: 2 | 4;
  valueOffset: number;
  /** Declared length (0xFFFFFFFF: undefined). */
  length: number;
  depth: number;
  littleEndian: boolean;
}

export interface FileLayout {
  elements: ElementSite[];
  /** Offset of the first dataset element (after the File Meta Information). */
  datasetStart: number;
  transferSyntaxUID: string;
  explicit: boolean;
  littleEndian: boolean;
  deflated: boolean;
}

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const MAX_SITES = 20_000;

export function isLongVR(vr: string): boolean {
  return LONG_VRS.has(vr);
}

function isVRText(a: number, b: number): boolean {
  return a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a;
}

export function layoutOf(bytes: Uint8Array): FileLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const part10 = bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
  const elements: ElementSite[] = [];
  let pos = part10 ? 132 : 0;
  let transferSyntaxUID = '';
  // File Meta: explicit VR little endian.
  while (pos + 8 <= bytes.length && view.getUint16(pos, true) === 0x0002) {
    const site = siteAt(bytes, view, pos, true, true, 0);
    if (!site) break;
    elements.push(site);
    if (site.tag === 0x00020010) {
      transferSyntaxUID = String.fromCharCode(...bytes.subarray(site.valueOffset, Math.min(bytes.length, site.valueOffset + site.length))).replace(/[\0 ]+$/, '');
    }
    pos = site.valueOffset + site.length;
  }
  const datasetStart = pos;
  const deflated = transferSyntaxUID === '1.2.840.10008.1.2.1.99';
  const littleEndian = transferSyntaxUID !== '1.2.840.10008.1.2.2';
  let explicit = transferSyntaxUID !== '1.2.840.10008.1.2';
  if (!transferSyntaxUID && pos + 6 <= bytes.length) explicit = isVRText(bytes[pos + 4]!, bytes[pos + 5]!);
  if (!deflated) walk(bytes, view, pos, bytes.length, explicit, littleEndian, 0, elements);
  return { elements, datasetStart, transferSyntaxUID, explicit, littleEndian, deflated };
}

function siteAt(bytes: Uint8Array, view: DataView, pos: number, explicit: boolean, le: boolean, depth: number): ElementSite | undefined {
  if (pos + 8 > bytes.length) return undefined;
  const tag = ((view.getUint16(pos, le) << 16) | view.getUint16(pos + 2, le)) >>> 0;
  // Items and delimiters have no VR in any syntax.
  if (tag >>> 16 === 0xfffe || !explicit) {
    return { tag, offset: pos, vr: '', lengthOffset: pos + 4, lengthSize: 4, valueOffset: pos + 8, length: view.getUint32(pos + 4, le), depth, littleEndian: le };
  }
  const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
  if (isLongVR(vr)) {
    if (pos + 12 > bytes.length) return undefined;
    return { tag, offset: pos, vr, lengthOffset: pos + 8, lengthSize: 4, valueOffset: pos + 12, length: view.getUint32(pos + 8, le), depth, littleEndian: le };
  }
  return { tag, offset: pos, vr, lengthOffset: pos + 6, lengthSize: 2, valueOffset: pos + 8, length: view.getUint16(pos + 6, le), depth, littleEndian: le };
}

/** Walks elements in [pos, end); descends into sequences and items. Returns where it stopped. */
function walk(bytes: Uint8Array, view: DataView, pos: number, end: number, explicit: boolean, le: boolean, depth: number, out: ElementSite[]): number {
  while (pos < end && out.length < MAX_SITES) {
    const site = siteAt(bytes, view, pos, explicit, le, depth);
    if (!site) return end;
    out.push(site);
    if (site.tag === 0xfffee00d || site.tag === 0xfffee0dd) return site.valueOffset;
    const undefinedLength = site.length === 0xffffffff;
    const isItem = site.tag === 0xfffee000;
    const isSequence = site.vr === 'SQ' || (undefinedLength && site.vr !== 'OB' && site.vr !== 'OW' && site.tag !== 0x7fe00010);
    if (undefinedLength) {
      // Encapsulated pixel data (fragments follow, not elements), or nesting deeper than worth aiming at.
      if (site.tag === 0x7fe00010 || depth >= 64) return end;
      pos = walk(bytes, view, site.valueOffset, end, explicit, le, depth + 1, out);
    } else if ((isItem || isSequence) && depth < 64) {
      walk(bytes, view, site.valueOffset, Math.min(end, site.valueOffset + site.length), explicit, le, depth + 1, out);
      pos = site.valueOffset + site.length;
    } else {
      pos = site.valueOffset + site.length;
    }
  }
  return pos;
}
