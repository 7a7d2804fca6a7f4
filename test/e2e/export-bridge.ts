// Main's side of the desktop bridge for the export specs: the real Studies and
// Exports services behind the real IPC handlers (createIpcHandlers), so every
// request from the page passes main's validation. Loaded through tsx
// (`tsImport`): shared/deid imports its rules table as JSON, which Playwright's
// own loader cannot.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { Exports } from '../../main/app/exports';
import { createPreview } from '../../main/app/preview';
import { Studies } from '../../main/app/studies';
import { exportFile } from '../../main/export/exportFile';
import { outputChecksum } from '../../main/export/journal';
import { loadSecret } from '../../main/export/secret';
import { FileRegistry } from '../../main/files/registry';
import { createIpcHandlers, type RequestChannel } from '../../main/ipc/handlers';
import { RecentStore } from '../../main/recent/recentStore';
import { collectIdentifiers, isSearchable } from '../../shared/deid';
import { readDicom } from '../../shared/dicom';
import { createDefacePreview } from '../../main/app/defacePreview';

export interface MainSideState {
  /** What the open dialogs answer (null = cancelled). */
  openAnswer: string[] | null;
  /** What the export dialog answers (null = cancelled). */
  exportFolder: string | null;
  /** Reports main was asked to open with the system's handler. */
  openedReports: string[];
  /** What the profile save / open dialogs and the linkage dialog answer (null = cancelled). */
  profileSavePath?: string | null;
  profileOpenPath?: string | null;
  linkageFile?: string | null;
}

export interface MainSide {
  state: MainSideState;
  reportsDir: string;
  invoke(channel: RequestChannel, args: unknown[]): Promise<unknown>;
}

export function createMainSide(options: {
  sampleDir: string;
  workDir: string;
  /** Where main's pushes to the page go (sender.send). */
  push: (channel: string, payload: unknown) => void;
  isClosed: () => boolean;
  /** Files in flight during an export (default: exportStudies' own). */
  concurrency?: number;
  /** Extra time per exported file, so a test's Cancel lands mid-way however fast the disk is. */
  perFileDelayMs?: number;
}): MainSide {
  const state: MainSideState = { openAnswer: null, exportFolder: null, openedReports: [] };
  const reportsDir = join(options.workDir, 'reports');
  const registry = new FileRegistry();
  const studies = new Studies({
    registry,
    recent: new RecentStore(join(options.workDir, 'recent.json')),
    sampleDir: async () => options.sampleDir,
  });
  const secret = () => loadSecret(join(options.workDir, 'secret'));
  const exports = new Exports({
    registry,
    secret,
    reportsDir,
    concurrency: options.concurrency,
    runFile: options.perFileDelayMs
      ? async (task) => {
          await new Promise((resolve) => setTimeout(resolve, options.perFileDelayMs));
          return exportFile(task, outputChecksum);
        }
      : undefined,
  });
  const handlers = createIpcHandlers({
    studies,
    chooseOpenPaths: async () => state.openAnswer,
    startupPaths: () => [],
    exports,
    chooseExportFolder: async () => state.exportFolder,
    openReport: async (file) => void state.openedReports.push(file),
    chooseProfileSavePath: async () => state.profileSavePath ?? null,
    chooseProfileOpenPath: async () => state.profileOpenPath ?? null,
    chooseLinkageFile: async () => state.linkageFile ?? null,
    preview: createPreview({ registry, secret }),
    defacePreview: createDefacePreview({ registry }),
  });
  // What Electron hands the handlers: the app's own top frame, and a sender that pushes events.
  const event = {
    senderFrame: { url: 'app://veil/index.html', parent: null },
    sender: { isDestroyed: options.isClosed, send: options.push },
  } as unknown as IpcMainInvokeEvent;
  return {
    state,
    reportsDir,
    async invoke(channel, args) {
      const result = await handlers[channel](event, ...args);
      // Bindings carry JSON: bytes cross as base64.
      return result instanceof ArrayBuffer ? { base64: Buffer.from(result).toString('base64') } : result;
    },
  };
}

/** Every identifying value Veil's collector finds in the .dcm files of `dir` (searchable ones). */
export function identifyingValues(dir: string): string[] {
  const values = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.dcm'))) {
    const file = readDicom(new Uint8Array(readFileSync(join(dir, name))), { headerOnly: true });
    for (const id of collectIdentifiers(file)) if (id.kind !== 'uid' && isSearchable(id.value)) values.add(id.value);
  }
  return [...values];
}
