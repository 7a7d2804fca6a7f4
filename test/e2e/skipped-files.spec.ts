// A folder with broken files: the good ones open, every other one is listed
// with a reason (nothing disappears silently).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { expect, openApp, openFixtureFolder, test, waitForPicture } from './support';

test('a folder with a text file, an empty file, a truncated DICOM and a 0-byte DICOMDIR opens the good files and lists the rest', async ({ page }, testInfo) => {
  const folder = testInfo.outputPath('bad-folder');
  mkdirSync(folder, { recursive: true });
  for (const name of ['brain_009.dcm', 'brain_010.dcm', 'brain_011.dcm']) copyFileSync(join(fixtures.daikonBrain, name), join(folder, name));
  writeFileSync(join(folder, 'notes.txt'), 'Patient said the scan was fine.\n');
  writeFileSync(join(folder, 'empty.dcm'), '');
  const whole = readFileSync(join(fixtures.daikonBrain, 'brain_012.dcm'));
  writeFileSync(join(folder, 'truncated.dcm'), whole.subarray(0, 700));
  writeFileSync(join(folder, 'DICOMDIR'), '');

  await openApp(page);
  await openFixtureFolder(page, folder);
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await expect(page.getByTestId('series-item')).toContainText('3 images');
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  await waitForPicture(page);

  const skipped = page.getByTestId('skipped-item');
  await expect(skipped).toHaveCount(4);
  for (const name of ['notes.txt', 'empty.dcm', 'truncated.dcm', 'DICOMDIR']) {
    const item = skipped.filter({ hasText: name });
    await expect(item).toHaveCount(1);
    // Each one says why, in words.
    await expect(item.locator('.skipped-reason')).toHaveText(/\w{4,}/);
  }
  await page.screenshot({ path: testInfo.outputPath('skipped-files.png') });
});

test('a CD-style folder with a DICOMDIR (pydicom TINY_ALPHA) opens every referenced file and says why the DICOMDIR itself is skipped', async ({ page }, testInfo) => {
  await openApp(page);
  await openFixtureFolder(page, join(fixtures.pydicom, 'dicomdirtests', 'TINY_ALPHA'));
  await expect(page.getByTestId('opened-source')).toHaveText('Folder TINY_ALPHA');
  // pydicom stripped the pixel data of these 50 CT files: listed, headers readable, no picture.
  await expect(page.getByTestId('series-item')).toHaveCount(1);
  await expect(page.getByTestId('series-item')).toContainText('50 files, no images');
  await expect(page.getByTestId('viewport-empty')).toBeVisible();
  await expect(page.getByTestId('header-panel')).toContainText('Citizen^Jan');
  const dicomdir = page.getByTestId('skipped-item').filter({ hasText: 'TINY_ALPHA/DICOMDIR' });
  await expect(dicomdir).toContainText('referenced files are read directly');
  await expect(page.getByTestId('skipped-item')).toHaveCount(2);
  await page.screenshot({ path: testInfo.outputPath('tiny-alpha.png') });
});
