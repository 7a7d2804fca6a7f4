// The window's other ways in and the viewport's mouse tools, on real scans.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from '@playwright/test';
import { fixtures } from '../fixtures/paths';
import { canvasStats, expect, openApp, openFixtureFiles, stackCanvas, test, waitForPicture } from './support';

/** Drops real files on the window the way a file manager does (a DataTransfer of Files). */
async function dropFiles(page: Page, paths: string[]): Promise<void> {
  const files = paths.map((path) => ({ name: basename(path), base64: readFileSync(path).toString('base64') }));
  await page.evaluate((payload) => {
    const transfer = new DataTransfer();
    for (const { name, base64 } of payload) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], name, { type: 'application/dicom' }));
    }
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files);
}

test('the page is cross-origin isolated and served with the app protocol headers', async ({ page }) => {
  const response = await page.goto('./');
  const headers = response?.headers() ?? {};
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('series-item')).toHaveCount(1);
});

test('files dropped on the window open, with a progress indicator while they are read', async ({ page }, testInfo) => {
  await openApp(page);
  // Record whether the progress indicator ever showed (the open is quick).
  await page.evaluate(() => {
    const seen = ((window as unknown as { progressSeen: string[] }).progressSeen = [] as string[]);
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=progress]')?.textContent;
      if (text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const brain = ['brain_005.dcm', 'brain_006.dcm', 'brain_007.dcm', 'brain_008.dcm'].map((name) => join(fixtures.daikonBrain, name));
  await dropFiles(page, [...brain, join(fixtures.pydicom, 'CT_small.dcm')]);
  await expect(page.getByTestId('opened-source')).toHaveText('5 files');
  await expect(page.getByTestId('series-item')).toHaveCount(2);
  await expect(page.getByTestId('series-item').filter({ hasText: 'FSE PD AXIAL OBL' })).toContainText('4 images');
  const progress = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  expect(progress.some((text) => /\d+\/5/.test(text))).toBe(true);

  // Every series gets a thumbnail with a picture in it.
  await expect(page.locator('.thumbnail[data-state=ready]')).toHaveCount(2);
  const uids = await page.getByTestId('series-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-series-uid')));
  for (const uid of uids) {
    const stats = await canvasStats(page, `[data-series-uid="${uid}"] .thumbnail canvas`);
    expect(stats?.nonBlack).toBeGreaterThan(0.05);
  }
  await page.screenshot({ path: testInfo.outputPath('dropped.png') });
});

test('CT window presets (brain, lung, bone) change what CT_small shows', async ({ page }, testInfo) => {
  await openApp(page);
  await openFixtureFiles(page, [join(fixtures.pydicom, 'CT_small.dcm')]);
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  await waitForPicture(page);
  const readouts: Record<string, string> = { lung: 'W 1500 L -600', brain: 'W 80 L 40', bone: 'W 1800 L 400' };
  const means: Record<string, number> = {};
  const hashes = new Set<string>();
  for (const preset of ['lung', 'brain', 'bone']) {
    await page.getByTestId(`voi-${preset}`).click();
    await page.waitForTimeout(300);
    const stats = await waitForPicture(page);
    await expect(page.getByTestId('voi-readout')).toHaveText(readouts[preset]);
    means[preset] = stats.mean;
    hashes.add(stats.hash);
    await page.screenshot({ path: testInfo.outputPath(`ct-small-${preset}.png`) });
  }
  expect(hashes.size).toBe(3);
  // Soft tissue and fat (−100…60 HU) sit near the top of the lung window (−1350…150):
  // almost white. The brain window (0…80) turns fat black; the bone window
  // (−500…1300) leaves soft tissue dark grey.
  expect(means.lung).toBeGreaterThan(means.brain + 30);
  expect(means.lung).toBeGreaterThan(means.bone + 30);
});

test('ctrl+wheel and right drag zoom, middle drag pans, without changing the slice', async ({ page }) => {
  await openApp(page);
  const viewport = page.getByTestId('stack-viewport');
  await expect(viewport).toHaveAttribute('data-ready', 'true');
  const start = await waitForPicture(page);
  const position = await page.getByTestId('slice-position').textContent();
  const box = await viewport.boundingBox();
  if (!box) throw new Error('viewport has no box');
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

  await page.mouse.move(centre.x, centre.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await expect(page.getByTestId('slice-position')).toHaveText(position ?? '');
  // Zoomed in: the head fills more of the canvas, the dark corners shrink.
  await expect.poll(async () => (await canvasStats(page, stackCanvas))?.nonBlack ?? 0).toBeGreaterThan(start.nonBlack + 0.02);
  const zoomed = await waitForPicture(page);

  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(centre.x, centre.y + 120, { steps: 6 });
  await page.mouse.up({ button: 'right' });
  await expect.poll(async () => (await canvasStats(page, stackCanvas))?.hash).not.toBe(zoomed.hash);
  const rightZoomed = await waitForPicture(page);

  await page.mouse.move(centre.x, centre.y);
  await page.mouse.down({ button: 'middle' });
  await page.mouse.move(centre.x + 150, centre.y + 60, { steps: 6 });
  await page.mouse.up({ button: 'middle' });
  await expect.poll(async () => (await canvasStats(page, stackCanvas))?.hash).not.toBe(rightZoomed.hash);
  await expect(page.getByTestId('slice-position')).toHaveText(position ?? '');
});
