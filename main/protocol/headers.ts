// Security headers sent with every response of the app protocol.

/**
 * Content-Security-Policy for the renderer. Only what Cornerstone3D needs is
 * loosened:
 * - script-src 'wasm-unsafe-eval': the image loader's codecs (charls,
 *   openjpeg, libjpeg-turbo, openjph) are WebAssembly and must be compiled.
 *   No 'unsafe-eval': the codecs' embind glue uses precompiled invokers, not
 *   `new Function` (checked in 5.14.0).
 * - worker-src 'self' only: the built decode worker is a same-origin file
 *   (`new Worker(new URL(..., import.meta.url))`); nothing in the build makes
 *   blob: workers (checked on the Vite build of Cornerstone3D 5.14).
 * - style-src 'unsafe-inline': React style attributes and vtk.js inline styles.
 * - img-src/connect-src data: blob:: thumbnails and decoded frames are handed
 *   around as blob/data URLs; emscripten may fetch an inlined data: wasm.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Headers for one app-protocol response. COOP + COEP make the page
 * cross-origin isolated so SharedArrayBuffer is available (Cornerstone's
 * volume loading and decode workers use it).
 */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Nothing a scan touches should land in Chromium's disk cache.
    'Cache-Control': 'no-store',
  };
}
