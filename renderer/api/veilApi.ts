// The renderer's only way to main: `window.veil` from the Electron preload, or
// the browser-mode stand-in over the same contract when there is no preload.
import type { VeilApi } from '../../shared/api/contract';
import { createBrowserApi } from './browserApi';

declare global {
  interface Window {
    veil?: VeilApi;
  }
}

let api: VeilApi | undefined;

/** True when running inside Electron (a preload exposed `window.veil`). */
export function isDesktop(): boolean {
  return typeof window !== 'undefined' && window.veil !== undefined;
}

export function getVeilApi(): VeilApi {
  if (!api) api = window.veil ?? createBrowserApi();
  return api;
}
