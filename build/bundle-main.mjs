// Bundles the Electron main process and the sandboxed preload with esbuild.
// A sandboxed preload can require only `electron`, so each entry becomes one
// self-contained CommonJS file; `electron` itself stays external, and so do the
// packages that find their own files at run time (tesseract.js starts a worker
// script and reads its WASM core from its folder; the codecs, the OCR data and
// the face models are found with createRequire): those ship as dependencies.
// Usage: node build/bundle-main.mjs [--outdir dist/main]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: join(root, 'dist', 'main') } } });
const outdir = resolve(values.outdir);

/** Production dependencies main requires at run time rather than bundles (see above). */
export const runtimePackages = ['tesseract.js'];

const entries = [
  { in: 'main/main.ts', out: 'main.cjs' },
  { in: 'main/preload.ts', out: 'preload.cjs' },
  // Big exports run their per-file work in worker threads (main/app/exports.ts).
  { in: 'main/export/fileWorker.ts', out: 'fileWorker.cjs' },
  // The privacy scan's pixel work runs in a worker thread (main/detect/scanHost.ts).
  { in: 'main/detect/scanWorker.ts', out: 'scanWorker.cjs' },
];

await Promise.all(
  entries.map((entry) =>
    build({
      entryPoints: [join(root, entry.in)],
      outfile: join(outdir, entry.out),
      bundle: true,
      platform: 'node',
      // Electron 45 ships Node 22.
      target: 'node22',
      format: 'cjs',
      external: entry.in === 'main/preload.ts' ? ['electron'] : ['electron', ...runtimePackages],
      // CommonJS has no import.meta: createRequire(import.meta.url) gets this file's URL instead.
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      sourcemap: true,
      logLevel: 'warning',
    }),
  ),
);
console.log(`bundled ${entries.map((entry) => join(outdir, entry.out)).join(', ')}`);

// The `veil` CLI and its worker (dist/cli/<build>/; main/cli/veil.mjs also builds them on demand).
const { buildCliBundle } = await import('../main/cli/bundle.mjs');
console.log(`bundled ${await buildCliBundle()}`);
