// Bundles the Electron main process and the sandboxed preload with esbuild.
// A sandboxed preload can require only `electron`, so each entry becomes one
// self-contained CommonJS file; `electron` itself stays external.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const entries = [
  { in: 'main/main.ts', out: 'dist/main/main.cjs' },
  { in: 'main/preload.ts', out: 'dist/main/preload.cjs' },
];

await Promise.all(
  entries.map((entry) =>
    build({
      entryPoints: [join(root, entry.in)],
      outfile: join(root, entry.out),
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
console.log(`bundled ${entries.map((entry) => entry.out).join(', ')}`);
