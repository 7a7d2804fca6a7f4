// Public surface of Veil's pixel layer: frames of a DicomFile as typed arrays,
// 8-bit renderings for detectors, write-back for redaction, icon thumbnails and overlay planes.
export { frameCount, pixelInfo, type PixelInfo, type PaletteDescriptor } from './info';
export {
  decodeFrame,
  registerFrameDecoder,
  unregisterFrameDecoder,
  frameFragment,
  isNativeSyntax,
  syntaxName,
  PixelDecodeError,
  RleLossless,
  type DecodeOptions,
  type DecodedFragment,
  type Frame,
  type FrameDecoder,
  type PixelErrorCode,
} from './decode';
export { frameBits, type PixelArray } from './native';
export { toDisplay8, type Display8, type Window } from './display';
export { encodeNativeFrame, replaceFrames, setEncapsulatedFrames, type ReplaceOptions } from './write';
export { canEncode, encodeFrame, registerFrameEncoder, unregisterFrameEncoder, type FrameEncoder } from './encode';
export { iconImage, removeIcon, IconImageSequence } from './icon';
export { overlayPlanes, overlayMask, clearOverlayBoxes, removeOverlay, type OverlayBox, type OverlayPlane } from './overlay';
export { decodeRleFrame, encodeRleFrame } from './rle';
export { expandPalette, PaletteError } from './color';
