// Public surface of Veil's pixel layer: frames of a DicomFile as typed arrays,
// 8-bit renderings for detectors, and native write-back for redaction.
export { frameCount, pixelInfo, type PixelInfo, type PaletteDescriptor } from './info';
export {
  decodeFrame,
  registerFrameDecoder,
  unregisterFrameDecoder,
  frameFragment,
  isNativeSyntax,
  PixelDecodeError,
  RleLossless,
  type DecodeOptions,
  type DecodedFragment,
  type Frame,
  type FrameDecoder,
  type PixelErrorCode,
} from './decode';
export { type PixelArray } from './native';
export { toDisplay8, type Display8, type Window } from './display';
export { encodeNativeFrame, replaceFrames, type ReplaceOptions } from './write';
export { decodeRleFrame, encodeRleFrame } from './rle';
