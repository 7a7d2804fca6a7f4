// The renderer's web preferences: a sandboxed, isolated page that reaches the
// rest of the machine only through the preload's `window.veil`.
import type { Session, WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string, session: Session): WebPreferences {
  return {
    preload: preloadPath,
    session,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    // A file dropped outside the drop zone must not navigate the window to file://.
    navigateOnDragDrop: false,
    // Chromium's spellchecker downloads dictionaries from the network.
    spellcheck: false,
    safeDialogs: true,
  };
}
