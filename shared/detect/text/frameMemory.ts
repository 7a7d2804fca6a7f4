// A frame's burned-in text depends on its pixels alone: a frame byte-identical to one
// already scanned (the same cine frame in another copy of a study, a screenshot exported
// again, the export's check of a copy whose pixels equal an earlier copy's) is not decoded,
// pre-screened or read by OCR again; its lines are classified afresh against the file's
// own identifiers. Identity is exact: the transfer syntax, every attribute of group 0028
// (layout, palettes, windows, LUTs) and the frame's stored bytes, compared byte for byte —
// a hash only picks the bucket. Judging them is exact too: a frame's findings depend on its
// readings and on what classification reads of the identifiers (`readByClassify`), so a copy
// of the same patient gets the findings judged for the one before.
import type { IdentifyingValue } from '../../deid';
import { Tags, concatBytes, type DicomFile } from '../../dicom';
import { frameBits, frameFragment, isNativeSyntax, pixelInfo, type PixelInfo } from '../../pixels';
import { readByClassify, type ClassifyOptions } from './classify';
import type { InkColour } from './colourInk';
import type { PlaneName } from './image';
import type { OcrResult } from './ocr';
import type { TextCandidate } from './prescreen';
import type { TextFinding } from './scanText';

/** What decides a frame's 8-bit picture, as byte parts: description first, stored bytes last. */
export type FrameSource = readonly Uint8Array[];

export interface ScannedFrame {
  width: number;
  height: number;
  candidates: readonly TextCandidate[];
  /** The planes the frame had (colour adds luminance). */
  planes: readonly PlaneName[];
  /** A colour-mapped frame: the ink colours found per candidate (colourInk.ts), which a copy reads by. */
  inks?: Map<string, readonly InkColour[]>;
  /**
   * What OCR answered, by region asked (JSON of the region): raw readings, free of any file's
   * identifiers, which decide only which readings a scan asks for and keeps. Pending while
   * OCR reads (a copy scanned meanwhile waits for them).
   */
  readings: Map<string, Promise<OcrResult>>;
  /** The frame's findings as judged before, by `judgementKey` (the last few kept). */
  judged?: Map<string, readonly TextFinding[]>;
}

/** Identifier lists judged per frame that are kept: a copy's detection and check share one. */
const judgedKept = 4;

/**
 * What a frame's findings depend on besides its readings: the identifiers as classification
 * reads them (UIDs differ between copies but are never matched), the options and the picture.
 */
export function judgementKey(identifiers: readonly IdentifyingValue[], classify: Partial<ClassifyOptions> | undefined, image: string): string {
  return JSON.stringify([image, classify ?? {}, identifiers.filter(readByClassify).map((id) => [id.kind, id.value])]);
}

const copyFinding = (f: TextFinding, frame: number): TextFinding => ({ ...f, frame, box: { ...f.box } });

/** The findings judged for `frame` under `key` before, as this frame's (copies). */
export function judgedBefore(scanned: ScannedFrame, key: string, frame: number): TextFinding[] | undefined {
  return scanned.judged?.get(key)?.map((f) => copyFinding(f, frame));
}

export function rememberJudged(scanned: ScannedFrame, key: string, findings: readonly TextFinding[]): void {
  const judged = (scanned.judged ??= new Map());
  judged.delete(key);
  judged.set(key, findings.map((f) => copyFinding(f, f.frame)));
  for (const old of judged.keys()) {
    if (judged.size <= judgedKept) break;
    judged.delete(old);
  }
}

/** Values remembered by the exact bytes they were made from. */
export interface ExactMemory<T> {
  get(source: FrameSource): T | undefined;
  /** `valueBytes`: what the value holds besides the source, counted towards the bound. */
  set(source: FrameSource, value: T, valueBytes?: number): void;
  /** Drops the entry of `source` (a failed read is not an answer). */
  forget(source: FrameSource): void;
  readonly hits: number;
  readonly misses: number;
}

export type FrameMemory = ExactMemory<ScannedFrame>;

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

/**
 * The description part of a file's frames: syntax, byte order, Pixel Data VR and every group
 * 0028 element's bytes. Undefined when it cannot be stated in bytes (a sequence in group 0028).
 */
export function pixelDescription(file: DicomFile, extra: string): Uint8Array | undefined {
  const pixelData = file.dataset.get(Tags.PixelData);
  if (!pixelData) return undefined;
  const parts: Uint8Array[] = [utf8(`${extra}|${file.transferSyntaxUID}|${file.dataset.littleEndian}|${pixelData.vr}|`)];
  for (const el of file.dataset) {
    if (!el.tag.startsWith('0028')) continue;
    if (el.items || el.encapsulated || el.skippedLength !== undefined) return undefined;
    const head = utf8(`${el.tag}${el.vr}${el.bytes.length}:`);
    parts.push(head, el.bytes);
  }
  return concatBytes(parts);
}

