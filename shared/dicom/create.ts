// Building datasets from scratch (e.g. converters, de-identified copies):
// values are encoded into the same raw-byte model the reader produces.
import { DataElement, Dataset } from './dataset';
import { lookupTag, tagForKeyword } from './dictionary';
import type { DicomFile } from './reader';
import { TransferSyntax } from './reader';
import { Tags, type Tag } from './tag';
import { numericWidth, type VR } from './vr';

export type ElementValue = string | number | ReadonlyArray<string | number> | Uint8Array | Dataset[];

export function createDataset(littleEndian = true): Dataset {
  return new Dataset(littleEndian);
}

function resolveTag(tagOrKeyword: string): Tag {
  if (/^[0-9A-Fa-f]{8}$/.test(tagOrKeyword)) return tagOrKeyword.toUpperCase();
  const tag = tagForKeyword(tagOrKeyword);
  if (!tag) throw new Error(`Unknown DICOM keyword "${tagOrKeyword}".`);
  return tag;
}

/** DS values are at most 16 characters (PS3.5 6.2). */
function formatDS(value: number): string {
  const plain = String(value);
  if (plain.length <= 16) return plain;
  for (let digits = 15; digits > 0; digits--) {
    const text = String(Number(value.toPrecision(digits)));
    if (text.length <= 16) return text;
  }
  return String(Math.round(value));
}

function encodeNumbers(values: readonly number[], vr: VR, littleEndian: boolean): Uint8Array {
  const width = numericWidth[vr];
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    const at = i * width;
    switch (vr) {
      case 'US': case 'OW': view.setUint16(at, v, littleEndian); break;
      case 'SS': view.setInt16(at, v, littleEndian); break;
      case 'UL': case 'OL': view.setUint32(at, v, littleEndian); break;
      case 'SL': view.setInt32(at, v, littleEndian); break;
      case 'FL': case 'OF': view.setFloat32(at, v, littleEndian); break;
      case 'FD': case 'OD': view.setFloat64(at, v, littleEndian); break;
      case 'UV': case 'OV': view.setBigUint64(at, BigInt(Math.round(v)), littleEndian); break;
      case 'SV': view.setBigInt64(at, BigInt(Math.round(v)), littleEndian); break;
      case 'AT': view.setUint16(at, v >>> 16, littleEndian); view.setUint16(at + 2, v & 0xffff, littleEndian); break;
      default: throw new Error(`VR ${vr} is not numeric.`);
    }
  });
  return out;
}

const utf8 = new TextEncoder();

/**
 * UTF-8 bytes of `text` padded to even length for `vr` (PS3.5 7.1.1: NUL for UI, else a
 * space). ASCII, nearly every value written, goes straight into the padded array: no encoder
 * call, no second copy.
 */
export function paddedUtf8(text: string, vr: string): Uint8Array {
  const pad = vr === 'UI' ? 0 : 0x20;
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const encoded = ascii ? undefined : utf8.encode(text);
  const length = encoded ? encoded.length : text.length;
  const even = new Uint8Array(length + (length % 2));
  if (encoded) even.set(encoded);
  else for (let i = 0; i < length; i++) even[i] = text.charCodeAt(i);
  if (even.length > length) even[length] = pad;
  return even;
}

/** Encodes `value` and stores it: strings (joined with \), numbers, bytes or sequence items. */
export function setValue(dataset: Dataset, tagOrKeyword: string, value: ElementValue, vr?: VR): DataElement {
  const tag = resolveTag(tagOrKeyword);
  const elementVR = vr ?? lookupTag(tag)?.vr ?? 'UN';
  let element: DataElement;
  if (Array.isArray(value) && value.length > 0 && value[0] instanceof Dataset) {
    const items = value as Dataset[];
    for (const item of items) item.parent = dataset;
    element = new DataElement(tag, 'SQ', new Uint8Array(0), items);
  } else if (value instanceof Uint8Array) {
    element = new DataElement(tag, elementVR, value);
  } else {
    const values = (Array.isArray(value) ? value : [value]) as Array<string | number>;
    if (numericWidth[elementVR] && values.every((v) => typeof v === 'number')) {
      element = new DataElement(tag, elementVR, encodeNumbers(values as number[], elementVR, dataset.littleEndian));
    } else {
      const text = values
        .map((v) => (typeof v === 'number' ? (elementVR === 'IS' ? String(Math.round(v)) : formatDS(v)) : v))
        .join('\\');
      element = new DataElement(tag, elementVR, paddedUtf8(text, elementVR));
    }
  }
  dataset.set(element);
  return element;
}

