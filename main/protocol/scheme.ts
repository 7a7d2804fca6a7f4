// The app's own origin. A privileged, standard, secure scheme gives the
// renderer a real origin (app://veil), so ES modules, workers, fetch() and
// SharedArrayBuffer behave as on https, while nothing is ever served from
// disk paths (file://) or the network.
export const APP_SCHEME = 'app';
export const APP_HOST = 'veil';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for `protocol.registerSchemesAsPrivileged`, before `ready`. */
export const appSchemePrivileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  // Module workers and WebAssembly.instantiateStreaming fetch in CORS mode.
  corsEnabled: true,
  // Our own pages never need to skip CSP; keep it enforced.
  bypassCSP: false,
  allowServiceWorkers: false,
} as const;

/** True when `url` is a page or resource of the app itself. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}
