#!/usr/bin/env -S node --max-semi-space-size=8
// `npx veil` from a checkout, no build step: runs the esbuild bundle of the CLI
// (bundle.mjs; rebuilt on demand whenever a source changed), else the TypeScript
// through tsx (no esbuild, or VEIL_NO_BUNDLE=1).
// The shebang's flag caps V8's young generation (semi-spaces 16 -> 8 MB): an export's
// peak memory then stays near where a small one's is; V8 reads it only at start-up.
import { freshCliBundle } from './bundle.mjs';

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
