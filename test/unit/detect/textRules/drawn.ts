// What the textRules tests share: a draw of the labelled set (real slices with text drawn by
// test/fixtures/burnedText.ts), one tesseract for the file, and the tokens a scan misses.
import { afterAll, beforeAll } from 'vitest';
import { TesseractEngine } from '../../../../main/detect/tesseractEngine';
import { registerNodeCodecs } from '../../../../main/pixels/codecs';
import { scanPictures } from '../../../../shared/detect';
import { buildBurnedTextSet, emptyScore, scoreImage, type LabelledImage } from '../../../fixtures/burnedText';

/** Image `index` of draw `seed`. */
export const drawn = (seed: number, index: number): LabelledImage => buildBurnedTextSet(index + 1, seed)[index]!;

/** Starts tesseract before the file's tests and ends it after; the engine once started. */
export function withTesseract(): () => TesseractEngine {
  let tesseract: TesseractEngine | undefined;
  beforeAll(async () => {
    await registerNodeCodecs();
    tesseract = await TesseractEngine.create();
  });
  afterAll(() => tesseract?.terminate());
  return () => tesseract!;
}

/** The identifying tokens a scan of `image` misses, as the bench lists them. */
export async function missed(tesseract: TesseractEngine, image: LabelledImage): Promise<string[]> {
  const findings = await scanPictures([{ image: 'pixels', frames: 1, display: () => image.display }], tesseract, image.identifiers);
  const score = emptyScore();
  scoreImage(image, findings, score);
  return score.missed;
}
