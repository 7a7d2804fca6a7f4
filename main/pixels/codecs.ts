// Node registration of Cornerstone's codecs with shared/pixels, so the CLI and
// workers decode JPEG baseline, JPEG Lossless, JPEG-LS and JPEG 2000 frames (the
// renderer can register the same packages through its bundler), and re-encode
// redacted frames losslessly as JPEG-LS and JPEG 2000. The packages are the ones
// @cornerstonejs/dicom-image-loader already depends on; their WASM builds run in
// Node without a DOM (decode-only builds for decoding, full builds for encoding).
import { createRequire } from 'node:module';
import {
  PixelDecodeError,
  registerFrameDecoder,
  registerFrameEncoder,
  type DecodedFragment,
  type FrameDecoder,
  type FrameEncoder,
  type PixelInfo,
} from '../../shared/pixels';
import { packSamples } from '../../shared/pixels/native';

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  /** JPEG-LS only: 0 means the colour planes come one after the other. */
  getInterleaveMode?(): number;
  delete?(): void;
}
type CodecModule = Record<string, new () => WasmDecoder>;
type Factory = (options: object) => Promise<CodecModule>;

interface Codec {
  /** The package's decode-only WASM build (its `decodewasmjs` export). */
  pkg: string;
  decoder: string;
  syntaxes: string[];
  /** libjpeg converts YBR to RGB as it decodes (what cornerstone displays too). */
  convertsYbr?: boolean;
  /** Deepest samples the build decodes (the libjpeg-turbo build is 8-bit only). */
  maxBits?: number;
}

const codecs: Codec[] = [
  { pkg: '@cornerstonejs/codec-charls', decoder: 'JpegLSDecoder', syntaxes: ['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81'] },
  { pkg: '@cornerstonejs/codec-openjpeg', decoder: 'J2KDecoder', syntaxes: ['1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91'] },
  {
    pkg: '@cornerstonejs/codec-libjpeg-turbo-8bit',
   
    decoder: 'JPEGDecoder',
    syntaxes: ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51'],
    convertsYbr: true,
    maxBits: 8,
  },
];

function frameDecoder(module: CodecModule, codec: Codec): FrameDecoder {
  return (fragment, info): DecodedFragment => {
    if (codec.maxBits && info.bitsStored > codec.maxBits) {
      throw new PixelDecodeError('needs-codec', `${info.bitsStored}-bit JPEG needs a codec beyond ${codec.pkg}`);
    }
    const decoder = new module[codec.decoder]!();
    try {
      decoder.getEncodedBuffer(fragment.length).set(fragment);
      decoder.decode();
      const frame = decoder.getFrameInfo();
      if (frame.width !== info.columns || frame.height !== info.rows || frame.componentCount !== info.samplesPerPixel) {
        throw new Error(`codec frame ${frame.width}×${frame.height}×${frame.componentCount} does not match the header`);
      }
      const decoded = decoder.getDecodedBuffer();
      // A Uint8ClampedArray view on WASM memory: copy it out as plain bytes before delete().
      let data: Uint8Array = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength).slice();
      if (frame.componentCount > 1 && decoder.getInterleaveMode?.() === 0) data = interleave(data, frame.componentCount, Math.ceil(frame.bitsPerSample / 8));
      const ybr = info.photometric.startsWith('YBR');
      return { data, photometric: codec.convertsYbr && ybr ? 'RGB' : undefined };
    } finally {
      decoder.delete?.();
    }
  };
}

const JpegLossless = ['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'];

interface LosslessJpegDecoder {
  decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
  frame: { dimX: number; dimY: number; numComp: number; precision: number };
}

/** JPEG Lossless (process 14, any predictor) through the pure-JS decoder the image loader uses. */
function losslessJpegDecoder(Decoder: new () => LosslessJpegDecoder): FrameDecoder {
  return (fragment, info) => {
    if (info.bitsAllocated > 16) throw new PixelDecodeError('needs-codec', `${info.bitsAllocated}-bit JPEG Lossless is beyond the JS decoder`);
    if (info.samplesPerPixel > 1 && info.bitsAllocated > 8) throw new PixelDecodeError('needs-codec', 'JPEG Lossless colour deeper than 8 bits is beyond the JS decoder');
    const decoder = new Decoder();
    const out = decoder.decode(fragment.buffer as ArrayBuffer, fragment.byteOffset, fragment.length, info.bitsAllocated <= 8 ? 1 : 2);
    const { dimX, dimY, numComp } = decoder.frame;
    if (dimX !== info.columns || dimY !== info.rows || numComp !== info.samplesPerPixel) {
      throw new Error(`JPEG frame ${dimX}×${dimY}×${numComp} does not match the header`);
    }
    // Host-endian typed array = little-endian bytes: masked and sign-extended by shared/pixels.
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
}

interface WasmEncoder {
  getDecodedBuffer(frame: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean }): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  setDecompositions?(levels: number): void;
  setInterleaveMode?(mode: number): void;
  delete?(): void;
}

interface EncoderCodec {
  /** The package's full WASM build (its `wasmjs` export), which has the encoders. */
  pkg: string;
  encoder: string;
  syntax: string;
  /** JPEG 2000 components carry a sign; JPEG-LS codes the two's complement bits as unsigned (PS3.5 A.4.3). */
  signedComponents: boolean;
  maxSamples: number;
}

