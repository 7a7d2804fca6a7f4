// Bundles the Electron main process and the sandboxed preload with esbuild.
// A sandboxed preload can require only `electron`, so each entry becomes one
// self-contained CommonJS file; `electron` itself stays external.
// Usage: node build/bundle-main.mjs [--outdir dist/main]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string', default: join(root, 'dist', 'main') } } });
const outdir = resolve(values.outdir);

const entries = [
  { in: 'main/main.ts', out: 'main.cjs' },
  { in: 'main/preload.ts', out: 'preload.cjs' },
  // Big exports run their per-file work in worker threads (main/app/exports.ts).
  { in: 'main/export/fileWorker.ts', out: 'fileWorker.cjs' },
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
      external: ['electron'],
      sourcemap: true,
      logLevel: 'warning',
    }),
  ),
);
console.log(`bundled ${entries.map((entry) => join(outdir, entry.out)).join(', ')}`);

// The `veil` CLI and its worker (dist/cli/<build>/; main/cli/veil.mjs also builds them on demand).
const { buildCliBundle } = await import('../main/cli/bundle.mjs');
console.log(`bundled ${await buildCliBundle()}`);
