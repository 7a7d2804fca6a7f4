// The one application window.
import { BrowserWindow, type Session } from 'electron';
import { APP_ENTRY_URL } from '../protocol/scheme';
import { secureWebPreferences } from './webPreferences';

export interface MainWindowOptions {
  preloadPath: string;
  session: Session;
}

export function createMainWindow({ preloadPath, session }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    title: 'Veil',
    backgroundColor: '#111418',
    show: false,
    webPreferences: secureWebPreferences(preloadPath, session),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
