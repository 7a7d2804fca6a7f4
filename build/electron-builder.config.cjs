/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: electron-builder loads its config with require() */
// electron-builder configuration: `npm run dist` (after `npm run build`).
// Installers: AppImage + deb (Linux), dmg (macOS), NSIS (Windows).
//
// What ships: the bundled main process, preload and export worker (dist/main),
// the renderer build (dist/renderer), the sample study, and the production
// packages main loads from node_modules at run time with their dependencies (the
// rest of main is bundled by build/bundle-main.mjs, and the renderer's libraries
// by Vite; build/runtime-packages.cjs lists them). Those packages
// read their own WASM, OCR data and models from disk or start worker threads on
// their own scripts, so they are kept outside the asar archive (asarUnpack).
//
// Offline: set VEIL_ELECTRON_DIST to a folder holding an unpacked Electron 45
// (the `electron` binary / Electron.app / electron.exe); the version is read from
// the installed `electron` package, so nothing is looked up. See README "Packaging".
const path = require('node:path');

const root = path.join(__dirname, '..');
const electronVersion = require(path.join(root, 'node_modules', 'electron', 'package.json')).version;

const { runtimePackages, unshippedPackages } = require('./runtime-packages.cjs');

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'app.veil.viewer',
  productName: 'Veil',
  copyright: 'Copyright © Veil contributors (MIT)',
  // Inside dist/ (git-ignored, and not among the files shipped).
  directories: { output: 'dist/release', buildResources: 'build' },
  files: [
    'package.json',
    'dist/main/**/*',
    'dist/renderer/**/*',
    'assets/sample/**/*',
    '!**/*.map',
    // Only the runtime packages and their dependencies (build/runtime-packages.cjs).
    ...unshippedPackages().map((name) => `!node_modules/${name}{,/**/*}`),
  ],
  asar: true,
  asarUnpack: [
    ...Object.keys(runtimePackages).map((name) => `node_modules/${name}/**/*`),
    // tesseract.js' own dependency holding the OCR engine's WASM.
    'node_modules/tesseract.js-core/**/*',
    // The export worker runs in worker threads (main/app/exports.ts).
    'dist/main/fileWorker.cjs',
    // So does the privacy scan's pixel work (main/detect/scanHost.ts).
    'dist/main/scanWorker.cjs',
    '**/*.wasm',
  ],
  electronVersion,
  ...(process.env.VEIL_ELECTRON_DIST ? { electronDist: process.env.VEIL_ELECTRON_DIST } : {}),
  // No native production dependencies: nothing to rebuild (and no headers to download).
  npmRebuild: false,
  // Never upload anything.
  publish: null,
  fileAssociations: [{ ext: ['dcm', 'dicom'], name: 'DICOM image', role: 'Viewer' }],
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons',
    category: 'Science',
    synopsis: 'DICOM viewer that removes what your scans give away',
    maintainer: 'Veil contributors <veil@users.noreply.github.com>',
  },
  deb: { priority: 'optional' },
  mac: {
    target: ['dmg'],
    icon: 'build/icons/1024x1024.png',
    category: 'public.app-category.medical',
  },
  dmg: { title: 'Veil' },
  win: {
    target: ['nsis'],
    icon: 'build/icons/256x256.png',
  },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};

module.exports = config;
