// Native (uncompressed) pixel data, PS3.5 8.1 and 8.2: stored values in
// pixel-interleaved order, masked to BitsStored and sign-extended.
import type { PixelInfo } from './info';

export type PixelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** Bytes of one frame of native data; 1-bit frames are counted in bits. */
export function frameBits(info: PixelInfo): number {
  // YBR_FULL_422 native data holds two samples per pixel (PS3.3 C.7.6.3.1.2).
  const samples = info.photometric === 'YBR_FULL_422' ? 2 : info.samplesPerPixel;
  return info.rows * info.columns * samples * info.bitsAllocated;
}

export function allocate(info: PixelInfo, length: number): PixelArray {
  const signed = info.pixelRepresentation === 1;
  if (info.bitsAllocated <= 8) return signed && info.bitsAllocated === 8 ? new Int8Array(length) : new Uint8Array(length);
  if (info.bitsAllocated <= 16) return signed ? new Int16Array(length) : new Uint16Array(length);
  return signed ? new Int32Array(length) : new Uint32Array(length);
}

/**
 * Turn little-endian sample bytes (interleaved or planar) into typed values:
 * keep BitsStored bits below HighBit+1 and sign-extend when signed (PS3.5 8.1.1).
 */
export function unpackSamples(bytes: Uint8Array, info: PixelInfo, littleEndian: boolean, planar: boolean): PixelArray {
  const pixels = info.rows * info.columns;
  const spp = info.samplesPerPixel;
  const n = pixels * spp;
  const out = allocate(info, n);
  const bytesPer = info.bitsAllocated / 8;
  if (info.bitsAllocated === 1) {
    for (let i = 0; i < n; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
    return out;
  }
  // Raw values first, in a same-width unsigned view (typed arrays are host-endian = LE on every target).
  let raw: Uint8Array | Uint16Array | Uint32Array;
  if (bytesPer === 1) raw = bytes.subarray(0, n);
  else {
    const copy = new Uint8Array(n * bytesPer);
    copy.set(bytes.subarray(0, n * bytesPer));
    if (!littleEndian) swapBytes(copy, bytesPer);
    raw = bytesPer === 2 ? new Uint16Array(copy.buffer) : new Uint32Array(copy.buffer);
  }
  const shift = info.highBit + 1 - info.bitsStored;
  const needsMask = info.bitsStored < info.bitsAllocated || shift !== 0;
  const signed = info.pixelRepresentation === 1;
  const extend = 32 - info.bitsStored;
  const mask = info.bitsStored >= 32 ? 0xffffffff : (2 ** info.bitsStored - 1);
  for (let p = 0; p < pixels; p++) {
    for (let s = 0; s < spp; s++) {
      let v = raw[planar ? s * pixels + p : p * spp + s]!;
      if (needsMask) v = (v >>> shift) & mask;
      if (signed) v = (v << extend) >> extend;
      out[p * spp + s] = v;
    }
  }
  return out;
}

export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Stored values of one frame (interleaved, as decodeFrame returns with `raw`) back to
 * native bytes in the given byte order and planar configuration.
 */
export function packSamples(values: ArrayLike<number>, info: PixelInfo, littleEndian: boolean, planar: boolean): Uint8Array {
  const pixels = info.rows * info.columns;
  const spp = info.samplesPerPixel;
  const n = pixels * spp;
  if (info.bitsAllocated === 1) {
    const out = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) if (values[i]! & 1) out[i >> 3]! |= 1 << (i & 7);
    return out;
  }
  const bytesPer = info.bitsAllocated / 8;
  const out = new Uint8Array(n * bytesPer);
  const view = new DataView(out.buffer);
  const shift = info.highBit + 1 - info.bitsStored;
  const mask = info.bitsStored >= 32 ? 0xffffffff : 2 ** info.bitsStored - 1;
  for (let p = 0; p < pixels; p++) {
    for (let s = 0; s < spp; s++) {
      const v = ((values[p * spp + s]! & mask) << shift) >>> 0;
      const at = (planar ? s * pixels + p : p * spp + s) * bytesPer;
      if (bytesPer === 1) out[at] = v;
      else if (bytesPer === 2) view.setUint16(at, v, littleEndian);
      else view.setUint32(at, v, littleEndian);
    }
  }
  return out;
}
