// Public surface of the detectors. Burned-in text: pre-screen → OCR (an engine
// supplied by the host) → classification → findings and redaction boxes.
export { textPlanes, type Box, type Gray8, type PlaneName, type TextPlanes } from './text/image';
export { prescreenText, defaultPrescreenOptions, type PrescreenOptions, type Polarity, type TextCandidate } from './text/prescreen';
export { prepareRegion, type PreparedRegion, type PrepareOptions } from './text/preprocess';
export { type OcrEngine, type OcrResult, type OcrWord } from './text/ocr';
export { foldOcr } from './text/vocabulary';
export { classifyText, approximateSubstring, type ClassifiedWord, type ClassifyOptions, type TextClass, type TextClassification, type TextReason } from './text/classify';
export {
  scanTextInFile,
  scanPictures,
  pixelPicture,
  iconPicture,
  overlayPictures,
  toScanFinding,
  toRedactionBox,
  type CancelSignal,
  type PictureName,
  type ScanTextOptions,
  type TextFinding,
  type TextPicture,
  type TextScanStats,
} from './text/scanText';
export * from './face';
export * from './marker';
export { cachedOcr, type CachedOcr } from './text/ocrCache';
export { exactMemory, frameMemory, frameSources, pixelDescription, type ExactMemory, type FrameMemory, type FrameSource, type ScannedFrame } from './text/frameMemory';
