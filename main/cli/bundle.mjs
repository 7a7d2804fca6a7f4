// The CLI and its `--jobs` worker as two plain ESM bundles (esbuild, ~0.1 s), so
// `veil` and each worker thread start without compiling TypeScript through tsx.
// Built on demand into dist/cli/<build>/ and reused while none of the sources
// it was built from changed (size and mtime of every input esbuild read), so a
// checkout never runs stale code. Each build gets its own folder and `latest`
// is replaced by rename: concurrent runs (parallel tests) never see half a build.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliStartupPlugins, generatedFrom } from './bundlePlugins.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliBundleFolder = path.join(root, 'dist', 'cli');
const latestFile = path.join(cliBundleFolder, 'latest.json');
/** Builds older than this are removed when a new one is made (a running veil may still use a recent one). */
const keepOldBuildsMs = 24 * 3600 * 1000;

function fingerprint(file) {
  try {
    const s = statSync(path.join(root, file));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** The up-to-date bundle's cli.mjs path, or undefined when a source changed since it was built. */
export function currentCliBundle() {
  try {
    const latest = JSON.parse(readFileSync(latestFile, 'utf8'));
    const cli = path.join(cliBundleFolder, latest.build, 'cli.mjs');
    if (!existsSync(cli) || !existsSync(path.join(cliBundleFolder, latest.build, 'fileWorker.mjs'))) return undefined;
    for (const [file, print] of Object.entries(latest.inputs)) if (fingerprint(file) !== print) return undefined;
    return cli;
  } catch {
    return undefined;
  }
}

/** Bundles the CLI and the worker now; returns the new cli.mjs path. */
export async function buildCliBundle() {
  const { build } = await import('esbuild');
  const started = Date.now();
  const name = `${started.toString(36)}-${randomBytes(4).toString('hex')}`;
  const outdir = path.join(cliBundleFolder, name);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'main/cli/cli.ts', fileWorker: 'main/export/fileWorker.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // npm packages are bundled too, except those that find their own files (bundlePlugins.mjs);
    // CommonJS among them may call require.
    plugins: cliStartupPlugins(),
    banner: { js: "import { createRequire as veilCreateRequire } from 'node:module'; const require = veilCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = {};
  // Virtual modules (bundlePlugins.mjs's dictionary and shim) are made from these packages.
  const files = [...Object.keys(result.metafile.inputs).filter((file) => !/^[a-z-]+:/.test(file)), ...generatedFrom];
  for (const file of files) {
    // A source edited while esbuild read it may not be in the bundle: never call it current.
    const print = fingerprint(file);
    inputs[file] = statSync(path.join(root, file)).mtimeMs >= started - 1000 ? 'edited-during-build' : print;
  }
  const temp = `${latestFile}.${name}.tmp`;
  writeFileSync(temp, JSON.stringify({ build: name, inputs }));
  renameSync(temp, latestFile);
  for (const old of readdirSync(cliBundleFolder, { withFileTypes: true })) {
    if (!old.isDirectory() || old.name === name) continue;
    const folder = path.join(cliBundleFolder, old.name);
    if (started - statSync(folder).mtimeMs > keepOldBuildsMs) rmSync(folder, { recursive: true, force: true });
  }
  return path.join(outdir, 'cli.mjs');
}

/** The current bundle, built first when missing or stale. */
export async function freshCliBundle() {
  return currentCliBundle() ?? (mkdirSync(cliBundleFolder, { recursive: true }), await buildCliBundle());
}
