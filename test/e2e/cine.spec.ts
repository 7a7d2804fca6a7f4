// The octave-dicom echo: US, PALETTE COLOR, RLE, 10 frames. It must show in
// colour and play.
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { canvasStats, expect, measure, openApp, openFixtureFiles, stackCanvas, test, waitForPicture } from './support';

test('the palette-colour RLE echo cine shows in colour and its frames change while playing', async ({ page }, testInfo) => {
  await openApp(page);
  await openFixtureFiles(page, [join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')]);
  await expect(page.getByTestId('series-item')).toContainText('10 frames');
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  const first = await waitForPicture(page, stackCanvas, 0.02);
  // PALETTE COLOR (PS3.3 C.7.6.3.1.5) is expanded to RGB, not shown as grey indices.
  expect(first.chroma).toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('echo-first.png') });

  // Frame Time (0018,1063) is 76 ms: the clip's own rate, 13 fps, is the default.
  await expect(page.getByTestId('cine-fps')).toHaveValue('13');
  await page.getByTestId('cine-fps').fill('20');
  await page.getByTestId('cine-play').click();
  const hashes = new Set<string>();
  const positions = new Set<string>();
  // Count frame changes in the page itself, to measure the rate actually shown.
  const changes = page.evaluate(async () => {
    const position = document.querySelector('[data-testid=slice-position]');
    let count = 0;
    const observer = new MutationObserver(() => count++);
    if (position) observer.observe(position, { subtree: true, childList: true, characterData: true });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    observer.disconnect();
    return count;
  });
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(150);
    const stats = await canvasStats(page, stackCanvas);
    if (stats) hashes.add(stats.hash);
    positions.add((await page.getByTestId('slice-position').textContent()) ?? '');
  }
  measure(testInfo, `cine at 20 fps requested: ${((await changes) / 2).toFixed(1)} frame changes/s shown (600×430 palette colour)`);
  await page.screenshot({ path: testInfo.outputPath('echo-playing.png') });
  expect(positions.size).toBeGreaterThan(2);
  expect(hashes.size).toBeGreaterThan(2);

  // Opening something else while the clip plays stops it cleanly (no errors from a destroyed viewport).
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('series-item')).toContainText('20 images');
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  await page.waitForTimeout(1000);
  await expect(page.getByTestId('slice-position')).toHaveText('11/20');
});
