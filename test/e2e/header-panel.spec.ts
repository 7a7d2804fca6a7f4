// The header panel shows every element, private ones marked, sequences nested.
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';
import { expect, openApp, openFixtureFiles, test } from './support';

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
  await sequence.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('ct-small-header.png') });
});
