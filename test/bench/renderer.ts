// Renderer figures on the production build in Debian's Chromium (software
// WebGL, llvmpipe), served with the app protocol's headers by `vite preview`:
// time to first image, time to volume ready, renderer memory, for the Cranium
// CT (108 slices) and the same head resampled to 500 slices. Each round is a
// fresh browser context (a fresh renderer process); medians are printed.
// Timestamps are taken inside the page (performance.now()), from the file
// input's `change` event / the mode button's `click` to a condition polled
// every 10 ms, so Playwright's round trips do not count.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { fixtures } from '../fixtures/paths';
import { chromiumArgs as baseChromiumArgs } from '../chromium';
import { rendererPageProbes } from './rendererProbes';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SeriesRound {
  /** File chooser answered → the new series is selected (indexing in the tab). */
  indexedMs: number;
  /** File chooser answered → the stack canvas shows the new series' middle slice. */
  firstImageMs: number;
  /** Click on "MPR" → the axial MPR canvas shows anatomy. */
  mprPictureMs: number;
  /** Click on "MPR" → every slice is in the volume (mpr-view data-state=ready). */
  volumeReadyMs: number;
  /** After the first image (stack view only). */
  stackMemory: MemorySample;
  /** Once the volume is ready in MPR. */
  volumeMemory: MemorySample;
}

/** Sampled after a forced full GC, so it is what the page keeps. */
export interface MemorySample {
  /**
   * performance.memory.usedJSHeapSize (precise): the page's main thread, V8 objects plus
   * ArrayBuffer backing stores (checked in Chromium 156: it equals the two CDP figures below summed).
   */
  jsHeapMB: number;
  /** CDP Runtime.getHeapUsage usedSize: V8 objects only. */
  v8ObjectsMB?: number;
  /** CDP Runtime.getHeapUsage backingStorageSize: ArrayBuffer (and external string) bytes of the main thread. */
  arrayBuffersMB?: number;
  /** performance.measureUserAgentSpecificMemory(): the same for the page and its decode workers together. */
  uaMemoryMB?: number;
  /** Resident set and proportional set size of the page's renderer process (includes worker threads). */
  rendererRssMB?: number;
  rendererPssMB?: number;
  /** Resident set of the GPU process (llvmpipe keeps textures there). */
  gpuRssMB?: number;
}

export interface SeriesFigures {
  name: string;
  files: number;
  megabytes: number;
  rounds: SeriesRound[];
}

export interface RendererFigures {
  chromium: string;
  webgl: string;
  series: SeriesFigures[];
  error?: string;
}

const chromiumArgs = [
  ...baseChromiumArgs(),
  // Unrounded performance.memory, and measureUserAgentSpecificMemory() without its random delay.
  '--enable-precise-memory-info',
  '--enable-blink-features=ForceEagerMeasureMemory',
];

/** Builds the renderer into its own folder (test runs may be serving dist/renderer) and serves it. */
async function serveBuild(): Promise<{ server: PreviewServer; url: string }> {
  const outDir = path.resolve(repo, process.env.VEIL_BENCH_OUT ?? 'dist/bench-renderer');
  const port = Number(process.env.VEIL_BENCH_PORT ?? 4273);
  const configFile = path.join(repo, 'vite.config.ts');
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  // preview.headers in vite.config.ts are the app protocol's securityHeaders().
  const server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true } });
  return { server, url: `http://127.0.0.1:${port}/` };
}

function procMB(pid: number, file: string, field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** RSS/PSS of the largest renderer and of the GPU process, found through CDP SystemInfo. */
async function processMemory(browser: Browser): Promise<Pick<MemorySample, 'rendererRssMB' | 'rendererPssMB' | 'gpuRssMB'>> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> };
    const renderers = processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => ({ pid: p.id, rss: procMB(p.id, 'status', 'VmRSS') ?? 0 }))
      .sort((a, b) => b.rss - a.rss);
    const gpu = processInfo.find((p) => p.type.toLowerCase() === 'gpu');
    const page = renderers[0];
    return {
      rendererRssMB: page?.rss,
      rendererPssMB: page ? procMB(page.pid, 'smaps_rollup', 'Pss') : undefined,
      gpuRssMB: gpu ? procMB(gpu.id, 'status', 'VmRSS') : undefined,
    };
  } catch {
    return {};
  } finally {
    await cdp.detach();
  }
}

