// The renderer's session: no permissions, no requests outside the app
// protocol, no downloads.
import type { Session } from 'electron';
import { APP_ORIGIN, isAppUrl } from '../protocol/scheme';

/**
 * True for requests the renderer may make: its own origin, DevTools, and
 * in-memory blob:/data: URLs (created by the page itself, never fetched from
 * anywhere). Everything else (http, https, ws, file, ftp...) is cancelled.
 */
export function isAllowedRequestUrl(url: string): boolean {
  if (isAppUrl(url)) return true;
  if (url.startsWith('devtools://')) return true;
  if (url.startsWith(`blob:${APP_ORIGIN}/`)) return true;
  if (url.startsWith('data:')) return true;
  return false;
}

export function hardenSession(session: Session): void {
  // Veil needs no camera, microphone, notifications, clipboard reads, HID,
  // USB, serial or geolocation; deny every request and every check.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url) });
  });
  session.on('will-download', (event) => event.preventDefault());
  session.setSpellCheckerEnabled(false);
}
