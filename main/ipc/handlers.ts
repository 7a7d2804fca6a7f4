// One handler per request channel of the contract. Each handler checks who is
// asking (the app's own top frame only) and what is asked (validate.ts), then
// calls the Electron-free `Studies`.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  type Channel,
  Channels,
  type ExportProgressEvent,
  type OpenResult,
  type ProgressEvent,
  PushChannels,
  type ScanProgressEvent,
} from '../../shared/api/contract';
import type { Exports } from '../app/exports';
import { readProfileFile, writeProfileFile } from '../app/profileFiles';
import type { PreviewFile } from '../app/preview';
import type { PreviewDeface } from '../app/defacePreview';
import type { Studies } from '../app/studies';
import { isAppUrl } from '../protocol/scheme';
import {
  expectArgumentCount,
  expectNoArguments,
  InvalidRequestError,
  parseDroppedPaths,
  parseExportRequest,
  parseFileId,
  parseFileIds,
  parseProfileText,
  parseDefacePreviewOptions,
  parsePreviewRequest,
  parseScanOptions,
  parseSource,
} from './validate';

export type RequestChannel = Exclude<Channel, typeof Channels.progress>;
export type IpcHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

export interface IpcDependencies {
  studies: Pick<Studies, 'openPaths' | 'openSample' | 'openRecent' | 'recentStudies' | 'readFile'>;
  /** The native open dialog; null or [] when cancelled. */
  chooseOpenPaths(kind: 'files' | 'folder', sender: WebContents): Promise<string[] | null>;
  /** Paths given on the command line (empty: open the sample). */
  startupPaths(): readonly string[];
  /** Scan and export; without it those channels answer "not available". */
  exports?: Pick<
    Exports,
    'scan' | 'cancelScan' | 'export' | 'cancel' | 'approveFolder' | 'isApproved' | 'lastReport' | 'approveLinkageFile' | 'isLinkageFileApproved'
  >;
  /** The native choose-folder dialog for an export; null when cancelled. */
  chooseExportFolder?(sender: WebContents): Promise<string | null>;
  /** Opens a report file with the system's handler (shell.openPath). */
  openReport?(filePath: string): Promise<void>;
  /** Native dialogs for profile files (save / open) and the linkage CSV (save); null when cancelled. */
  chooseProfileSavePath?(sender: WebContents): Promise<string | null>;
  chooseProfileOpenPath?(sender: WebContents): Promise<string | null>;
  chooseLinkageFile?(sender: WebContents): Promise<string | null>;
  /** The header diff of one file under a profile (main/app/preview.ts); without it the channel answers "not available". */
  preview?: PreviewFile;
  /** A series defaced for the viewer's before / after (main/app/defacePreview.ts); without it "not available". */
  defacePreview?: PreviewDeface;
}