const encoderCodecs: EncoderCodec[] = [
  { pkg: '@cornerstonejs/codec-charls', encoder: 'JpegLSEncoder', syntax: '1.2.840.10008.1.2.4.80', signedComponents: false, maxSamples: 3 },
  // Colour would need the YBR_RCT photometric bookkeeping: single-sample only.
  { pkg: '@cornerstonejs/codec-openjpeg', encoder: 'J2KEncoder', syntax: '1.2.840.10008.1.2.4.90', signedComponents: true, maxSamples: 1 },
];

/** Depth handed to the codec: BitsStored, but never below what fills BitsAllocated's bytes (the decoders size their output by it). */
const codecBits = (info: PixelInfo): number => Math.max(info.bitsStored, info.bitsAllocated > 8 ? 9 : 2);

function frameEncoder(module: Record<string, new () => WasmEncoder>, codec: EncoderCodec): FrameEncoder {
  return (values, info) => {
    const encoder = new module[codec.encoder]!();
    try {
      const signed = codec.signedComponents && info.pixelRepresentation === 1;
      const buffer = encoder.getDecodedBuffer({ width: info.columns, height: info.rows, bitsPerSample: codecBits(info), componentCount: info.samplesPerPixel, isSigned: signed });
      if (signed) {
        // Sign-extended samples, one or two bytes each.
        const wide = info.bitsAllocated <= 8 ? Int8Array.from(values) : Int16Array.from(values);
        buffer.set(new Uint8Array(wide.buffer));
      } else {
        // Stored bit patterns, low-aligned (no HighBit shift), little endian, interleaved.
        buffer.set(packSamples(values, { ...info, highBit: info.bitsStored - 1, planarConfiguration: 0 }, true, false));
      }
      // Sample-interleaved JPEG-LS takes the buffer as it is (pixel by pixel).
      if (info.samplesPerPixel > 1) encoder.setInterleaveMode?.(2);
      // Five wavelet levels need a side of 64+; small icons get fewer.
      encoder.setDecompositions?.(Math.max(0, Math.min(5, Math.floor(Math.log2(Math.min(info.rows, info.columns))) - 1)));
      encoder.encode();
      return encoder.getEncodedBuffer().slice();
    } finally {
      encoder.delete?.();
    }
  };
}

let encoderModules: Promise<Array<[EncoderCodec, Record<string, new () => WasmEncoder>]>> | undefined;

/**
 * Registers the lossless encoders of the full WASM builds (loaded once; registering again,
 * e.g. after a test unregistered one, is free); resolves to the syntaxes now encodable.
 */
export async function registerNodeEncoders(): Promise<string[]> {
  encoderModules ??= (async () => {
    const require = createRequire(import.meta.url);
    const modules: Array<[EncoderCodec, Record<string, new () => WasmEncoder>]> = [];
    for (const codec of encoderCodecs) {
      let factory: Factory;
      try {
        const exported = require(`${codec.pkg}/wasmjs`) as Factory | { default: Factory };
        factory = typeof exported === 'function' ? exported : exported.default;
      } catch {
        continue; // package absent: that syntax falls back to RLE
      }
      const module = (await factory({ print: () => undefined, printErr: () => undefined })) as unknown as Record<string, new () => WasmEncoder>;
      if (module[codec.encoder]) modules.push([codec, module]);
    }
    return modules;
  })();
  const registered: string[] = [];
  for (const [codec, module] of await encoderModules) {
    const supports = (info: PixelInfo): boolean => info.samplesPerPixel <= codec.maxSamples && info.bitsStored <= 16 && info.bitsAllocated <= 16;
    registerFrameEncoder(codec.syntax, frameEncoder(module, codec), supports);
    registered.push(codec.syntax);
  }
  return registered;
}

/** Planar samples (all of plane 0, then plane 1 …) to pixel-interleaved. */
function interleave(planar: Uint8Array, components: number, bytesPerSample: number): Uint8Array {
  const out = new Uint8Array(planar.length);
  const pixels = planar.length / components / bytesPerSample;
  for (let c = 0; c < components; c++) {
    for (let p = 0; p < pixels; p++) {
      for (let b = 0; b < bytesPerSample; b++) out[(p * components + c) * bytesPerSample + b] = planar[(c * pixels + p) * bytesPerSample + b]!;
    }
  }
  return out;
}

let loaded: Promise<string[]> | undefined;

/**
 * Loads the decoders once and registers them; resolves to the transfer syntaxes now
 * decodable. Redaction also wants registerNodeEncoders (else it falls back to RLE).
 */
export function registerNodeCodecs(): Promise<string[]> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const registered: string[] = [];
    try {
      const { Decoder } = require('@cornerstonejs/jpeg-lossless-decoder-js') as { Decoder: new () => LosslessJpegDecoder };
      for (const uid of JpegLossless) {
        registerFrameDecoder(uid, losslessJpegDecoder(Decoder));
        registered.push(uid);
      }
    } catch {
      // package absent: JPEG Lossless stays "needs-codec"
    }
    for (const codec of codecs) {
      let factory: Factory;
      try {
        const exported = require(`${codec.pkg}/decodewasmjs`) as Factory | { default: Factory };
        factory = typeof exported === 'function' ? exported : exported.default;
      } catch {
        continue; // package absent: those syntaxes stay "needs-codec"
      }
      // openjpeg logs every header it reads; keep the CLI's output clean.
      const module = await factory({ print: () => undefined, printErr: () => undefined });
      for (const uid of codec.syntaxes) {
        registerFrameDecoder(uid, frameDecoder(module, codec));
        registered.push(uid);
      }
    }
    return registered;
  })();
  return loaded;
}
