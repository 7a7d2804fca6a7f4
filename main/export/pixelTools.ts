// What Clean Pixel Data needs in Node, once per thread: the WASM codecs (decode
// and lossless re-encode), an OCR engine and the memory of frames scanned. Started
// on the first file that asks, tesseract at once too: every copy is read again by
// OCR, and its workers' ~0.4 s start then overlaps the first file's decode and fill
// instead of holding up its first region. closePixelTools ends it so a CLI run can exit.
import { cachedOcr, frameMemory, type CachedOcr, type OcrEngine } from '../../shared/detect';
import type { PixelStages, PixelTools } from '../../shared/export';
import { fillMemory } from '../../shared/redact';
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { TesseractEngine, TesseractPool } from '../detect/tesseractEngine';
import { registerNodeCodecs, registerNodeEncoders } from '../pixels/codecs';

let tools: Promise<PixelTools> | undefined;

/**
 * Tesseract, started by `warm` or the first `recognize`. In the main thread (one export thread)
 * OCR is most of the work: one tesseract thread per core; export workers each start one.
 */
function lazyTesseract(): OcrEngine & { warm(): void } {
  let engine: Promise<TesseractEngine> | undefined;
  const workers = isMainThread ? Math.min(2, availableParallelism()) : 1;
  const start = (): Promise<TesseractEngine> => (workers > 1 ? TesseractPool.start(workers) : TesseractEngine.create());
  return {
    warm: () => {
      // A failed start is reported by the first `recognize` that awaits it.
      (engine ??= start()).catch(() => undefined);
    },
    recognize: (image, region) => (engine ??= start()).then((e) => e.recognize(image, region)),
    terminate: async () => {
      const started = engine;
      engine = undefined;
      if (started) await started.then((e) => e.terminate(), () => undefined);
    },
  };
}

export function pixelTools(): Promise<PixelTools> {
  tools ??= (async () => {
    const tesseract = lazyTesseract();
    tesseract.warm();
    await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
    // Copies of a series repeat their text and often whole frames (and the check re-reads what
    // the fill left): each region and each frame is read once, and filled once.
    const stages: PixelStages | undefined = process.env.VEIL_TIMINGS === '1' ? { now: () => performance.now(), detect: 0, fill: 0, verify: 0 } : undefined;
    return { ocr: cachedOcr(tesseract), frames: frameMemory(), fills: fillMemory(), ...(stages ? { stages } : {}) };
  })();
  return tools;
}

export async function closePixelTools(): Promise<void> {
  const started = tools;
  tools = undefined;
  if (!started) return;
  const t = await started.catch(() => undefined);
  if (!t) return;
  if (t.stages) {
    // `VEIL_TIMINGS=1` (benches): this thread's pixel stages, wall time, and what was reused.
    const ms = (n: number): string => `${n.toFixed(0)} ms`;
    const ocr = t.ocr as CachedOcr;
    const reuse = (m?: { hits: number; misses: number }): string => (m ? `${m.hits} reused / ${m.misses} new` : '-');
    process.stderr.write(
      `veil timing: pixels (this thread) detect ${ms(t.stages.detect)}, fill ${ms(t.stages.fill)}, verify ${ms(t.stages.verify)}; ` +
        `frames ${reuse(t.frames)}, fills ${reuse(t.fills)}, OCR regions ${reuse(ocr)}\n`,
    );
  }
  await t.ocr.terminate();
}
