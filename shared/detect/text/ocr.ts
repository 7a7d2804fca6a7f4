// The OCR seam: engines live outside shared/ (tesseract.js in Node, later a
// browser build in the renderer); the scan only needs this shape.
import type { Box, Gray8 } from './image';
import type { TextCandidate } from './prescreen';

export interface OcrWord {
  text: string;
  /** In the pixels of the image given to `recognize`. */
  box: Box;
  /** 0..1. */
  confidence: number;
}

export interface OcrResult {
  text: string;
  /** 0..1, the mean of the words'. */
  confidence: number;
  words: OcrWord[];
}

export interface OcrEngine {
  /** Reads the text of one candidate region of `image` (preprocessing is the engine's job, see `prepareRegion`). */
  recognize(image: Gray8, region: TextCandidate): Promise<OcrResult>;
  /** Frees workers; the engine is unusable afterwards. */
  terminate(): Promise<void>;
}