async function pageMemory(page: Page): Promise<Pick<MemorySample, 'jsHeapMB' | 'uaMemoryMB'>> {
  return page.evaluate(async () => {
    const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN;
    const measure = (performance as unknown as { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> })
      .measureUserAgentSpecificMemory;
    let ua: number | undefined;
    if (crossOriginIsolated && measure) {
      try {
        ua = (await Promise.race([measure.call(performance), new Promise<never>((_, reject) => setTimeout(reject, 15_000))])).bytes;
      } catch {
        ua = undefined;
      }
    }
    return { jsHeapMB: heap / 1e6, uaMemoryMB: ua === undefined ? undefined : ua / 1e6 };
  });
}

/**
 * Page memory after a full garbage collection (CDP HeapProfiler.collectGarbage), so the figures
 * are what the page keeps, not garbage V8 has not collected yet.
 */
async function pageMemoryAfterGc(page: Page): Promise<Omit<MemorySample, 'rendererRssMB' | 'rendererPssMB' | 'gpuRssMB'>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const inPage = await pageMemory(page);
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    return {
      ...inPage,
      v8ObjectsMB: usage.usedSize / 1e6,
      arrayBuffersMB: usage.backingStorageSize === undefined ? undefined : usage.backingStorageSize / 1e6,
    };
  } finally {
    await cdp.detach();
  }
}

async function sampleMemory(browser: Browser, page: Page): Promise<MemorySample> {
  return { ...(await pageMemoryAfterGc(page)), ...(await processMemory(browser)) };
}

async function oneRound(browser: Browser, url: string, files: string[]): Promise<SeriesRound> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Nothing may leave the origin (there is no network here anyway).
  await context.route((target) => !target.href.startsWith(url) && !/^(data|blob):/.test(target.href), (route) => route.abort('blockedbyclient'));
  try {
    const page = await context.newPage();
    await page.goto(url);
    // Browser mode opens the bundled sample first; wait for it to settle.
    await page.getByTestId('series-item').first().waitFor();
    await page.getByTestId('progress').waitFor({ state: 'detached' });
    await page.evaluate(rendererPageProbes.install);

    const opening = page.evaluate(rendererPageProbes.awaitFirstImage, { frames: files.length, timeoutMs: 120_000 });
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-files').click();
    await (await chooser).setFiles(files);
    const opened = await opening;
    const stackMemory = await sampleMemory(browser, page);

    const loading = page.evaluate(rendererPageProbes.awaitVolume, { timeoutMs: 180_000 });
    await page.getByTestId('mode-mpr').click();
    const volume = await loading;

    const volumeMemory = await sampleMemory(browser, page);
    return { ...opened, ...volume, stackMemory, volumeMemory };
  } finally {
    await context.close();
  }
}

function megabytes(files: string[]): number {
  return files.reduce((sum, file) => sum + statSync(file).size, 0) / 1e6;
}

