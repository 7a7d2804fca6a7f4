/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder loads its config with require() */
// Which packages the packaged app needs in node_modules (build/electron-builder.config.cjs;
// checked by test/unit/hardening/packaging.test.ts). Everything else main uses is bundled
// into dist/main by build/bundle-main.mjs, and the renderer's libraries into dist/renderer
// by Vite, so only these packages and their dependencies ship.

/**
 * Packages main requires or resolves at run time (createRequire / require.resolve /
 * external in the bundle), with why; they are unpacked from the asar archive.
 */
const runtimePackages = {
  'tesseract.js': 'OCR: starts a worker thread on its own script, loads tesseract.js-core WASM',
  '@tesseract.js-data/eng': 'OCR: eng.traineddata.gz read from the package folder',
  '@cornerstonejs/codec-charls': 'JPEG-LS decode/encode (WASM, required by name)',
  '@cornerstonejs/codec-openjpeg': 'JPEG 2000 decode/encode (WASM, required by name)',
  '@cornerstonejs/codec-libjpeg-turbo-8bit': 'JPEG baseline decode (WASM, required by name)',
  '@cornerstonejs/jpeg-lossless-decoder-js': 'JPEG Lossless decode (required by name)',
  '@vladmandic/human': 'face detection: human.node-wasm.js and its models/ folder',
  '@tensorflow/tfjs-backend-wasm': "Human's backend: tfjs-backend-wasm*.wasm read by path",
  '@tensorflow/tfjs-core': 'required by human.node-wasm.js',
  '@tensorflow/tfjs-converter': 'required by human.node-wasm.js',
};

module.exports = { runtimePackages };

const fs = require('node:fs');
const path = require('node:path');

const nodeModules = path.join(__dirname, '..', 'node_modules');

function readManifest(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Top-level node_modules packages the runtime packages need: themselves and their
 * dependencies, transitively (a dependency nested in a package's own node_modules
 * travels with that package's folder).
 */
function shippedPackages() {
  const shipped = new Set();
  const visit = (name, fromDir) => {
    const nested = fromDir && path.join(fromDir, 'node_modules', name);
    const dir = nested && fs.existsSync(nested) ? nested : path.join(nodeModules, name);
    if (dir === path.join(nodeModules, name)) {
      if (shipped.has(name)) return;
      shipped.add(name);
    }
    const manifest = readManifest(dir);
    if (!manifest) return;
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) visit(dep, dir);
  };
  for (const name of Object.keys(runtimePackages)) visit(name);
  return shipped;
}

/** Every installed top-level package (scoped ones as "@scope/name"). */
function installedPackages() {
  const names = [];
  for (const entry of fs.readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const inner of fs.readdirSync(path.join(nodeModules, entry))) names.push(`${entry}/${inner}`);
    } else {
      names.push(entry);
    }
  }
  return names;
}

/** Installed packages the app does not need at run time: left out of the package. */
function unshippedPackages() {
  const shipped = shippedPackages();
  return installedPackages().filter((name) => !shipped.has(name));
}

module.exports.shippedPackages = shippedPackages;
module.exports.unshippedPackages = unshippedPackages;
