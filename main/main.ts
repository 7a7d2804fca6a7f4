// Veil's main process: one sandboxed window on the app:// protocol, a hardened
// session, and the IPC handlers of shared/api/contract.ts.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type WebContents } from 'electron';
import { Exports } from './app/exports';
import { createPreview } from './app/preview';
import { createDefacePreview } from './app/defacePreview';
import { appLocations, findSampleDir, startupPaths } from './app/locations';
import { applicationMenu } from './app/menu';
import { Studies } from './app/studies';
import { FileRegistry } from './files/registry';
import { createIpcHandlers, registerIpcHandlers } from './ipc/handlers';
import { createAppProtocolHandler } from './protocol/handler';
import { APP_SCHEME, appSchemePrivileges } from './protocol/scheme';
import { loadSecret } from './export/secret';
import { RecentStore } from './recent/recentStore';
import { guardWebContents } from './window/guards';
import { createMainWindow } from './window/mainWindow';
import { hardenSession } from './window/session';

/**
 * In-memory partition (no "persist:" prefix): nothing the renderer caches or
 * stores while showing a scan is written to disk.
 */
const APP_PARTITION = 'veil';

// Both must happen before `ready`.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: appSchemePrivileges }]);
app.enableSandbox();

if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}

function start(): void {
  let mainWindow: BrowserWindow | undefined;
  const launchPaths = startupPaths(process.argv, Boolean(process.defaultApp), process.cwd());

  // macOS hands files opened with "Open With" / dropped on the Dock icon to this event, not to argv.
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    launchPaths.push(filePath);
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  void app.whenReady().then(() => {
    const locations = appLocations(__dirname, app.getPath('userData'));
    const appSession = session.fromPartition(APP_PARTITION);
    hardenSession(appSession);
    // DevTools and anything else Electron opens use the default session: no network there either.
    hardenSession(session.defaultSession);
    appSession.protocol.handle(APP_SCHEME, createAppProtocolHandler(locations.rendererDir));

    const registry = new FileRegistry();
    const studies = new Studies({
      registry,
      recent: new RecentStore(locations.recentFile),
      sampleDir: () => findSampleDir(app.getAppPath(), process.resourcesPath),
    });
    // Reports name the inputs, so they stay in the user's settings, never in the export.
    const exports = new Exports({
      registry,
      secret: () => loadSecret(),
      reportsDir: path.join(app.getPath('userData'), 'reports'),
      workers: { script: pathToFileURL(locations.fileWorkerPath), count: Math.min(4, availableParallelism()) },
      scanWorker: pathToFileURL(locations.scanWorkerPath),
    });
    registerIpcHandlers(
      ipcMain,
      createIpcHandlers({
        studies,
        chooseOpenPaths,
        startupPaths: () => launchPaths,
        exports,
        chooseExportFolder,
        openReport,
        chooseProfileSavePath,
        chooseProfileOpenPath,
        chooseLinkageFile,
        preview: createPreview({ registry, secret: () => loadSecret() }),
        defacePreview: createDefacePreview({ registry, scanWorker: pathToFileURL(locations.scanWorkerPath) }),
      }),
    );
    Menu.setApplicationMenu(applicationMenu(process.platform));

    const openWindow = () => {
      mainWindow = createMainWindow({ preloadPath: locations.preloadPath, session: appSession });
      mainWindow.on('closed', () => (mainWindow = undefined));
    };
    openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow();
    });
  });
}

async function chooseOpenPaths(kind: 'files' | 'folder', sender: WebContents): Promise<string[] | null> {
  const options: Electron.OpenDialogOptions =
    kind === 'files'
      ? { title: 'Open DICOM files', properties: ['openFile', 'multiSelections'] }
      : { title: 'Open a folder or CD', properties: ['openDirectory', 'multiSelections'] };
  const owner = BrowserWindow.fromWebContents(sender);
  const { canceled, filePaths } = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return canceled ? null : filePaths;
}

async function chooseExportFolder(sender: WebContents): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Choose a folder or USB stick for the safe copy',
    buttonLabel: 'Copy here',
    properties: ['openDirectory', 'createDirectory'],
  };
  const owner = BrowserWindow.fromWebContents(sender);
  const { canceled, filePaths } = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return canceled || filePaths.length === 0 ? null : filePaths[0];
}

async function chooseSavePath(sender: WebContents, options: Electron.SaveDialogOptions): Promise<string | null> {
  const owner = BrowserWindow.fromWebContents(sender);
  const { canceled, filePath } = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  return canceled || !filePath ? null : filePath;
}

const profileFilters = [{ name: 'Veil profile', extensions: ['json'] }];

function chooseProfileSavePath(sender: WebContents): Promise<string | null> {
  return chooseSavePath(sender, { title: 'Save the profile (veil deid --profile reads it)', defaultPath: 'veil-profile.json', filters: profileFilters });
}

async function chooseProfileOpenPath(sender: WebContents): Promise<string | null> {
  const options: Electron.OpenDialogOptions = { title: 'Load a profile', filters: profileFilters, properties: ['openFile'] };
  const owner = BrowserWindow.fromWebContents(sender);
  const { canceled, filePaths } = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
  return canceled || filePaths.length === 0 ? null : filePaths[0];
}

/** The linkage CSV re-identifies the export: the user picks where it lives (main refuses the export folder). */
function chooseLinkageFile(sender: WebContents): Promise<string | null> {
  return chooseSavePath(sender, { title: 'Save the linkage file (keep it private)', defaultPath: 'veil-linkage.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] });
}

async function openReport(filePath: string): Promise<void> {
  const failure = await shell.openPath(filePath);
  if (failure) throw new Error(`The report could not be opened: ${failure}`);
}