export interface NewFileOptions {
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID?: string;
}

/** UID root of Veil's implementation (a UUID-derived 2.25 UID, PS3.5 B.2). */
export const VeilImplementationClassUID = '2.25.205983424870735712183236154651917045393';
export const VeilImplementationVersionName = 'VEIL_0_1';

/** A DicomFile around `dataset`, with a File Meta Information group for it. */
export function createFile(dataset: Dataset, options: NewFileOptions): DicomFile {
  const meta = new Dataset(true);
  setValue(meta, '00020001', new Uint8Array([0, 1]), 'OB');
  setValue(meta, Tags.MediaStorageSOPClassUID, options.sopClassUID, 'UI');
  setValue(meta, Tags.MediaStorageSOPInstanceUID, options.sopInstanceUID, 'UI');
  setValue(meta, Tags.ImplementationClassUID, VeilImplementationClassUID, 'UI');
  setValue(meta, '00020013', VeilImplementationVersionName, 'SH');
  return {
    meta,
    dataset,
    transferSyntaxUID: options.transferSyntaxUID ?? TransferSyntax.ExplicitVRLittleEndian,
  };
}

/**
 * Deterministic UID from a name: 2.25 + a 128-bit FNV-1a hash as decimal (PS3.5 B.2).
 * The hash is kept in eight 16-bit limbs (small-integer arithmetic only): a DICOMDIR's
 * name joins every file's UID (~70 KB for a thousand files), and a BigInt product per
 * byte cost ~4 ms there.
 */
export function uidFromName(name: string): string {
  // Offset basis 0x6c62272e07bb014262b821756295c58d, least significant limb first.
  let h0 = 0xc58d, h1 = 0x6295, h2 = 0x2175, h3 = 0x62b8, h4 = 0x0142, h5 = 0x07bb, h6 = 0x272e, h7 = 0x6c62;
  const bytes = utf8.encode(name);
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i];
    // × the FNV prime 2^88 + 0x13b, mod 2^128; hash << 88 is 5 limbs and 8 bits up.
    let v = h0 * 0x13b;
    const n0 = v & 0xffff;
    v = h1 * 0x13b + (v >>> 16);
    const n1 = v & 0xffff;
    v = h2 * 0x13b + (v >>> 16);
    const n2 = v & 0xffff;
    v = h3 * 0x13b + (v >>> 16);
    const n3 = v & 0xffff;
    v = h4 * 0x13b + (v >>> 16);
    const n4 = v & 0xffff;
    v = h5 * 0x13b + ((h0 << 8) & 0xffff) + (v >>> 16);
    const n5 = v & 0xffff;
    v = h6 * 0x13b + (((h1 << 8) | (h0 >>> 8)) & 0xffff) + (v >>> 16);
    const n6 = v & 0xffff;
    v = h7 * 0x13b + (((h2 << 8) | (h1 >>> 8)) & 0xffff) + (v >>> 16);
    h0 = n0;
    h1 = n1;
    h2 = n2;
    h3 = n3;
    h4 = n4;
    h5 = n5;
    h6 = n6;
    h7 = v & 0xffff;
  }
  const high = (BigInt(h7 * 65536 + h6) << 32n) | BigInt(h5 * 65536 + h4);
  const low = (BigInt(h3 * 65536 + h2) << 32n) | BigInt(h1 * 65536 + h0);
  return `2.25.${((high << 64n) | low).toString()}`;
}
