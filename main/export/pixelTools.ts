// What Clean Pixel Data needs in Node, once per thread: the WASM codecs (decode
// and lossless re-encode) and an OCR engine. Started on the first file that asks;
// closePixelTools ends the OCR worker so a CLI run can exit.
import { cachedOcr } from '../../shared/detect';
import type { PixelTools } from '../../shared/export';
import { TesseractEngine } from '../detect/tesseractEngine';
import { registerNodeCodecs, registerNodeEncoders } from '../pixels/codecs';

let tools: Promise<PixelTools> | undefined;

export function pixelTools(): Promise<PixelTools> {
  tools ??= (async () => {
    await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
    // Copies of a series repeat their text (and the check re-reads what the fill left): read once.
    return { ocr: cachedOcr(await TesseractEngine.create()) };
  })();
  return tools;
}

export async function closePixelTools(): Promise<void> {
  const started = tools;
  tools = undefined;
  if (started) await started.then((t) => t.ocr.terminate(), () => undefined);
}
