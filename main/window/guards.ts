// Every web contents the app creates stays on the app: no navigation, no new
// windows, no <webview>. Applied from app 'web-contents-created'.
import type { WebContents } from 'electron';

export function guardWebContents(contents: WebContents): void {
  // The renderer is a single page; any navigation is either a bug or an
  // injected link, and would leave the CSP and the app origin behind.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