/**
 * The source of each frame of `file`'s Pixel Data, or undefined for files whose frames are not
 * byte ranges of their own (1-bit frames off byte boundaries). `extra` joins the key (scan options).
 */
export function frameSources(file: DicomFile, extra = '', info: PixelInfo = pixelInfo(file)): ((frame: number) => FrameSource | undefined) | undefined {
  const head = pixelDescription(file, extra);
  const el = file.dataset.get(Tags.PixelData);
  if (!head || !el) return undefined;
  if (el.encapsulated) {
    const enc = el.encapsulated;
    return (frame) => {
      try {
        return [head, frameFragment(enc, frame, info.frames)];
      } catch {
        return undefined;
      }
    };
  }
  if (!isNativeSyntax(file.transferSyntaxUID) || info.bitsAllocated === 1) return undefined;
  const size = frameBits(info) / 8;
  if (!Number.isInteger(size)) return undefined;
  return (frame) => (el.bytes.length >= (frame + 1) * size ? [head, el.bytes.subarray(frame * size, (frame + 1) * size)] : undefined);
}

/**
 * Bucket hash over every byte (copies that differ in one pixel must not share a bucket, or
 * each lookup would compare against all of them): 32-bit words, the tail byte by byte.
 */
function bucketOf(source: FrameSource): string {
  let h = 0x811c9dc5;
  let length = 0;
  for (const bytes of source) {
    length += bytes.length;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const words = bytes.length >> 2;
    for (let i = 0; i < words; i++) h = Math.imul(h ^ view.getUint32(i << 2, true), 0x01000193) ^ (h >>> 15);
    for (let i = words << 2; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  }
  return `${length}:${h >>> 0}`;
}

function sameBytes(stored: Uint8Array, at: number, bytes: Uint8Array): boolean {
  if ((stored.byteOffset + at) % 4 === 0 && bytes.byteOffset % 4 === 0) {
    const words = bytes.length >> 2;
    const a = new Uint32Array(stored.buffer, stored.byteOffset + at, words);
    const b = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
    for (let i = 0; i < words; i++) if (a[i] !== b[i]) return false;
    for (let i = words << 2; i < bytes.length; i++) if (stored[at + i] !== bytes[i]) return false;
    return true;
  }
  // Pixel data sits at any offset of its file: 32-bit reads through views, not byte by byte (3x faster).
  const a = new DataView(stored.buffer, stored.byteOffset + at, bytes.length);
  const b = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words = bytes.length >> 2;
  for (let i = 0; i < words; i++) if (a.getUint32(i << 2, true) !== b.getUint32(i << 2, true)) return false;
  for (let i = words << 2; i < bytes.length; i++) if (stored[at + i] !== bytes[i]) return false;
  return true;
}

function equals(stored: Uint8Array, source: FrameSource): boolean {
  let at = 0;
  for (const part of source) {
    if (at + part.length > stored.length || !sameBytes(stored, at, part)) return false;
    at += part.length;
  }
  return at === stored.length;
}

interface Entry<T> {
  bytes: Uint8Array;
  value: T;
  /** Source and value bytes, counted towards the bound. */
  size: number;
}

/** Values remembered by exact source bytes, about `maxBytes` of sources (least recently used go first). */
export function exactMemory<T>(maxBytes = 64 << 20): ExactMemory<T> {
  const buckets = new Map<string, Array<Entry<T>>>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const find = (source: FrameSource): { bucket: string; list?: Array<Entry<T>>; entry?: Entry<T> } => {
    const bucket = bucketOf(source);
    const list = buckets.get(bucket);
    return { bucket, list, entry: list?.find((e) => equals(e.bytes, source)) };
  };
  return {
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    get(source) {
      const { bucket, list, entry } = find(source);
      if (!entry || !list) {
        misses++;
        return undefined;
      }
      hits++;
      buckets.delete(bucket);
      buckets.set(bucket, list);
      return entry.value;
    },
    set(source, value, valueBytes = 0) {
      const copy = new Uint8Array(source.reduce((n, p) => n + p.length, 0));
      const size = copy.length + valueBytes;
      if (size > maxBytes) return;
      let at = 0;
      for (const part of source) {
        copy.set(part, at);
        at += part.length;
      }
      const { bucket, list, entry } = find(source);
      if (entry) bytes -= entry.size;
      buckets.set(bucket, [...(list ?? []).filter((e) => e !== entry), { bytes: copy, value, size }]);
      bytes += size;
      for (const [key, old] of buckets) {
        if (bytes <= maxBytes) break;
        for (const e of old) bytes -= e.size;
        buckets.delete(key);
      }
    },
    forget(source) {
      const { bucket, list, entry } = find(source);
      if (!entry || !list) return;
      bytes -= entry.size;
      if (list.length === 1) buckets.delete(bucket);
      else buckets.set(bucket, list.filter((e) => e !== entry));
    },
  };
}

/** Scanned frames by exact source bytes. */
export const frameMemory = (maxBytes = 64 << 20): FrameMemory => exactMemory<ScannedFrame>(maxBytes);
