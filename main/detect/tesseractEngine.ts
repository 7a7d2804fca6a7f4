// Veil's OCR in Node: tesseract.js (LSTM, English "best_int" weights from
// @tesseract.js-data/eng) fully offline — the traineddata is read from
// node_modules, never downloaded or cached elsewhere. One worker per engine,
// reused for every region; `terminate()` ends it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createScheduler, createWorker, OEM, PSM, type Scheduler, type Worker } from 'tesseract.js';
import type { Gray8, OcrEngine, OcrResult, OcrWord, TextCandidate } from '../../shared/detect';
import { prepareRegion } from '../../shared/detect';
import { unpackedPath } from '../app/locations';

const require = createRequire(import.meta.url);

/** The folder holding eng.traineddata.gz (the package ships it gzipped). */
export function englishLangPath(): string {
  return unpackedPath(join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int'));
}

/** Binary PGM (P5): leptonica reads it directly, so no PNG encode per region. */
export function encodePgm(image: Gray8): Buffer {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'ascii');
  return Buffer.concat([header, Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength)]);
}

export interface TesseractOptions {
  /** Page segmentation: 6 (one block) suits a pre-screened line; 11 (sparse) whole pictures. */
  psm: PSM;
  /** Further tesseract parameters (e.g. `tessedit_do_invert`), for experiments and benches. */
  parameters?: Record<string, string>;
}

async function englishWorker(options: Partial<TesseractOptions>): Promise<Worker> {
  const worker = await createWorker('eng', OEM.LSTM_ONLY, {
    langPath: englishLangPath(),
    // The worker script from the unpacked package: a worker thread cannot start inside app.asar.
    workerPath: unpackedPath(require.resolve('tesseract.js/src/worker-script/node/index.js')),
    cacheMethod: 'none',
    gzip: true,
  });
  await worker.setParameters({
    tessedit_pageseg_mode: options.psm ?? PSM.SINGLE_BLOCK,
    user_defined_dpi: '300',
    // Regions arrive dark on white (prepareRegion): tesseract's second, inverted read of every
    // unsure line only doubled the time on anatomy's texture (same recall on the labelled set).
    tessedit_do_invert: '0',
    ...options.parameters,
  });
  return worker;
}

/** Anything that runs a tesseract.js recognize job: one worker, or a scheduler over several. */
type Recognizer = Pick<Worker, 'recognize'>;

export class TesseractEngine implements OcrEngine {
  protected constructor(
    private readonly recognizer: Recognizer,
    private readonly end: () => Promise<unknown>,
  ) {}

  static async create(options: Partial<TesseractOptions> = {}): Promise<TesseractEngine> {
    const worker = await englishWorker(options);
    return new TesseractEngine(worker, () => worker.terminate());
  }

  async recognize(image: Gray8, region: TextCandidate): Promise<OcrResult> {
    const prepared = prepareRegion(image, region);
    const page = await this.readPage(prepared.image);
    return {
      ...page,
      words: page.words.map((w) => ({ ...w, box: prepared.toImage(w.box) })),
    };
  }

  /** Reads a whole picture as it is (no preprocessing): boxes in its pixels. */
  async readPage(image: Gray8): Promise<OcrResult> {
    const { data } = await this.recognizer.recognize(encodePgm(image), {}, { blocks: true, text: true });
    const words: OcrWord[] = [];
    for (const block of data.blocks ?? [])
      for (const paragraph of block.paragraphs)
        for (const line of paragraph.lines)
          for (const word of line.words) {
            const text = word.text.trim();
            if (!text) continue;
            const { x0, y0, x1, y1 } = word.bbox;
            words.push({ text, confidence: word.confidence / 100, box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
          }
    const confidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;
    return { text: words.map((w) => w.text).join(' '), confidence, words };
  }

  async terminate(): Promise<void> {
    await this.end();
  }
}

/**
 * Several tesseract.js workers (each its own thread) behind one engine: concurrent
 * `recognize` calls — e.g. two files scanned at once — run in parallel.
 */
export class TesseractPool extends TesseractEngine {
  static async start(workers = 2, options: Partial<TesseractOptions> = {}): Promise<TesseractPool> {
    const scheduler: Scheduler = createScheduler();
    const all = await Promise.all(Array.from({ length: workers }, () => englishWorker(options)));
    for (const worker of all) scheduler.addWorker(worker);
    const recognizer: Recognizer = { recognize: (...args) => scheduler.addJob('recognize', ...args) };
    return new TesseractPool(recognizer, () => scheduler.terminate());
  }
}
