// One handler per request channel of the contract. Each handler checks who is
// asking (the app's own top frame only) and what is asked (validate.ts), then
// calls the Electron-free `Studies`.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { type Channel, Channels, type OpenResult, type ProgressEvent } from '../../shared/api/contract';
import type { Studies } from '../app/studies';
import { isAppUrl } from '../protocol/scheme';
import {
  expectArgumentCount,
  expectNoArguments,
  InvalidRequestError,
  parseDroppedPaths,
  parseFileId,
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
  };

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

function progressTo(sender: WebContents): (event: ProgressEvent) => void {
  return (event) => {
    if (!sender.isDestroyed()) sender.send(Channels.progress, event);
  };
}
