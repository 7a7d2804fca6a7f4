// decodeFrame: one frame of a DicomFile as typed values, whatever the transfer
// syntax. Native and RLE are decoded here; other encapsulated syntaxes go through
// decoders registered by the host (WASM codecs in Node or the renderer).
import { Tags, TransferSyntax, concatBytes, type DicomFile, type EncapsulatedPixels } from '../dicom';
import { expand422, expandPalette, ybrFullToRgb } from './color';
import { pixelInfo, type PixelInfo } from './info';
import { frameBits, unpackSamples, type PixelArray } from './native';
import { decodeRleFrame } from './rle';

export const RleLossless = '1.2.840.10008.1.2.5';

export interface Frame {
  /** Pixel-interleaved samples, rows × columns × samples. */
  data: PixelArray;
  rows: number;
  columns: number;
  samples: number;
  /** Colour model of `data`: RGB after YBR/palette conversion, else the stored one. */
  photometric: string;
}

export interface DecodeOptions {
  /** Stored values only: no YBR → RGB, no palette expansion (what redaction writes back). */
  raw?: boolean;
}

export type PixelErrorCode = 'needs-codec' | 'no-pixels' | 'bad-frame' | 'corrupt';

export class PixelDecodeError extends Error {
  constructor(readonly code: PixelErrorCode, message: string, readonly transferSyntaxUID?: string) {
    super(message);
    this.name = 'PixelDecodeError';
  }
}

/**
 * A host-supplied decoder for one compressed frame. It returns stored values as
 * little-endian interleaved bytes (or a typed array) with the file's bits allocated,
 * and the colour model of what it returns when the codec converted it (JPEG YBR → RGB).
 */
export type FrameDecoder = (fragment: Uint8Array, info: PixelInfo) => Uint8Array | PixelArray | DecodedFragment;

export interface DecodedFragment {
  data: Uint8Array | PixelArray;
  photometric?: string;
}

const decoders = new Map<string, FrameDecoder>();

export function registerFrameDecoder(transferSyntaxUID: string, decoder: FrameDecoder): void {
  decoders.set(transferSyntaxUID, decoder);
}

export function unregisterFrameDecoder(transferSyntaxUID: string): void {
  decoders.delete(transferSyntaxUID);
}

const codecNames: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K Lossless',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
};

const nativeNames: Record<string, string> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
  [RleLossless]: 'RLE Lossless',
};

/** A transfer syntax's name for notes and errors (the UID when unknown). */
export function syntaxName(uid: string): string {
  return codecNames[uid] ?? nativeNames[uid] ?? uid;
}

export function isNativeSyntax(uid: string): boolean {
  return (Object.values(TransferSyntax) as string[]).includes(uid);
}

/**
 * The bytes of frame `index` in encapsulated data (PS3.5 A.4): by the Basic Offset
 * Table when present, else one fragment per frame, else all fragments for one frame.
 */
export function frameFragment(enc: EncapsulatedPixels, index: number, frames: number): Uint8Array {
  const { fragments, offsetTable } = enc;
  if (offsetTable.length >= 4 * frames && frames > 1) {
    const view = new DataView(offsetTable.buffer, offsetTable.byteOffset, offsetTable.byteLength);
    const start = view.getUint32(index * 4, true);
    const end = index + 1 < frames ? view.getUint32((index + 1) * 4, true) : Infinity;
    const parts: Uint8Array[] = [];
    let at = 0;
    for (const f of fragments) {
      if (at >= start && at < end) parts.push(f);
      at += f.length + 8; // each fragment item has an 8-byte header
    }
    return concat(parts);
  }
  if (fragments.length === frames) return fragments[index]!;
  if (frames === 1) return concat(fragments);
  throw new PixelDecodeError('bad-frame', `Cannot map ${fragments.length} fragments to ${frames} frames without an offset table`);
}

function concat(parts: Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}