export async function benchRenderer(series: Array<{ name: string; files: string[] }>, rounds = 3): Promise<RendererFigures> {
  let served: Awaited<ReturnType<typeof serveBuild>>;
  let browser: Browser;
  try {
    served = await serveBuild();
  } catch (error) {
    return { chromium: '?', webgl: '?', series: [], error: `renderer build failed: ${String(error).split('\n')[0]}` };
  }
  const { server, url } = served;
  try {
    browser = await chromium.launch({ executablePath: process.env.VEIL_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
  } catch (error) {
    server.httpServer.close();
    return { chromium: '?', webgl: '?', series: [], error: `Chromium did not start: ${String(error).split('\n')[0]}` };
  }
  const figures: RendererFigures = { chromium: browser.version(), webgl: '?', series: [] };
  try {
    const probe = await browser.newPage();
    await probe.goto(url);
    await probe.evaluate(rendererPageProbes.install);
    figures.webgl = await probe.evaluate(rendererPageProbes.webglRenderer);
    await probe.close();
    for (const { name, files } of series) {
      const entry: SeriesFigures = { name, files: files.length, megabytes: megabytes(files), rounds: [] };
      figures.series.push(entry);
      for (let r = 0; r < rounds; r++) entry.rounds.push(await oneRound(browser, url, files));
    }
  } catch (error) {
    figures.error = error instanceof Error ? error.message.split('\n')[0] : String(error);
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
  return figures;
}

/** The bench's two series: Cranium as fetched, and Cranium resampled to 500 slices. */
export async function benchSeries(resampled: string[]): Promise<Array<{ name: string; files: string[] }>> {
  const { readdirSync } = await import('node:fs');
  const cranium = readdirSync(fixtures.craniumDicom)
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .map((name) => path.join(fixtures.craniumDicom, name));
  return [
    { name: `Cranium CT, ${cranium.length} slices`, files: cranium },
    { name: `Cranium resampled, ${resampled.length} slices`, files: resampled },
  ];
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = Math.floor(finite.length / 2);
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

export function printRenderer(f: RendererFigures): void {
  console.log(`\nRenderer, production build in Chromium ${f.chromium} (WebGL: ${f.webgl}), headless 1400×900, median of fresh tabs`);
  const seconds = (name: string, values: number[]) => {
    const s = median(values) / 1000;
    console.log(`  ${name.padEnd(34)} ${s.toFixed(3).padStart(8)} s   [${values.map((v) => (v / 1000).toFixed(2)).join(', ')}]`);
  };
  const memory = (rounds: SeriesRound[], name: string, pick: (m: MemorySample) => number | undefined, note: string) => {
    const at = (stage: 'stackMemory' | 'volumeMemory') => {
      const m = median(rounds.map((r) => pick(r[stage]) ?? NaN));
      return (Number.isFinite(m) ? m.toFixed(0) : 'n/a').padStart(6);
    };
    console.log(`  ${name.padEnd(34)} ${at('stackMemory')} ${at('volumeMemory')} MB  ${note}`);
  };
  for (const s of f.series) {
    console.log(`${s.name}, ${s.megabytes.toFixed(1)} MB, ${s.rounds.length} rounds`);
    const rounds = s.rounds;
    seconds('indexed in the tab (browser mode)', rounds.map((r) => r.indexedMs));
    seconds('time to first image (stack)', rounds.map((r) => r.firstImageMs));
    seconds('MPR: first axial picture', rounds.map((r) => r.mprPictureMs));
    seconds('time to volume ready (MPR)', rounds.map((r) => r.volumeReadyMs));
    console.log(`  ${'memory after a forced GC'.padEnd(34)}  stack    MPR`);
    memory(rounds, 'performance.memory usedJSHeapSize', (m) => m.jsHeapMB, 'page main thread: V8 objects + ArrayBuffers');
    memory(rounds, '  V8 objects', (m) => m.v8ObjectsMB, 'CDP Runtime.getHeapUsage usedSize');
    memory(rounds, '  ArrayBuffers', (m) => m.arrayBuffersMB, 'CDP Runtime.getHeapUsage backingStorageSize (pixels, file bytes)');
    memory(rounds, 'page + workers (UA-specific)', (m) => m.uaMemoryMB, 'performance.measureUserAgentSpecificMemory()');
    memory(rounds, 'renderer process RSS', (m) => m.rendererRssMB, "/proc VmRSS of the tab's renderer process (all threads)");
    memory(rounds, 'renderer process PSS', (m) => m.rendererPssMB, 'same, shared pages divided among processes');
    memory(rounds, 'GPU process RSS', (m) => m.gpuRssMB, 'whole browser; llvmpipe keeps textures here');
  }
  if (f.error) console.log(`  stopped: ${f.error}`);
  console.log('  (times: from the file chooser answered / the MPR click, measured in the page; memory: stack = after the first image, MPR = volume ready)');
}
