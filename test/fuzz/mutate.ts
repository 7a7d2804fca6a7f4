// Mutations of real DICOM files: what damaged media, hostile senders and buggy
// writers produce. Each input is (source file, seed): `mutateInput` is
// deterministic, so a recipe replays exactly and needs no binary fixture.
import { constants, deflateRawSync } from 'node:zlib';
import { isLongVR, layoutOf, type ElementSite, type FileLayout } from './layout';
import { Rng } from './prng';

export interface MutatedInput {
  bytes: Uint8Array;
  /** What was done, for people: `["length (0010,0010) → 0xffffffff", …]`. */
  ops: string[];
}

type Mutation = (bytes: Uint8Array, layout: FileLayout, rng: Rng) => { bytes: Uint8Array; op: string } | undefined;

const INTERESTING_32 = [0, 1, 2, 3, 4, 7, 8, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffe, 0xffffffff];
const INTERESTING_16 = [0, 1, 2, 3, 7, 8, 12, 15, 16, 17, 24, 31, 32, 33, 63, 64, 255, 256, 4096, 32768, 65534, 65535];
const VRS = ['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV'];

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
const tagName = (tag: number): string => `(${hex4(tag >>> 16)},${hex4(tag & 0xffff)})`;

function writeUint(bytes: Uint8Array, offset: number, size: 2 | 4, value: number, le: boolean): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) view.setUint16(offset, value & 0xffff, le);
  else view.setUint32(offset, value >>> 0, le);
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  // A corrupted length may reach past the end: remove what is there.
  at = Math.min(at, bytes.length);
  remove = Math.max(0, Math.min(remove, bytes.length - at));
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** A data element in the file's own encoding. */
function encodeElement(tag: number, vr: string, value: Uint8Array, layout: Pick<FileLayout, 'explicit' | 'littleEndian'>, length = value.length): Uint8Array {
  const le = layout.littleEndian;
  const long = !layout.explicit || isLongVR(vr);
  const header = layout.explicit ? (long ? 12 : 8) : 8;
  const out = new Uint8Array(header + value.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, le);
  view.setUint16(2, tag & 0xffff, le);
  if (layout.explicit) {
    out[4] = vr.charCodeAt(0);
    out[5] = vr.charCodeAt(1);
    if (long) view.setUint32(8, length >>> 0, le);
    else view.setUint16(6, length & 0xffff, le);
  } else {
    view.setUint32(4, length >>> 0, le);
  }
  out.set(value, header);
  return out;
}

const ascii = (text: string): Uint8Array => {
  const even = text.length % 2 === 1 ? `${text} ` : text;
  return Uint8Array.from(even, (c) => c.charCodeAt(0) & 0xff);
};

function pickSite(layout: FileLayout, rng: Rng, filter: (site: ElementSite) => boolean = () => true): ElementSite | undefined {
  const sites = layout.elements.filter(filter);
  return sites.length > 0 ? rng.pick(sites) : undefined;
}

/** Where a top-level element with this tag goes, keeping ascending order. */
function insertionPoint(bytes: Uint8Array, layout: FileLayout, tag: number): number {
  const next = layout.elements.find((s) => s.depth === 0 && s.tag >>> 16 !== 0x0002 && s.tag > tag);
  return next ? next.offset : bytes.length;
}

const bitFlips: Mutation = (bytes, _layout, rng) => {
  if (bytes.length === 0) return undefined;
  const out = bytes.slice();
  const n = rng.range(1, 16);
  for (let i = 0; i < n; i++) {
    const at = rng.int(out.length);
    out[at]! ^= 1 << rng.int(8);
  }
  return { bytes: out, op: `flip ${n} bits` };
};

const interestingBytes: Mutation = (bytes, _layout, rng) => {
  if (bytes.length === 0) return undefined;
  const out = bytes.slice();
  const n = rng.range(1, 8);
  for (let i = 0; i < n; i++) out[rng.int(out.length)] = rng.pick([0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, 0x1b, 0x5c]);
  return { bytes: out, op: `overwrite ${n} bytes` };
};

