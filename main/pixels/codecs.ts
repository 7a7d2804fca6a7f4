// Node registration of Cornerstone's WASM codecs with shared/pixels, so the CLI
// and workers decode JPEG baseline, JPEG-LS and JPEG 2000 frames (the renderer
// can register the same packages through its bundler). The packages are the ones
// @cornerstonejs/dicom-image-loader already depends on; their decode-only builds
// run in Node without a DOM.
import { createRequire } from 'node:module';
import { PixelDecodeError, registerFrameDecoder, type DecodedFragment, type FrameDecoder } from '../../shared/pixels';

interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
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
      const data = new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength).slice();
      const ybr = info.photometric.startsWith('YBR');
      return { data, photometric: codec.convertsYbr && ybr ? 'RGB' : undefined };
    } finally {
      decoder.delete?.();
    }
  };
}

let loaded: Promise<string[]> | undefined;

/** Loads the codecs once and registers them; resolves to the transfer syntaxes now decodable. */
export function registerNodeCodecs(): Promise<string[]> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const registered: string[] = [];
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
