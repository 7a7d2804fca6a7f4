// A PNG snapshot of one image for patients: native (uncompressed) greyscale
// only, rescaled (PS3.3 C.11.1) and windowed with the file's first window
// (C.11.2, linear), else its value range; MONOCHROME1 inverted. Encoded here:
// 8-bit greyscale, one IDAT, filter 0, zlib via fflate. Only pixels go in: no
// text chunks, so nothing from the header travels with it.
import { zlibSync } from 'fflate';
import { Tags, concatBytes, type DicomFile } from '../dicom';

export type SnapshotResult = { ok: true; bytes: Uint8Array; width: number; height: number } | { ok: false; reason: string };

const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit PNG of `channels` samples a pixel: 1 grey (colour type 0) or 4 RGBA (type 6); filter 0 on every row. */
function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 4): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, channels === 1 ? 0 : 6, 0, 0, 0], 8);
  const row = width * channels;
  const raw = new Uint8Array((row + 1) * height);
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlibSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))];
  return concatBytes(parts);
}

/** An 8-bit greyscale PNG. */
export const encodeGreyPng = (pixels: Uint8Array, width: number, height: number): Uint8Array => encodePng(pixels, width, height, 1);

/** An 8-bit RGBA PNG (renders for the audit report). */
export const encodeRgbaPng = (pixels: Uint8Array, width: number, height: number): Uint8Array => encodePng(pixels, width, height, 4);

const base64Digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `data:image/png;base64,…` for a self-contained HTML page (shared/ has no btoa). */
export function pngDataUrl(png: Uint8Array): string {
  let out = '';
  for (let i = 0; i < png.length; i += 3) {
    const n = (png[i]! << 16) | ((png[i + 1] ?? 0) << 8) | (png[i + 2] ?? 0);
    out += base64Digits[(n >> 18) & 63]! + base64Digits[(n >> 12) & 63]!;
    out += i + 1 < png.length ? base64Digits[(n >> 6) & 63]! : '=';
    out += i + 2 < png.length ? base64Digits[n & 63]! : '=';
  }
  return `data:image/png;base64,${out}`;
}

/** Stored values of the first frame, as numbers. */
function storedValues(file: DicomFile, count: number, bits: number, signed: boolean): Float64Array | undefined {
  const bytes = file.dataset.get(Tags.PixelData)?.bytes;
  const width = bits / 8;
  if (!bytes || bytes.length < count * width) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = file.dataset.littleEndian;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = width === 1 ? (signed ? view.getInt8(i) : view.getUint8(i)) : signed ? view.getInt16(2 * i, le) : view.getUint16(2 * i, le);
  }
  return out;
}

export function snapshotFromFile(file: DicomFile): SnapshotResult {
  const d = file.dataset;
  const width = d.number(Tags.Columns) ?? 0;
  const height = d.number(Tags.Rows) ?? 0;
  const bits = d.number('00280100');
  const photometric = d.string('00280004');
  const pixels = d.get(Tags.PixelData);
  if (!width || !height || !pixels) return { ok: false, reason: 'no image' };
  if (pixels.encapsulated) return { ok: false, reason: 'compressed pixel data is not supported yet (uncompressed only)' };
  if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') return { ok: false, reason: `${photometric || 'unknown'} images are not supported yet (greyscale only)` };
  if (bits !== 8 && bits !== 16) return { ok: false, reason: `${bits}-bit pixels are not supported yet` };
  const stored = storedValues(file, width * height, bits, (d.number('00280103') ?? 0) === 1);
  if (!stored) return { ok: false, reason: 'Pixel Data is shorter than Rows × Columns' };

  const slope = d.number('00281053') ?? 1;
  const intercept = d.number('00281052') ?? 0;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i] * slope + intercept;
    stored[i] = v;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const center = d.numbers('00281050')[0];
  const windowWidth = d.numbers('00281051')[0];
  // Linear VOI (C.11.2.1.2): the window spans [c - 0.5 - (w-1)/2, c - 0.5 + (w-1)/2].
  const [from, to] =
    center !== undefined && windowWidth !== undefined && windowWidth >= 1
      ? [center - 0.5 - (windowWidth - 1) / 2, center - 0.5 + (windowWidth - 1) / 2]
      : [low, high];
  const span = to - from || 1;
  const grey = new Uint8Array(stored.length);
  const invert = photometric === 'MONOCHROME1';
  for (let i = 0; i < stored.length; i++) {
    const g = Math.round(Math.min(1, Math.max(0, (stored[i] - from) / span)) * 255);
    grey[i] = invert ? 255 - g : g;
  }
  return { ok: true, bytes: encodeGreyPng(grey, width, height), width, height };
}
