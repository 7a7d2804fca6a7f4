// The preload exposes exactly VeilApi as window.veil, turns dropped Files into
// paths, and never hands the page an IPC object.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Channels, type VeilApi } from '../../../shared/api/contract';

const bridge = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (..._args: unknown[]) => 'answer'),
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
  diskPaths: new WeakMap<object, string>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: bridge.invoke,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!bridge.listeners.has(channel)) bridge.listeners.set(channel, new Set());
      bridge.listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => bridge.listeners.get(channel)?.delete(listener),
  },
  webUtils: {
    // Electron returns '' for a File that is not backed by a file on disk.
    getPathForFile: (file: object) => {
      if (!(file instanceof File)) throw new TypeError('Error processing argument at index 0');
      return bridge.diskPaths.get(file) ?? '';
    },
  },
}));

await import('../../../main/preload');
const veil = bridge.exposed.get('veil') as VeilApi;

function diskFile(filePath: string): File {
  const file = new File([new Uint8Array(4)], filePath.split('/').at(-1)!);
  bridge.diskPaths.set(file, filePath);
  return file;
}

describe('preload', () => {
  beforeEach(() => bridge.invoke.mockClear());

  it('exposes exactly the VeilApi methods as window.veil, and nothing else', () => {
    expect([...bridge.exposed.keys()]).toEqual(['veil']);
    expect(Object.keys(veil).sort()).toEqual(
      [
        'openFilesDialog',
        'openFolderDialog',
        'openDropped',
        'openSample',
        'openStartup',
        'openRecent',
        'recentStudies',
        'readFile',
        'onProgress',
        'scanStudy',
        'cancelScan',
        'onScanProgress',
        'chooseExportFolder',
        'exportStudy',
        'cancelExport',
        'openExportReport',
        'saveProfileFile',
        'loadProfileFile',
        'chooseLinkageFile',
        'onExportProgress',
        'previewDeid',
        'defacePreview',
      ].sort(),
    );
    for (const value of Object.values(veil)) expect(typeof value).toBe('function');
  });

  it('maps each method to its channel with its argument only', async () => {
    await veil.openFilesDialog();
    await veil.openFolderDialog();
    await veil.openSample();
    await veil.openStartup!();
    await veil.openRecent('/media/cdrom');
    await veil.recentStudies();
    await veil.readFile('AAAAAAAAAAAAAAAAAAAAAA');
    await veil.previewDeid!('AAAAAAAAAAAAAAAAAAAAAA');
    await veil.previewDeid!('AAAAAAAAAAAAAAAAAAAAAA', '{"name":"p","options":[]}');
    await veil.defacePreview!(['AAAAAAAAAAAAAAAAAAAAAA']);
    await veil.defacePreview!(['AAAAAAAAAAAAAAAAAAAAAA'], { fill: 'blur', ears: true });
    expect(bridge.invoke.mock.calls).toEqual([
      [Channels.openFilesDialog],
      [Channels.openFolderDialog],
      [Channels.openSample],
      [Channels.openStartup],
      [Channels.openRecent, '/media/cdrom'],
      [Channels.recentStudies],
      [Channels.readFile, 'AAAAAAAAAAAAAAAAAAAAAA'],
      [Channels.previewDeid, 'AAAAAAAAAAAAAAAAAAAAAA'],
      [Channels.previewDeid, 'AAAAAAAAAAAAAAAAAAAAAA', '{"name":"p","options":[]}'],
      [Channels.defacePreview, ['AAAAAAAAAAAAAAAAAAAAAA']],
      [Channels.defacePreview, ['AAAAAAAAAAAAAAAAAAAAAA'], { fill: 'blur', ears: true }],
    ]);
  });

  it('turns dropped Files (bare or picked-file records) into paths', async () => {
    const cd = diskFile('/media/cdrom');
    const image = diskFile('/home/me/scan/IM0001');
    const inMemory = new File(['x'], 'made-in-page.dcm');
    await veil.openDropped({ kind: 'files', files: [cd, { file: image, path: 'scan/IM0001' }, inMemory, 'not a file', null] });
    expect(bridge.invoke).toHaveBeenCalledWith(Channels.openDropped, { kind: 'paths', paths: ['/media/cdrom', '/home/me/scan/IM0001'] });
  });

  it('refuses drops without any file on disk, and paths from the page', async () => {
    await expect(veil.openDropped({ kind: 'files', files: [new File(['x'], 'a.dcm')] })).rejects.toThrow(/on disk/);
    await expect(veil.openDropped({ kind: 'files', files: [] })).rejects.toThrow(/on disk/);
    // The page has no business naming paths: only the preload turns Files into paths.
    await expect(veil.openDropped({ kind: 'paths', paths: ['/etc'] })).rejects.toThrow(/File objects/);
    await expect(veil.openDropped(null as never)).rejects.toThrow();
    expect(bridge.invoke).not.toHaveBeenCalled();
  });

  it('forwards only the progress payload, and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = veil.onProgress((event) => received.push(event));
    const ipcEvent = { sender: { send: () => undefined }, ports: [] };
    for (const listener of bridge.listeners.get(Channels.progress)!) listener(ipcEvent, { done: 1, total: 2, message: 'Reading' });
    expect(received).toEqual([{ done: 1, total: 2, message: 'Reading' }]);
    unsubscribe();
    expect(bridge.listeners.get(Channels.progress)!.size).toBe(0);
    expect(() => veil.onProgress('nope' as never)).toThrow();
  });
});
