// Lossless frame encoders, the mirror of the decoder hook: RLE is built in, the
// JPEG family comes from the host (WASM encoders registered by main/pixels).
// Redaction re-encodes only with these, so nothing it writes is ever lossy.
import type { PixelInfo } from './info';
import { packSamples, type PixelArray } from './native';
import { encodeRleFrame } from './rle';
import { RleLossless } from './decode';

/** Encode one frame of stored values (pixel-interleaved) to one fragment, losslessly. */
export type FrameEncoder = (values: PixelArray, info: PixelInfo) => Uint8Array;

interface Registered {
  encode: FrameEncoder;
  /** Which images the encoder handles (bit depth, samples); all when absent. */
  supports?: (info: PixelInfo) => boolean;
}

const encoders = new Map<string, Registered>();

export function registerFrameEncoder(transferSyntaxUID: string, encode: FrameEncoder, supports?: (info: PixelInfo) => boolean): void {
  encoders.set(transferSyntaxUID, { encode, supports });
}

export function unregisterFrameEncoder(transferSyntaxUID: string): void {
  encoders.delete(transferSyntaxUID);
}

/** Whether frames (of this image, when given) can be encoded in this encapsulated syntax (RLE always). */
export function canEncode(transferSyntaxUID: string, info?: PixelInfo): boolean {
  if (transferSyntaxUID === RleLossless) return true;
  const registered = encoders.get(transferSyntaxUID);
  return !!registered && (!info || !registered.supports || registered.supports(info));
}

export function encodeFrame(values: PixelArray, info: PixelInfo, transferSyntaxUID: string): Uint8Array {
  if (transferSyntaxUID === RleLossless) {
    const bytesPer = Math.ceil(info.bitsAllocated / 8);
    const bytes = packSamples(values, { ...info, planarConfiguration: 0 }, true, false);
    return encodeRleFrame(bytes, info.rows * info.columns, info.samplesPerPixel, bytesPer);
  }
  const registered = encoders.get(transferSyntaxUID);
  if (!registered) throw new Error(`No encoder registered for ${transferSyntaxUID}`);
  if (registered.supports && !registered.supports(info)) throw new Error(`The ${transferSyntaxUID} encoder cannot encode ${info.bitsStored}-bit × ${info.samplesPerPixel} samples`);
  return registered.encode(values, info);
}
