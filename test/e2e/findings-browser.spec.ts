// Browser mode (no preload): the privacy scan runs in the tab with the shared
// engine, on the bundled sample and on files the user picks.
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { expect, openApp, openFixtureFiles, test } from './support';

test('browser mode lists the sample\'s header PHI per series, computed in the tab', async ({ page }, testInfo) => {
  await openApp(page);
  const panel = page.getByTestId('findings-panel');
  await expect(panel).toHaveAttribute('data-state', 'done');
  await expect(panel.getByTestId('findings-series')).toHaveCount(1);
  const patientId = panel.locator('[data-testid=finding][data-tag="(0010,0020)"]');
  await expect(patientId).toContainText('Patient ID');
  await expect(patientId).toContainText('20 of 20 files');
  await patientId.getByText('DICOM tag').click();
  await expect(patientId.getByTestId('finding-tag')).toHaveText('(0010,0020)');
  expect(await panel.innerText()).not.toContain('123565');
  // The pixels are not read for burned-in text in the browser, and the panel says so.
  await expect(panel.getByTestId('findings-unchecked')).toHaveAttribute('data-count', '20');
  await expect(panel.getByTestId('findings-unchecked')).toContainText('desktop app');
  await page.screenshot({ path: testInfo.outputPath('findings-browser-sample.png') });
});

test('browser mode finds names nested in sequences; without a folder picker, export needs the desktop app', async ({ page }, testInfo) => {
  // A browser without the File System Access API (Firefox, Safari).
  await page.addInitScript(() => delete (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker);
  await openApp(page);
  await openFixtureFiles(page, [join(fixtures.pydicom, 'CT_small.dcm')]);
  const panel = page.getByTestId('findings-panel');
  await expect(panel).toHaveAttribute('data-state', 'done');
  // CT_small carries OtherPatientIDsSequence (two items): each nested PatientID is found, said to be inside it.
  const nested = panel.locator('[data-testid=finding][data-tag="(0010,0020)"]').filter({ hasText: 'inside Other Patient IDs Sequence' });
  await expect(nested).toHaveCount(2);
  await nested.first().getByText('DICOM tag').click();
  await expect(nested.first().getByTestId('finding-tag')).toHaveText('(0010,1002)[0].(0010,0020)');
  await expect(panel.locator('[data-testid=finding][data-tag="(0010,0010)"]').first()).toContainText('A person’s name');
  const unavailable = page.getByTestId('export-unavailable');
  await unavailable.scrollIntoViewIfNeeded();
  await expect(unavailable).toContainText('Exporting needs the Veil desktop app');
  await expect(page.getByTestId('export-start')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('findings-browser-ct-small.png') });
});
