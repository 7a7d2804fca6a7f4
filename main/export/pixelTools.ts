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
let tesseractTimes: TesseractTimes | undefined;

/** `VEIL_TIMINGS=1`: when (ms since the process started) tesseract was started and ready, and OCR's first ask and last answer. */
interface TesseractTimes {
  workers: number;
  started?: number;
  ready?: number;
  firstAsk?: number;
  lastAnswer?: number;
}

/**
 * Tesseract, started by `warm` or the first `recognize`. In the main thread (one export thread)
 * OCR is most of the work: one tesseract thread per core; export workers each start one.
 */
function lazyTesseract(times?: TesseractTimes): OcrEngine & { warm(): void } {
  let engine: Promise<TesseractEngine> | undefined;
  const workers = isMainThread ? Math.min(2, availableParallelism()) : 1;
  const begin = (): Promise<TesseractEngine> => (workers > 1 ? TesseractPool.start(workers) : TesseractEngine.create());
  const start = (): Promise<TesseractEngine> => {
    if (!times) return begin();
    times.workers = workers;
    times.started = performance.now();
    return begin().then((e) => {
      times.ready = performance.now();
      return e;
    });
  };
  const recognize: OcrEngine['recognize'] = (image, region) => (engine ??= start()).then((e) => e.recognize(image, region));
  return {
    warm: () => {
      // A failed start is reported by the first `recognize` that awaits it.
      (engine ??= start()).catch(() => undefined);
    },
    recognize: times
      ? async (image, region) => {
          times.firstAsk ??= performance.now();
          const result = await recognize(image, region);
          times.lastAnswer = performance.now();
          return result;
        }
      : recognize,
    terminate: async () => {
      const started = engine;
      engine = undefined;
      if (started) await started.then((e) => e.terminate(), () => undefined);
    },
  };
}

export function pixelTools(): Promise<PixelTools> {
  tools ??= (async () => {
    const timing = process.env.VEIL_TIMINGS === '1';
    const times: TesseractTimes | undefined = timing ? { workers: 0 } : undefined;
    const tesseract = lazyTesseract(times);
    tesseract.warm();
    await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
    // Copies of a series repeat their text and often whole frames (and the check re-reads what
    // the fill left): each region and each frame is read once, and filled once.
    const stages: PixelStages | undefined = timing ? { now: () => performance.now(), detect: 0, fill: 0, verify: 0 } : undefined;
    tesseractTimes = times;
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
    const at = (n?: number): string => (n === undefined ? '-' : `${(n / 1000).toFixed(2)} s`);
    const times = tesseractTimes;
    const tesseract = times
      ? `; tesseract (${times.workers} workers) started at ${at(times.started)}, ready at ${at(times.ready)}, OCR asked from ${at(times.firstAsk)} to ${at(times.lastAnswer)}`
      : '';
    process.stderr.write(
      `veil timing: pixels (this thread) detect ${ms(t.stages.detect)}, fill ${ms(t.stages.fill)}, verify ${ms(t.stages.verify)}; ` +
        `frames ${reuse(t.frames)}, fills ${reuse(t.fills)}, OCR regions ${reuse(ocr)}${tesseract}\n`,
    );
  }
  await t.ocr.terminate();
}
