// The header panel shows every element, private ones marked, sequences nested.
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { canvasStats, expect, measure, openApp, openFixtureFiles, test } from './support';

test('CT_small shows its private elements and the nested OtherPatientIDsSequence', async ({ page }, testInfo) => {
  await openApp(page);
  await openFixtureFiles(page, [join(fixtures.pydicom, 'CT_small.dcm')]);
  const panel = page.getByTestId('header-panel');
  await expect(panel).toContainText('CT_small.dcm');

  const privateRows = panel.locator('[data-testid=header-row][data-private=true]');
  // pydicom's CT_small has 179 private elements (see /work/shared/DATA.md), all at the top level here.
  await expect.poll(() => privateRows.count()).toBeGreaterThan(100);

  const sequence = panel.locator('[data-testid=header-row][data-tag="(0010,1002)"]');
  await expect(sequence).toHaveCount(1);
  await expect(sequence).toHaveAttribute('data-depth', '0');
  await sequence.getByTestId('header-toggle').click();
  // Open every item the sequence revealed (items may nest further).
  for (let round = 0; round < 4; round++) {
    const nested = panel.locator('[data-testid=header-row]:not([data-depth="0"]) [data-testid=header-toggle][aria-expanded=false]');
    const count = await nested.count();
    if (count === 0) break;
    for (let i = count - 1; i >= 0; i--) await nested.nth(i).click();
  }
  const nestedIds = panel.locator('[data-testid=header-row][data-tag="(0010,0020)"]:not([data-depth="0"])');
  await expect(nestedIds).toHaveCount(2);
  await expect(nestedIds.nth(0)).toContainText('ABCD1234');
  await expect(nestedIds.nth(1)).toContainText('1234ABCD');

  // Search lists matches at any depth: both nested other patient IDs.
  await page.getByTestId('header-search').fill('1234');
  const matches = panel.getByTestId('header-row');
  await expect(matches).toHaveCount(2);
  await expect(matches.filter({ hasText: 'ABCD1234' })).toHaveAttribute('data-depth', '2');
  await expect(matches.filter({ hasText: '1234ABCD' })).toHaveAttribute('data-depth', '2');
  await expect(matches.filter({ hasText: 'ABCD1234' })).toContainText('OtherPatientIDsSequence › Item 1');
  await expect(matches.filter({ hasText: '1234ABCD' })).toContainText('OtherPatientIDsSequence › Item 2');
  await page.screenshot({ path: testInfo.outputPath('ct-small-header-search.png') });
  await page.getByTestId('header-search').fill('');
  await sequence.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('ct-small-header.png') });
});

test('the Philips enhanced MR (6,407 private elements, 1,803 sequences, 176 frames) opens with its header browsable', async ({ page }, testInfo) => {
  await openApp(page);
  const start = Date.now();
  await openFixtureFiles(page, [join(fixtures.nibabel, 'philips_mprage.dcm')]);
  await expect(page.getByTestId('series-item')).toContainText('176 frames');
  const panel = page.getByTestId('header-panel');
  await expect(panel).toContainText('philips_mprage.dcm');
  await expect.poll(() => panel.locator('[data-testid=header-row]').count()).toBeGreaterThan(100);
  measure(testInfo, `23 MB enhanced MR: header panel filled ${Date.now() - start} ms after choosing the file`);
  // Private sequences nest: open the first private one and find private rows inside.
  const privateSequence = panel.locator('[data-testid=header-row][data-private=true][data-depth="0"]').filter({ has: page.getByTestId('header-toggle') }).first();
  await privateSequence.getByTestId('header-toggle').click();
  await expect(panel.locator('[data-testid=header-row]:not([data-depth="0"])').first()).toBeVisible();
  // All pixels are zero: the thumbnail is black, not a white square.
  await expect(page.locator('.thumbnail[data-state=ready]')).toHaveCount(1);
  const thumbnail = await canvasStats(page, '.thumbnail canvas');
  expect(thumbnail?.nonBlack).toBeLessThan(0.01);
  await page.screenshot({ path: testInfo.outputPath('philips-mprage-header.png') });
});