const truncate: Mutation = (bytes, layout, rng) => {
  if (bytes.length < 2) return undefined;
  // Half the time inside an element's header or value, where readers are most fragile.
  const site = rng.chance(0.5) ? pickSite(layout, rng) : undefined;
  const at = site ? Math.min(bytes.length - 1, site.offset + rng.int(Math.min(64, bytes.length - site.offset))) : rng.int(bytes.length);
  return { bytes: bytes.slice(0, at), op: `truncate at ${at} of ${bytes.length}` };
};

const corruptLength: Mutation = (bytes, layout, rng) => {
  const site = pickSite(layout, rng);
  if (!site) return undefined;
  const out = bytes.slice();
  const remaining = bytes.length - site.valueOffset;
  const candidates = [...INTERESTING_32, site.length + 1, site.length - 1, site.length * 2, remaining, remaining + 1, remaining + 2, site.length ^ (1 << rng.int(31))];
  const value = rng.pick(candidates) >>> 0;
  writeUint(out, site.lengthOffset, site.lengthSize, value, site.littleEndian);
  return { bytes: out, op: `length ${tagName(site.tag)} ${site.length} → ${value}` };
};

const hugeLength: Mutation = (bytes, layout, rng) => {
  const site = pickSite(layout, rng, (s) => s.lengthSize === 4);
  if (!site) return undefined;
  const out = bytes.slice();
  const value = rng.pick([0x7ffffffe, 0xfffffff0, 0xfffffffe, 0x40000000, 0x10000000]);
  writeUint(out, site.lengthOffset, 4, value, site.littleEndian);
  return { bytes: out, op: `huge length ${tagName(site.tag)} → ${value}` };
};

const corruptVR: Mutation = (bytes, layout, rng) => {
  const site = pickSite(layout, rng, (s) => s.vr !== '');
  if (!site) return undefined;
  const out = bytes.slice();
  const vr = rng.chance(0.8) ? rng.pick(VRS) : String.fromCharCode(rng.int(256), rng.int(256));
  out[site.offset + 4] = vr.charCodeAt(0);
  out[site.offset + 5] = vr.charCodeAt(1);
  return { bytes: out, op: `VR ${tagName(site.tag)} ${site.vr} → ${JSON.stringify(vr)}` };
};

const pixelModule: Mutation = (bytes, layout, rng) => {
  const us = [0x00280010, 0x00280011, 0x00280100, 0x00280101, 0x00280102, 0x00280002, 0x00280103, 0x00280006];
  const site = pickSite(layout, rng, (s) => (us.includes(s.tag) && s.length >= 2) || s.tag === 0x00280008 || s.tag === 0x00280004);
  if (!site) return undefined;
  if (site.tag === 0x00280008 || site.tag === 0x00280004) {
    const text =
      site.tag === 0x00280008
        ? rng.pick(['0', '-1', '1', '2', '3', '1000', '999999', '2147483647', '4294967297', '1e9', 'NaN', ' ', '2.5'])
        : rng.pick(['MONOCHROME1', 'MONOCHROME2', 'RGB', 'PALETTE COLOR', 'YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT', 'XYZ', '']);
    const element = encodeElement(site.tag, site.vr || 'CS', ascii(text), layout);
    return { bytes: splice(bytes, site.offset, site.valueOffset + site.length - site.offset, element), op: `${tagName(site.tag)} → ${JSON.stringify(text)}` };
  }
  const out = bytes.slice();
  const value = rng.pick(INTERESTING_16);
  writeUint(out, site.valueOffset, 2, value, site.littleEndian);
  return { bytes: out, op: `${tagName(site.tag)} → ${value}` };
};

const pixelBytes: Mutation = (bytes, layout, rng) => {
  const site = layout.elements.find((s) => s.tag === 0x7fe00010 && s.depth === 0);
  if (!site || site.valueOffset >= bytes.length) return undefined;
  const out = bytes.slice();
  const n = rng.range(1, 64);
  const span = bytes.length - site.valueOffset;
  for (let i = 0; i < n; i++) out[site.valueOffset + rng.int(span)] = rng.int(256);
  return { bytes: out, op: `scribble ${n} bytes in Pixel Data` };
};

