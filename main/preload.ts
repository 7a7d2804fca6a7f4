// The sandboxed preload: exposes exactly `VeilApi` as `window.veil`. Bundled
// to one CommonJS file (build/bundle-main.mjs): a sandboxed preload cannot
// require anything but `electron`.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  Channels,
  type DroppedItems,
  type ExportProgressEvent,
  type ProgressEvent,
  PushChannels,
  type ScanProgressEvent,
  type VeilApi,
} from '../shared/api/contract';

type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0];

/**
 * Dropped File objects → their paths on disk. Items may be Files or
 * `{ file, path }` records (the renderer's picked-file shape). Files that are
 * not on disk (made in the page) have no path and are left out.
 */
export function droppedPaths(items: DroppedItems, pathForFile: (file: DroppedFile) => string): string[] {
  if (typeof items !== 'object' || items === null || items.kind !== 'files' || !Array.isArray(items.files)) {
    throw new Error('openDropped expects { kind: "files", files } with the dropped File objects');
  }
  const paths: string[] = [];
  for (const item of items.files) {
    const file = typeof item === 'object' && item !== null && 'file' in item ? (item as { file: unknown }).file : item;
    try {
      const filePath = pathForFile(file as DroppedFile);
      if (filePath) paths.push(filePath);
    } catch {
      // Not a File: nothing to open.
    }
  }
  if (paths.length === 0) throw new Error('None of the dropped items is a file or folder on disk');
  return paths;
}

/** A push channel as a subscription; only the payload crosses over (the IPC event would hand the page ipcRenderer). */
function subscribe<T>(method: string, channel: string, listener: (event: T) => void): () => void {
  if (typeof listener !== 'function') throw new Error(`${method} expects a function`);
  const forward = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

export function createPreloadApi(): VeilApi {
  const invoke = (channel: string, ...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
  return {
    openFilesDialog: () => invoke(Channels.openFilesDialog),
    openFolderDialog: () => invoke(Channels.openFolderDialog),
    openDropped: async (items) => {
      const paths = droppedPaths(items, (file) => webUtils.getPathForFile(file));
      return invoke(Channels.openDropped, { kind: 'paths', paths });
    },
    openSample: () => invoke(Channels.openSample),
    openStartup: () => invoke(Channels.openStartup),
    openRecent: (source) => invoke(Channels.openRecent, source),
    recentStudies: () => invoke(Channels.recentStudies),
    readFile: (fileId) => invoke(Channels.readFile, fileId),
    onProgress: (listener) => subscribe<ProgressEvent>('onProgress', Channels.progress, listener),
    scanStudy: (fileIds, options) => (options === undefined ? invoke(Channels.scanStudy, fileIds) : invoke(Channels.scanStudy, fileIds, options)),
    cancelScan: () => invoke(Channels.cancelScan),
    onScanProgress: (listener) => subscribe<ScanProgressEvent>('onScanProgress', PushChannels.scanProgress, listener),
    chooseExportFolder: () => invoke(Channels.chooseExportFolder),
    exportStudy: (request) => invoke(Channels.exportStudy, request),
    cancelExport: () => invoke(Channels.cancelExport),
    openExportReport: () => invoke(Channels.openExportReport),
    saveProfileFile: (profile) => invoke(Channels.saveProfileFile, profile),
    loadProfileFile: () => invoke(Channels.loadProfileFile),
    chooseLinkageFile: () => invoke(Channels.chooseLinkageFile),
    defacePreview: (fileIds, options) => (options === undefined ? invoke(Channels.defacePreview, fileIds) : invoke(Channels.defacePreview, fileIds, options)),
    previewDeid: (fileId, profile) => (profile === undefined ? invoke(Channels.previewDeid, fileId) : invoke(Channels.previewDeid, fileId, profile)),
    onExportProgress: (listener) => subscribe<ExportProgressEvent>('onExportProgress', PushChannels.exportProgress, listener),
  };
}

contextBridge.exposeInMainWorld('veil', createPreloadApi());
