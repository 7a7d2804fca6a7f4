// Writing frames back as native pixel data (same bits, representation and
// planar configuration), for redaction. Encapsulated inputs become Explicit VR
// Little Endian, or RLE Lossless / a registered lossless encoder's syntax when
// asked (never a lossy syntax).
import { DataElement, Tags, TransferSyntax, concatBytes, setValue, type DicomFile } from '../dicom';
import { pixelInfo, PixelTags, type PixelInfo } from './info';
import { isNativeSyntax, RleLossless, type Frame } from './decode';
import { encodeFrame } from './encode';
import { packSamples, type PixelArray } from './native';

/** One frame of stored values (decodeFrame with `raw`) to native bytes for `file`. */
export function encodeNativeFrame(values: ArrayLike<number>, info: PixelInfo, littleEndian = true, planar = info.planarConfiguration === 1): Uint8Array {
  return packSamples(values, info, littleEndian, info.samplesPerPixel > 1 && planar);
}

export interface ReplaceOptions {
  /** For encapsulated inputs: write RLE Lossless instead of Explicit VR Little Endian. */
  rle?: boolean;
  /**
   * The syntax to write: RLE or one with a registered lossless encoder (see encode.ts), for
   * any input; a native UID makes compressed inputs Explicit VR Little Endian (native inputs
   * keep their own). Wins over `rle`.
   */
  transferSyntaxUID?: string;
}

/**
 * Replace every frame's pixels in `file` (in place) with `frames` (raw stored values,
 * one per frame). Native files keep their syntax and byte order; compressed files
 * are rewritten losslessly and their transfer syntax updated. Returns the syntax written.
 */
export function replaceFrames(file: DicomFile, frames: ReadonlyArray<Frame | PixelArray>, options: ReplaceOptions = {}): string {
  const info = pixelInfo(file);
  if (frames.length !== info.frames) throw new Error(`Expected ${info.frames} frames, got ${frames.length}`);
  // Frames may be in another colour model than the header says: native YBR_FULL_422
  // comes back as YBR_FULL, JPEG YBR as RGB (the codec converted it). The header follows.
  const models = new Set(frames.map((f) => (ArrayBuffer.isView(f) ? info.photometric : f.photometric)));
  if (models.size !== 1) throw new Error('Frames in different colour models');
  const photometric = [...models][0]!;
  if (photometric === 'YBR_FULL_422') throw new Error('YBR_FULL_422 needs the frames from decodeFrame (as YBR_FULL)');
  if (photometric !== info.photometric) {
    setValue(file.dataset, PixelTags.Photometric, photometric, 'CS');
    info.photometric = photometric;
  }
  const values = frames.map((f) => (ArrayBuffer.isView(f) ? f : f.data));
  const old = file.dataset.get(Tags.PixelData);
  const native = isNativeSyntax(file.transferSyntaxUID);
  const vr = old?.vr === 'OB' || old?.vr === 'OW' ? old.vr : info.bitsAllocated <= 8 ? 'OB' : 'OW';
  if (native && (options.transferSyntaxUID === undefined || isNativeSyntax(options.transferSyntaxUID))) {
    const le = file.dataset.littleEndian;
    const bytes = concatFrames(values.map((v) => encodeNativeFrame(v, info, le)), info);
    file.dataset.set(new DataElement(Tags.PixelData, vr, bytes));
    return file.transferSyntaxUID;
  }
  const target = options.transferSyntaxUID ?? (options.rle ? RleLossless : TransferSyntax.ExplicitVRLittleEndian);
  if (!isNativeSyntax(target)) {
    const encInfo = { ...info, planarConfiguration: 0 };
    setEncapsulatedFrames(file, values.map((v) => encodeFrame(v, encInfo, target)), target);
  } else {
    const bytes = concatFrames(values.map((v) => encodeNativeFrame(v, info, true, false)), info);
    file.dataset.set(new DataElement(Tags.PixelData, info.bitsAllocated <= 8 ? 'OB' : 'OW', bytes));
    setSyntax(file, TransferSyntax.ExplicitVRLittleEndian);
  }
  if (info.samplesPerPixel > 1) setValue(file.dataset, PixelTags.PlanarConfiguration, 0, 'US');
  return file.transferSyntaxUID;
}

/**
 * Store one fragment per frame as encapsulated Pixel Data (PS3.5 A.4) in `uid`, with a
 * Basic Offset Table for multi-frame data; odd fragments get the trailing pad byte.
 */
export function setEncapsulatedFrames(file: DicomFile, fragments: Uint8Array[], uid: string): void {
  const even = fragments.map((f) => (f.length % 2 ? padded(f) : f));
  let offsetTable = new Uint8Array(0);
  if (even.length > 1) {
    offsetTable = new Uint8Array(4 * even.length);
    const view = new DataView(offsetTable.buffer);
    let at = 0;
    even.forEach((f, i) => {
      view.setUint32(4 * i, at, true);
      at += f.length + 8;
    });
  }
  file.dataset.set(new DataElement(Tags.PixelData, 'OB', new Uint8Array(0), undefined, { offsetTable, fragments: even }));
  setSyntax(file, uid);
}

function padded(f: Uint8Array): Uint8Array {
  const out = new Uint8Array(f.length + 1);
  out.set(f);
  return out;
}

function setSyntax(file: DicomFile, uid: string): void {
  file.transferSyntaxUID = uid;
  if (file.meta.has(Tags.TransferSyntaxUID)) setValue(file.meta, Tags.TransferSyntaxUID, uid, 'UI');
}

function concatFrames(parts: Uint8Array[], info: PixelInfo): Uint8Array {
  if (info.bitsAllocated === 1) {
    // Frames are bit-contiguous (PS3.5 8.1.1): pack them again across byte boundaries.
    const per = info.rows * info.columns * info.samplesPerPixel;
    const out = new Uint8Array(Math.ceil((per * parts.length) / 8) + 1 & ~1);
    parts.forEach((p, f) => {
      for (let i = 0; i < per; i++) if ((p[i >> 3]! >> (i & 7)) & 1) { const b = f * per + i; out[b >> 3]! |= 1 << (b & 7); }
    });
    return out;
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  return concatBytes(parts, total + (total & 1)); // even length (PS3.5 7.1)
}