const CHARSETS = [
  'ISO 2022 IR 87',
  'ISO_IR 192',
  'GB18030',
  'GBK',
  'ISO 2022 IR 149\\ISO 2022 IR 87',
  '\\ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159',
  'ISO_IR 100\\ISO_IR 101\\ISO_IR 109\\ISO_IR 110\\ISO_IR 144\\ISO_IR 127\\ISO_IR 126\\ISO_IR 138\\ISO_IR 148\\ISO_IR 166',
  'XYZ',
  '\\\\\\\\',
  '\x1b$B\x1b(B',
  'ISO 2022 IR 6',
  'utf-16',
  'ISO_IR 13',
];

const charset: Mutation = (bytes, layout, rng) => {
  const text = rng.chance(0.8) ? rng.pick(CHARSETS) : Array.from({ length: rng.range(1, 64) }, () => String.fromCharCode(rng.range(1, 255))).join('');
  const existing = layout.elements.find((s) => s.tag === 0x00080005 && s.depth === 0);
  const element = encodeElement(0x00080005, 'CS', ascii(text), layout);
  const replaced = existing
    ? splice(bytes, existing.offset, existing.valueOffset + existing.length - existing.offset, element)
    : splice(bytes, insertionPoint(bytes, layout, 0x00080005), 0, element);
  // And bytes no character set maps cleanly in a text value: stray escapes, lone high bytes, invalid UTF-8.
  const after = layoutOf(replaced);
  const textSite = pickSite(after, rng, (s) => ['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC'].includes(s.vr) && s.length > 0 && s.valueOffset + s.length <= replaced.length);
  if (textSite) {
    for (let i = 0; i < Math.min(textSite.length, rng.range(1, 8)); i++) {
      replaced[textSite.valueOffset + rng.int(textSite.length)] = rng.pick([0x1b, 0x24, 0x28, 0x42, 0x80, 0xc3, 0xff, 0xe3, 0x5c, 0x00]);
    }
  }
  return { bytes: replaced, op: `charset ${JSON.stringify(text)}${textSite ? ` + odd bytes in ${tagName(textSite.tag)}` : ''}` };
};

/** Sequences inside sequences, `depth` deep, around a patient name (defined or undefined lengths). */
export function nestedSequences(depth: number, undefinedLengths: boolean, layout: Pick<FileLayout, 'explicit' | 'littleEndian'>): Uint8Array {
  const tag = 0x00081115; // ReferencedSeriesSequence: an SQ the dictionary knows (implicit VR descends into it)
  const le = layout.littleEndian;
  const leaf = encodeElement(0x00100010, 'PN', ascii('DEEP^NEST'), layout);
  const seqHeader = layout.explicit ? 12 : 8;
  const level = seqHeader + 8;
  const closing = undefinedLengths ? 16 : 0;
  const out = new Uint8Array(depth * (level + closing) + leaf.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < depth; i++) {
    const at = i * level;
    const inner = (depth - i) * (level + closing) + leaf.length; // this level's total size
    view.setUint16(at, tag >>> 16, le);
    view.setUint16(at + 2, tag & 0xffff, le);
    if (layout.explicit) {
      out[at + 4] = 0x53; // 'S'
      out[at + 5] = 0x51; // 'Q'
    }
    view.setUint32(at + seqHeader - 4, undefinedLengths ? 0xffffffff : inner - seqHeader, le);
    view.setUint16(at + seqHeader, 0xfffe, le);
    view.setUint16(at + seqHeader + 2, 0xe000, le);
    view.setUint32(at + seqHeader + 4, undefinedLengths ? 0xffffffff : inner - level, le);
  }
  out.set(leaf, depth * level);
  if (undefinedLengths) {
    let at = depth * level + leaf.length;
    for (let i = 0; i < depth; i++) {
      for (const delimiter of [0xe00d, 0xe0dd]) {
        view.setUint16(at, 0xfffe, le);
        view.setUint16(at + 2, delimiter, le);
        view.setUint32(at + 4, 0, le);
        at += 8;
      }
    }
  }
  return out;
}

