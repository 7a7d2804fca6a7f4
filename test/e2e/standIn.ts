// The sandboxed preload stood in for Chromium without Electron: `window.veil`
// with every method of the contract, each a call over one page binding to a
// handler in the test's Node process under main's own channel names. Bytes
// cross as base64 (bindings carry JSON); main's pushes reach the page's
// listeners through the function this returns.
import type { Page } from '@playwright/test';
import { Channels, PushChannels, type Channel } from '../../shared/api/contract';

export type RequestChannel = Exclude<Channel, typeof Channels.progress>;

export type StandInHandler = (channel: RequestChannel, args: unknown[]) => Promise<unknown>;

/** Installs `window.veil`; returns how to push an event to the page (as main's `sender.send`). */
export async function installVeilStandIn(page: Page, handle: StandInHandler): Promise<(channel: string, payload: unknown) => void> {
  await page.exposeBinding('__veilInvoke', async (_source, channel: RequestChannel, args: unknown[]) => {
    const result = await handle(channel, args);
    if (result instanceof ArrayBuffer || result instanceof Uint8Array) return { base64: Buffer.from(result as Uint8Array).toString('base64') };
    return result;
  });
  await page.addInitScript(
    ({ channels, push }) => {
      type Invoke = (channel: string, args: unknown[]) => Promise<unknown>;
      const invoke = (window as unknown as { __veilInvoke: Invoke }).__veilInvoke;
      const request =
        (channel: string) =>
        (...args: unknown[]) =>
          invoke(channel, args);
      const listeners = new Map<string, Set<(event: unknown) => void>>();
      const subscribe = (channel: string) => (listener: (event: unknown) => void) => {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(listener);
        return () => set.delete(listener);
      };
      (window as unknown as { __veilPush(channel: string, event: unknown): void }).__veilPush = (channel, event) =>
        listeners.get(channel)?.forEach((listener) => listener(event));
      (window as unknown as { veil: unknown }).veil = {
        openFilesDialog: request(channels.openFilesDialog),
        openFolderDialog: request(channels.openFolderDialog),
        // Dropped files need the real preload (webUtils.getPathForFile).
        openDropped: () => Promise.reject(new Error('not used here')),
        openSample: request(channels.openSample),
        openStartup: request(channels.openStartup),
        openRecent: request(channels.openRecent),
        recentStudies: request(channels.recentStudies),
        readFile: async (fileId: string) => {
          const { base64 } = (await invoke(channels.readFile, [fileId])) as { base64: string };
          return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
        },
        onProgress: subscribe(channels.progress),
        scanStudy: request(channels.scanStudy),
        cancelScan: request(channels.cancelScan),
        onScanProgress: subscribe(push.scanProgress),
        chooseExportFolder: request(channels.chooseExportFolder),
        exportStudy: request(channels.exportStudy),
        cancelExport: request(channels.cancelExport),
        openExportReport: request(channels.openExportReport),
        saveProfileFile: request(channels.saveProfileFile),
        loadProfileFile: request(channels.loadProfileFile),
        chooseLinkageFile: request(channels.chooseLinkageFile),
        onExportProgress: subscribe(push.exportProgress),
        previewDeid: request(channels.previewDeid),
        defacePreview: request(channels.defacePreview),
      };
    },
    { channels: Channels, push: PushChannels },
  );
  return (channel, payload) => {
    if (page.isClosed()) return;
    page
      .evaluate(({ channel, payload }) => (window as unknown as { __veilPush(c: string, p: unknown): void }).__veilPush(channel, payload), { channel, payload })
      .catch(() => undefined);
  };
}