function storedValues(file: DicomFile, info: PixelInfo, index: number): { data: PixelArray; photometric?: string } {
  const el = file.dataset.get(Tags.PixelData);
  if (!el || (el.bytes.length === 0 && !el.encapsulated)) throw new PixelDecodeError('no-pixels', 'The file has no pixel data (or was read header-only)');
  const pixels = info.rows * info.columns;
  const ts = file.transferSyntaxUID;
  if (el.encapsulated) {
    const fragment = frameFragment(el.encapsulated, index, info.frames);
    if (ts === RleLossless) {
      const bytesPer = Math.ceil(info.bitsAllocated / 8);
      let bytes: Uint8Array;
      try {
        bytes = decodeRleFrame(fragment, pixels, info.samplesPerPixel, bytesPer);
      } catch (e) {
        throw new PixelDecodeError('corrupt', (e as Error).message, ts);
      }
      return { data: unpackSamples(bytes, info, true, false) };
    }
    const decoder = decoders.get(ts);
    if (!decoder) throw new PixelDecodeError('needs-codec', `${codecNames[ts] ?? ts} pixel data needs a codec that is not loaded`, ts);
    let out: ReturnType<FrameDecoder>;
    try {
      out = decoder(fragment, info);
    } catch (e) {
      if (e instanceof PixelDecodeError) throw e.transferSyntaxUID ? e : new PixelDecodeError(e.code, e.message, ts);
      // Emscripten codecs throw bare numbers (pointers to C++ exceptions).
      const reason = e instanceof Error ? e.message : `codec error ${String(e)}`;
      throw new PixelDecodeError('corrupt', `${codecNames[ts] ?? ts}: ${reason}`, ts);
    }
    const decoded = ArrayBuffer.isView(out) ? { data: out } : out;
    // Bytes go through the same masking and sign extension as native data.
    const data = decoded.data instanceof Uint8Array ? unpackSamples(decoded.data, { ...info, planarConfiguration: 0 }, true, false) : decoded.data;
    return { data, photometric: decoded.photometric };
  }
  const bits = frameBits(info);
  const startBit = bits * index;
  if (info.bitsAllocated === 1) {
    // 1-bit frames need not start on a byte boundary: re-align to bit 0.
    const n = pixels * info.samplesPerPixel;
    const aligned = new Uint8Array(Math.ceil(n / 8));
    for (let i = 0; i < n; i++) {
      const b = startBit + i;
      if ((el.bytes[b >> 3]! >> (b & 7)) & 1) aligned[i >> 3]! |= 1 << (i & 7);
    }
    return { data: unpackSamples(aligned, info, true, false) };
  }
  const start = startBit / 8;
  let bytes = el.bytes.subarray(start, start + bits / 8);
  if (bytes.length < bits / 8) throw new PixelDecodeError('bad-frame', `Frame ${index} is beyond the pixel data (${el.bytes.length} bytes)`);
  const le = file.dataset.littleEndian;
  if (!le && info.bitsAllocated === 8 && el.vr === 'OW') {
    // 8-bit samples in OW under big endian are swapped in pairs (PS3.5 8.2).
    bytes = bytes.slice();
    for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1]!, bytes[i]!];
  }
  if (info.photometric === 'YBR_FULL_422') return { data: expand422(bytes, info.rows, info.columns), photometric: 'YBR_FULL' };
  return { data: unpackSamples(bytes, info, le, info.samplesPerPixel > 1 && info.planarConfiguration === 1) };
}

/** Image Pixel module values no frame can be laid out with (PS3.3 C.7.6.3.1), as a typed error. */
function checkPixelModule(info: PixelInfo): void {
  // (0 × 0 is tolerated: it lays out as an empty frame, and real files carry it.)
  const count = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;
  const problem = !count(info.rows, 0, 0xffff) || !count(info.columns, 0, 0xffff)
    ? `${info.rows} × ${info.columns} pixels`
    : ![1, 8, 16, 32].includes(info.bitsAllocated)
      ? `Bits Allocated ${info.bitsAllocated} (not 1, 8, 16 or 32)`
      : !count(info.samplesPerPixel, 1, 4)
        ? `Samples per Pixel ${info.samplesPerPixel}`
        : undefined;
  if (problem) throw new PixelDecodeError('corrupt', `The image cannot be laid out: ${problem}`);
}

export function decodeFrame(file: DicomFile, index: number, options: DecodeOptions = {}, info = pixelInfo(file)): Frame {
  if (index < 0 || index >= info.frames || !Number.isInteger(index)) {
    throw new PixelDecodeError('bad-frame', `Frame ${index} out of range (0..${info.frames - 1})`);
  }
  checkPixelModule(info);
  const stored = storedValues(file, info, index);
  let data = stored.data;
  let samples = info.samplesPerPixel;
  let photometric = stored.photometric ?? info.photometric;
  if (!options.raw) {
    if (photometric === 'PALETTE COLOR') {
      data = expandPalette(file, info, data);
      samples = 3;
      photometric = 'RGB';
    } else if (photometric === 'YBR_FULL' && data instanceof Uint8Array) {
      ybrFullToRgb(data);
      photometric = 'RGB';
    }
  }
  return { data, rows: info.rows, columns: info.columns, samples, photometric };
}