const deepNesting: Mutation = (bytes, layout, rng) => {
  if (layout.deflated) return undefined;
  const depth = rng.pick([20, 100, 500, 2_000, 10_000, 100_000]);
  const undefinedLengths = rng.chance(0.6);
  const nested = nestedSequences(depth, undefinedLengths, layout);
  return {
    bytes: splice(bytes, insertionPoint(bytes, layout, 0x00081115), 0, nested),
    op: `${depth} nested sequences (${undefinedLengths ? 'undefined' : 'defined'} lengths)`,
  };
};

const duplicate: Mutation = (bytes, layout, rng) => {
  const site = pickSite(layout, rng, (s) => s.valueOffset + s.length <= bytes.length && s.length < 1 << 20);
  if (!site) return undefined;
  const element = bytes.slice(site.offset, site.valueOffset + site.length);
  const copies = rng.pick([1, 2, 100, 5_000]);
  const insert = new Uint8Array(element.length * copies);
  for (let i = 0; i < copies; i++) insert.set(element, i * element.length);
  return { bytes: splice(bytes, site.offset, 0, insert), op: `repeat ${tagName(site.tag)} ${copies}×` };
};

const garbageElement: Mutation = (bytes, layout, rng) => {
  const tag = rng.chance(0.5) ? ((rng.int(0x10000) << 16) | rng.int(0x10000)) >>> 0 : rng.pick([0x00100010, 0x00100020, 0x00080005, 0x7fe00010, 0x00280010, 0x00400275, 0xfffee000, 0x00090010, 0x00091001]);
  const vr = rng.pick(VRS);
  const value = Uint8Array.from({ length: rng.pick([0, 1, 2, 3, 4, 7, 8, 64, 255]) }, () => rng.int(256));
  const element = encodeElement(tag, vr, value, layout, rng.chance(0.2) ? rng.pick(INTERESTING_32) : value.length);
  const at = rng.chance(0.5) ? insertionPoint(bytes, layout, tag) : layout.datasetStart + rng.int(Math.max(1, bytes.length - layout.datasetStart));
  return { bytes: splice(bytes, Math.min(at, bytes.length), 0, element), op: `insert ${tagName(tag)} ${vr} (${value.length} bytes)` };
};

// Deflate bombs ---------------------------------------------------------------

const MB = 1 << 20;
const chunkCache = new Map<string, Buffer>();

/** `pattern` repeated to 1 MiB, deflated as non-final blocks ending on a byte boundary (so copies concatenate). */
function repeatedChunk(pattern: Uint8Array): Buffer {
  const key = Buffer.from(pattern).toString('hex');
  let chunk = chunkCache.get(key);
  if (!chunk) {
    const raw = Buffer.alloc(MB);
    for (let i = 0; i < MB; i++) raw[i] = pattern[i % pattern.length]!;
    chunk = deflateRawSync(raw, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
    chunkCache.set(key, chunk);
  }
  return chunk;
}

function metaFor(transferSyntaxUID: string): Uint8Array {
  const le = { explicit: true, littleEndian: true };
  const body = [
    encodeElement(0x00020001, 'OB', Uint8Array.of(0, 1), le),
    encodeElement(0x00020002, 'UI', ascii('1.2.840.10008.5.1.4.1.1.7\0'), le),
    encodeElement(0x00020003, 'UI', ascii('1.2.826.0.1.3680043.2.1143.1\0'), le),
    encodeElement(0x00020010, 'UI', ascii(`${transferSyntaxUID}${transferSyntaxUID.length % 2 ? '\0' : ''}`), le),
  ];
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, bodyLength, true);
  const parts = [new Uint8Array(128), ascii('DICM'), encodeElement(0x00020000, 'UL', groupLength, le), ...body];
  return Buffer.concat(parts);
}

/**
 * A Deflated Explicit VR Little Endian file whose few compressed megabytes inflate to
 * `inflatedMB` MiB: one huge Pixel Data of zeros, millions of tiny elements, or a length
 * that promises more than the stream holds.
 */
