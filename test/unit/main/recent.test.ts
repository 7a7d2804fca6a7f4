// The recent list: last 10, newest first, written atomically, tolerant of a
// damaged file, and free of patient names.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECENT, parseRecent, RecentStore } from '../../../main/recent/recentStore';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'veil-recent-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('RecentStore', () => {
  it('keeps the last 10, newest first, one entry per source, across restarts', async () => {
    const file = path.join(dir, 'a', 'recent-studies.json');
    const store = new RecentStore(file);
    for (let i = 0; i < 14; i++) {
      await store.remember({ source: `/cd/${i}`, label: `cd ${i}`, paths: [`/cd/${i}`] }, new Date(Date.UTC(2026, 0, 1, 0, i)));
    }
    await store.remember({ source: '/cd/7', label: 'cd 7 again', paths: ['/cd/7'] }, new Date(Date.UTC(2026, 0, 2)));
    const list = await store.list();
    expect(list).toHaveLength(MAX_RECENT);
    expect(list[0]).toEqual({ source: '/cd/7', label: 'cd 7 again', openedAt: '2026-01-02T00:00:00.000Z' });
    expect(list.map((r) => r.source)).toEqual(['/cd/7', '/cd/13', '/cd/12', '/cd/11', '/cd/10', '/cd/9', '/cd/8', '/cd/6', '/cd/5', '/cd/4']);
    // The public list never carries the paths; main keeps them.
    expect(Object.keys(list[0]).sort()).toEqual(['label', 'openedAt', 'source']);

    const reloaded = new RecentStore(file);
    expect(await reloaded.list()).toEqual(list);
    expect((await reloaded.find('/cd/13'))?.paths).toEqual(['/cd/13']);
    expect(await reloaded.find('/cd/0')).toBeUndefined();
  });

  it('leaves no temporary files behind and writes valid JSON each time', async () => {
    const file = path.join(dir, 'b', 'recent-studies.json');
    const store = new RecentStore(file);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.remember({ source: `/s/${i}`, label: `${i}`, paths: [`/s/${i}`] })),
    );
    expect(readdirSync(path.dirname(file))).toEqual(['recent-studies.json']);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored.version).toBe(1);
    expect(stored.recent).toHaveLength(10);
  });

  it('starts empty when the file is missing or damaged', async () => {
    expect(await new RecentStore(path.join(dir, 'missing.json')).list()).toEqual([]);
    const damaged = path.join(dir, 'damaged.json');
    writeFileSync(damaged, '{"recent": [ {"source": "/x", "lab');
    const store = new RecentStore(damaged);
    expect(await store.list()).toEqual([]);
    await store.remember({ source: '/y', label: 'y', paths: ['/y'] });
    expect(JSON.parse(readFileSync(damaged, 'utf8')).recent[0].source).toBe('/y');
  });

  it('drops malformed and hostile entries when loading', () => {
    const parsed = parseRecent({
      recent: [
        { source: '/ok', label: 'ok', openedAt: '2026-01-01T00:00:00.000Z', paths: ['/ok'] },
        { source: 1, label: 'bad', openedAt: 'x', paths: [] },
        { source: '/p', label: 'p', openedAt: 'x', paths: [{}] },
        JSON.parse('{"__proto__": {"polluted": true}, "source": "/q", "label": "q", "openedAt": "x", "paths": []}'),
        null,
      ],
    });
    expect(parsed.map((e) => e.source)).toEqual(['/ok', '/q']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed[1])).toBe(Object.prototype);
    expect(parseRecent('nonsense')).toEqual([]);
    expect(existsSync(path.join(dir, 'nothing'))).toBe(false);
  });
});
