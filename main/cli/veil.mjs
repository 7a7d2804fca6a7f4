#!/usr/bin/env -S node --max-semi-space-size=8
// `npx veil` from a checkout, no build step: runs the esbuild bundle of the CLI
// (bundle.mjs; rebuilt on demand whenever a source changed), else the TypeScript
// through tsx (no esbuild, or VEIL_NO_BUNDLE=1).
// The shebang's flag caps V8's young generation (semi-spaces 16 -> 8 MB): an export's
// peak memory then stays near where a small one's is; V8 reads it only at start-up.
import v8 from 'node:v8';
import { freshCliBundle } from './bundle.mjs';

// An export promotes a few KB of short-lived objects per file, which V8's default old-space
// growth (up to 4× the live heap) let pile up for thousands of files before a full GC: the
// growth factor is read at every GC, so it can be set now (live heap ~12 MB, 1.5× of it).
if (process.argv[2] === 'deid') v8.setFlagsFromString('--heap-growing-percent=50');

async function loadCli() {
  if (process.env.VEIL_NO_BUNDLE !== '1') {
    try {
      return await import(await freshCliBundle());
    } catch (error) {
      if (process.env.VEIL_DEBUG) console.error('veil: bundle unavailable, running through tsx:', error);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('./cli.ts');
}

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