export function deflateBomb(kind: 'zeros' | 'elements' | 'short', inflatedMB: number): Uint8Array {
  const le = { explicit: true, littleEndian: true };
  const header = Buffer.concat([
    encodeElement(0x00080016, 'UI', ascii('1.2.840.10008.5.1.4.1.1.7\0'), le),
    encodeElement(0x00080018, 'UI', ascii('1.2.826.0.1.3680043.2.1143.1\0'), le),
    encodeElement(0x00100010, 'PN', ascii('BOMB^DEFLATE'), le),
    encodeElement(0x00100020, 'LO', ascii('ID-4242-BOMB'), le),
    encodeElement(0x00280002, 'US', Uint8Array.of(1, 0), le),
    encodeElement(0x00280010, 'US', Uint8Array.of(0, 4), le),
    encodeElement(0x00280011, 'US', Uint8Array.of(0, 4), le),
    encodeElement(0x00280100, 'US', Uint8Array.of(8, 0), le),
  ]);
  const bytes = inflatedMB * MB;
  const pixelHeader =
    kind === 'elements'
      ? new Uint8Array(0)
      : encodeElement(0x7fe00010, 'OB', new Uint8Array(0), le, kind === 'short' ? 0xfffffffe : Math.min(bytes, 0xfffffffe));
  const prefix = deflateRawSync(Buffer.concat([header, pixelHeader]), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  // (0011,0010) LO, zero length: 8 bytes, a whole element.
  const pattern = kind === 'elements' ? Uint8Array.of(0x11, 0x00, 0x10, 0x00, 0x4c, 0x4f, 0x00, 0x00) : Uint8Array.of(0);
  const chunk = repeatedChunk(pattern);
  const chunks = kind === 'short' ? Math.max(1, Math.floor(inflatedMB / 4)) : inflatedMB;
  const final = deflateRawSync(Buffer.alloc(0), { level: 9 });
  const parts: Uint8Array[] = [metaFor('1.2.840.10008.1.2.1.99'), prefix];
  for (let i = 0; i < chunks; i++) parts.push(chunk);
  parts.push(final);
  return Buffer.concat(parts);
}

const bomb: Mutation = (_bytes, _layout, rng) => {
  const kind = rng.pick(['zeros', 'elements', 'short'] as const);
  const size = rng.pick([64, 600, 2_000, 4_095]);
  return { bytes: deflateBomb(kind, size), op: `deflate bomb: ${kind}, ${size} MiB inflated` };
};

/** Mutations with their weights (a deflate bomb replaces the input, so it is rare). */
const mutations: Array<[string, Mutation, number]> = [
  ['bitFlips', bitFlips, 14],
  ['interestingBytes', interestingBytes, 8],
  ['truncate', truncate, 10],
  ['corruptLength', corruptLength, 16],
  ['hugeLength', hugeLength, 6],
  ['corruptVR', corruptVR, 10],
  ['pixelModule', pixelModule, 14],
  ['pixelBytes', pixelBytes, 10],
  ['charset', charset, 8],
  ['deepNesting', deepNesting, 3],
  ['duplicate', duplicate, 4],
  ['garbageElement', garbageElement, 6],
  ['bomb', bomb, 1],
];
const totalWeight = mutations.reduce((n, [, , w]) => n + w, 0);

function pickMutation(rng: Rng): Mutation {
  let r = rng.next() * totalWeight;
  for (const [, mutation, weight] of mutations) {
    r -= weight;
    if (r < 0) return mutation;
  }
  return mutations[0]![1];
}

/** One to three mutations of `source`, chosen by `seed`. */
export function mutateInput(source: Uint8Array, seed: number): MutatedInput {
  const rng = new Rng(seed);
  const count = rng.pick([1, 1, 1, 2, 2, 3]);
  let bytes = source;
  const ops: string[] = [];
  for (let i = 0; i < count; i++) {
    const done = pickMutation(rng)(bytes, layoutOf(bytes), rng);
    if (!done) continue;
    bytes = done.bytes;
    ops.push(done.op);
    if (done.op.startsWith('deflate bomb')) break;
  }
  if (ops.length === 0) {
    const done = bitFlips(bytes, layoutOf(bytes), rng)!;
    return { bytes: done.bytes, ops: [done.op] };
  }
  return { bytes, ops };
}
