// File ids: unguessable, well-formed, known only once handed out, bounded.
import { describe, expect, it } from 'vitest';
import { createFileId, FileRegistry, isWellFormedFileId } from '../../../main/files/registry';

describe('FileRegistry', () => {
  it('mints 128-bit base64url ids that never repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, createFileId));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('answers only ids it registered, and nothing for hostile keys', () => {
    const registry = new FileRegistry();
    const id = createFileId();
    registry.register(id, '/media/cdrom/IM0001');
    expect(registry.pathOf(id)).toBe('/media/cdrom/IM0001');
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', createFileId(), '', null, 1, {}]) {
      expect(registry.pathOf(key)).toBeUndefined();
    }
    expect(() => registry.register('../etc/passwd', '/etc/passwd')).toThrow(/Malformed/);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const registry = new FileRegistry(3);
    const ids = Array.from({ length: 5 }, createFileId);
    ids.forEach((id, i) => registry.register(id, `/f/${i}`));
    expect(registry.size).toBe(3);
    expect(ids.map((id) => registry.pathOf(id))).toEqual([undefined, undefined, '/f/2', '/f/3', '/f/4']);
    expect(isWellFormedFileId(ids[0])).toBe(true);
  });
});
