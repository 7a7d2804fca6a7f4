import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputChecksum, stillAsJournaled } from '../../../main/export/journal';
import { fixtures } from '../../fixtures/paths';

const name = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort()[0];
const bytes = new Uint8Array(readFileSync(path.join(fixtures.craniumDicom, name)));

describe('journal checksums', () => {
  it('knows an output by its CRC-32 and size, and a changed or cut one as not journaled', () => {
    const entry = { key: 'k', output: 'VEIL/P0001/ST001/SE001/IM00001', crc32: outputChecksum(bytes), size: bytes.length };
    expect(entry.crc32).toMatch(/^[0-9a-f]{8}$/);
    expect(stillAsJournaled(entry, bytes)).toBe(true);
    const changed = bytes.slice();
    changed[changed.length - 1] ^= 1;
    expect(stillAsJournaled(entry, changed)).toBe(false);
    expect(stillAsJournaled(entry, bytes.subarray(0, bytes.length - 2))).toBe(false);
  });

  it('still honours entries of journals written with SHA-256', () => {
    const entry = { key: 'k', output: 'o', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    expect(stillAsJournaled(entry, bytes)).toBe(true);
    const changed = bytes.slice();
    changed[200] ^= 1;
    expect(stillAsJournaled(entry, changed)).toBe(false);
    expect(stillAsJournaled({ key: 'k', output: 'o', size: bytes.length }, bytes)).toBe(false);
  });
});
