// The window and its session: isolated, sandboxed, no navigation, no new
// windows, no permissions, no requests outside the app protocol.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created = vi.hoisted(
  () => [] as { options: Electron.BrowserWindowConstructorOptions; loadURL: (url: string) => Promise<void> }[],
);

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class BrowserWindow extends Emitter {
    loadURL = vi.fn(async () => undefined);
    show = vi.fn();
    constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
      super();
      created.push({ options, loadURL: this.loadURL });
    }
  }
  return { BrowserWindow };
});

const { createMainWindow } = await import('../../../main/window/mainWindow');
const { secureWebPreferences } = await import('../../../main/window/webPreferences');
const { guardWebContents } = await import('../../../main/window/guards');
const { hardenSession, isAllowedRequestUrl } = await import('../../../main/window/session');

const fakeSession = {} as Electron.Session;

describe('main window', () => {
  beforeEach(() => {
    created.length = 0;
  });

  it('is isolated and sandboxed, without Node, with web security', () => {
    createMainWindow({ preloadPath: '/app/dist/main/preload.cjs', session: fakeSession });
    const prefs = created[0].options.webPreferences!;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.preload).toBe('/app/dist/main/preload.cjs');
    expect(prefs.session).toBe(fakeSession);
  });

  it('loads only the app protocol entry page', () => {
    createMainWindow({ preloadPath: '/p.cjs', session: fakeSession });
    expect(created[0].loadURL).toHaveBeenCalledWith('app://veil/index.html');
  });

  it('webPreferences never switch a protection off', () => {
    const prefs = secureWebPreferences('/p.cjs', fakeSession);
    expect(Object.entries(prefs).filter(([, v]) => v === true).map(([k]) => k).sort()).toEqual(
      ['contextIsolation', 'safeDialogs', 'sandbox', 'webSecurity'].sort(),
    );
  });
});

class FakeContents extends EventEmitter {
  windowOpenHandler?: (details: { url: string }) => { action: string };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

function emitCancelable(contents: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = { preventDefault: vi.fn(), url: 'https://evil.example/' };
  contents.emit(name, event, ...args);
  return event.preventDefault.mock.calls.length > 0;
}

describe('guardWebContents', () => {
  it('denies navigation, redirects, frame navigation and webviews', () => {
    const contents = new FakeContents();
    guardWebContents(contents as unknown as Electron.WebContents);
    expect(emitCancelable(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(emitCancelable(contents, 'will-navigate', 'app://veil/index.html')).toBe(true);
    expect(emitCancelable(contents, 'will-frame-navigate')).toBe(true);
    expect(emitCancelable(contents, 'will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(emitCancelable(contents, 'will-attach-webview', {}, {})).toBe(true);
  });

  it('denies window.open for every URL', () => {
    const contents = new FakeContents();
    guardWebContents(contents as unknown as Electron.WebContents);
    for (const url of ['https://evil.example/', 'app://veil/index.html', 'file:///etc/passwd', 'about:blank']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
  });
});

function fakeHardenedSession() {
  const session = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const captured: Record<string, (...args: never[]) => unknown> = {};
  for (const name of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler']) {
    session[name] = (handler: (...args: never[]) => unknown) => (captured[name] = handler);
  }
  session.setSpellCheckerEnabled = vi.fn();
  session.webRequest = { onBeforeRequest: (handler: (...args: never[]) => unknown) => (captured.onBeforeRequest = handler) };
  hardenSession(session as unknown as Electron.Session);
  return { session, captured };
}

describe('hardenSession', () => {
  const permissions = ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'hid', 'usb', 'openExternal', 'unknown'];

  it('denies every permission request and check', () => {
    const { captured } = fakeHardenedSession();
    for (const permission of permissions) {
      const callback = vi.fn();
      (captured.setPermissionRequestHandler as (...a: unknown[]) => void)({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect((captured.setPermissionCheckHandler as (...a: unknown[]) => boolean)({}, permission, 'app://veil', {})).toBe(false);
    }
    expect((captured.setDevicePermissionHandler as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
  });

  it('cancels every request that is not the app protocol or DevTools', () => {
    const { captured } = fakeHardenedSession();
    const decide = (url: string) => {
      const callback = vi.fn();
      (captured.onBeforeRequest as (...a: unknown[]) => void)({ url }, callback);
      return callback.mock.calls[0][0] as { cancel: boolean };
    };
    for (const url of [
      'https://example.com/tracker.js',
      'http://127.0.0.1:5173/',
      'ws://localhost:1234/',
      'file:///etc/passwd',
      'ftp://x/',
      'app://evil/index.html',
      'blob:https://evil.example/1234',
      'chrome-extension://abc/x.js',
    ]) {
      expect(decide(url), url).toEqual({ cancel: true });
    }
    for (const url of ['app://veil/index.html', 'app://veil/assets/codec.wasm', 'devtools://devtools/bundled/x.js', 'blob:app://veil/1234', 'data:image/png;base64,AAAA']) {
      expect(decide(url), url).toEqual({ cancel: false });
    }
    expect(isAllowedRequestUrl('https://veil/')).toBe(false);
  });

  it('refuses downloads and turns off the network spellchecker', () => {
    const { session } = fakeHardenedSession();
    expect(emitCancelable(session, 'will-download', {}, {})).toBe(true);
    expect(session.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
  });
});