export function createIpcHandlers(deps: IpcDependencies): Record<RequestChannel, IpcHandler> {
  const { studies } = deps;

  const openFromDialog = async (event: IpcMainInvokeEvent, kind: 'files' | 'folder'): Promise<OpenResult | null> => {
    const paths = await deps.chooseOpenPaths(kind, event.sender);
    return paths && paths.length > 0 ? studies.openPaths(paths, progressTo(event.sender)) : null;
  };

  const handlers: Record<RequestChannel, IpcHandler> = {
    [Channels.openFilesDialog]: async (event, ...args) => {
      expectNoArguments('openFilesDialog', args);
      return openFromDialog(event, 'files');
    },
    [Channels.openFolderDialog]: async (event, ...args) => {
      expectNoArguments('openFolderDialog', args);
      return openFromDialog(event, 'folder');
    },
    [Channels.openDropped]: async (event, ...args) => {
      expectArgumentCount('openDropped', args, 1);
      return studies.openPaths(parseDroppedPaths(args[0]), progressTo(event.sender));
    },
    [Channels.openSample]: async (event, ...args) => {
      expectNoArguments('openSample', args);
      return studies.openSample(progressTo(event.sender));
    },
    [Channels.openStartup]: async (event, ...args) => {
      expectNoArguments('openStartup', args);
      const paths = deps.startupPaths();
      return paths.length > 0 ? studies.openPaths(paths, progressTo(event.sender)) : studies.openSample(progressTo(event.sender));
    },
    [Channels.openRecent]: async (event, ...args) => {
      expectArgumentCount('openRecent', args, 1);
      return studies.openRecent(parseSource(args[0]), progressTo(event.sender));
    },
    [Channels.recentStudies]: async (_event, ...args) => {
      expectNoArguments('recentStudies', args);
      return studies.recentStudies();
    },
    [Channels.readFile]: async (_event, ...args) => {
      expectArgumentCount('readFile', args, 1);
      return studies.readFile(parseFileId(args[0]));
    },
    [Channels.scanStudy]: async (event, ...args) => {
      if (args.length !== 1 && args.length !== 2) throw new InvalidRequestError('scanStudy takes the file ids and optional { pixels }');
      const fileIds = parseFileIds('scanStudy', args[0]);
      const { pixels } = parseScanOptions(args[1]);
      return exportsOrRefuse().scan(fileIds, { pixels, onProgress: scanProgressTo(event.sender) });
    },
    [Channels.cancelScan]: async (_event, ...args) => {
      expectNoArguments('cancelScan', args);
      return exportsOrRefuse().cancelScan();
    },
    [Channels.chooseExportFolder]: async (event, ...args) => {
      expectNoArguments('chooseExportFolder', args);
      const exports = exportsOrRefuse();
      if (!deps.chooseExportFolder) throw new InvalidRequestError('Choosing an export folder is not available');
      const folder = await deps.chooseExportFolder(event.sender);
      // The dialog's answer is the only way a folder becomes writable for exportStudy.
      if (folder) exports.approveFolder(folder);
      return folder || null;
    },
    [Channels.exportStudy]: async (event, ...args) => {
      expectArgumentCount('exportStudy', args, 1);
      const exports = exportsOrRefuse();
      const request = parseExportRequest(
        args[0],
        (folder) => exports.isApproved(folder),
        (file) => exports.isLinkageFileApproved(file),
      );
      return exports.export(request, exportProgressTo(event.sender));
    },
    [Channels.saveProfileFile]: async (event, ...args) => {
      const text = parseProfileText(args);
      if (!deps.chooseProfileSavePath) throw new InvalidRequestError('Saving a profile file is not available');
      const file = await deps.chooseProfileSavePath(event.sender);
      if (!file) return null;
      await writeProfileFile(file, text);
      return file;
    },
    [Channels.loadProfileFile]: async (event, ...args) => {
      expectNoArguments('loadProfileFile', args);
      if (!deps.chooseProfileOpenPath) throw new InvalidRequestError('Loading a profile file is not available');
      const file = await deps.chooseProfileOpenPath(event.sender);
      return file ? readProfileFile(file) : null;
    },
    [Channels.chooseLinkageFile]: async (event, ...args) => {
      expectNoArguments('chooseLinkageFile', args);
      const exports = exportsOrRefuse();
      if (!deps.chooseLinkageFile) throw new InvalidRequestError('Choosing a linkage file is not available');
      const file = await deps.chooseLinkageFile(event.sender);
      // As with the export folder: the dialog's answer is the only place a linkage file may go.
      if (file) exports.approveLinkageFile(file);
      return file || null;
    },
    [Channels.cancelExport]: async (_event, ...args) => {
      expectNoArguments('cancelExport', args);
      return exportsOrRefuse().cancel();
    },
    [Channels.openExportReport]: async (_event, ...args) => {
      expectNoArguments('openExportReport', args);
      // Only the report main itself wrote last: the renderer names no file.
      const report = exportsOrRefuse().lastReport;
      if (!report || !deps.openReport) throw new InvalidRequestError('There is no export report to open');
      await deps.openReport(report);
    },
    [Channels.previewDeid]: async (_event, ...args) => {
      const { fileId, profile } = parsePreviewRequest(args);
      if (!deps.preview) throw new InvalidRequestError('The export preview is not available');
      return deps.preview(fileId, profile);
    },
    [Channels.defacePreview]: async (_event, ...args) => {
      if (args.length !== 1 && args.length !== 2) throw new InvalidRequestError('defacePreview takes the file ids of one series and optional { fill, ears }');
      const fileIds = parseFileIds('defacePreview', args[0]);
      const options = parseDefacePreviewOptions(args[1]);
      if (!deps.defacePreview) throw new InvalidRequestError('The defacing preview is not available');
      return deps.defacePreview(fileIds, options);
    },
  };

  function exportsOrRefuse(): NonNullable<IpcDependencies['exports']> {
    if (!deps.exports) throw new InvalidRequestError('Scanning and exporting are not available');
    return deps.exports;
  }

  for (const channel of Object.keys(handlers) as RequestChannel[]) {
    const handler = handlers[channel];
    handlers[channel] = async (event, ...args) => {
      assertTrustedSender(event);
      return handler(event, ...args);
    };
  }
  return handlers;
}

export function registerIpcHandlers(ipcMain: IpcMain, handlers: Record<RequestChannel, IpcHandler>): void {
  for (const channel of Object.keys(handlers) as RequestChannel[]) {
    ipcMain.handle(channel, handlers[channel]);
  }
}

/**
 * Only the app's own top-level page may call main: not a subframe, not a page
 * that somehow navigated elsewhere (Electron security checklist, "validate the
 * sender of all IPC messages").
 */
export function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
    throw new InvalidRequestError('Refused: the request did not come from the Veil window');
  }
}

function scanProgressTo(sender: WebContents): (event: ScanProgressEvent) => void {
  return (event) => {
    if (!sender.isDestroyed()) sender.send(PushChannels.scanProgress, event);
  };
}

function exportProgressTo(sender: WebContents): (event: ExportProgressEvent) => void {
  return (event) => {
    if (!sender.isDestroyed()) sender.send(PushChannels.exportProgress, event);
  };
}

function progressTo(sender: WebContents): (event: ProgressEvent) => void {
  return (event) => {
    if (!sender.isDestroyed()) sender.send(Channels.progress, event);
  };
}
