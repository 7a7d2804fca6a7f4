#!/usr/bin/env node
// `npx veil` from a checkout, no build step: runs the esbuild bundle of the CLI
// (bundle.mjs; rebuilt on demand whenever a source changed), else the TypeScript
// through tsx (no esbuild, or VEIL_NO_BUNDLE=1).
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
