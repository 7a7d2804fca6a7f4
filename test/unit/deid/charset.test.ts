// Character sets (PS3.5 6.1): cleaned free text is written back in the file's
// own character set, or removed when it cannot be; dcmdump reads it the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setValue, writeDicom } from '../../../shared/dicom';
import { defaultProfile, deidentify } from '../../../shared/deid';
import { fixtures } from '../../fixtures/paths';
import { readFixture, secret } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'veil-deid-charset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** StudyDescription of the de-identified file, as dcmdump decodes it (UTF-8). */
function dumpedDescription(file: ReturnType<typeof readFixture>): string {
  const path = join(dir, 'out.dcm');
  writeFileSync(path, writeDicom(deidentify(file, defaultProfile, { secret }).file));
  const out = execFileSync('dcmdump', ['+U8', '+L', '+P', '0008,1030', path], { encoding: 'utf8' });
  return /\[(.*)\]/.exec(out)?.[1] ?? '';
}

describe('Clean Descriptors under the file character set', () => {
  it('Latin-1 (chrFren, ISO_IR 100): "Jérôme" and "Buc" scrubbed, the accented technical words kept', () => {
    const file = readFixture(join(fixtures.pydicomCharsets, 'chrFren.dcm'));
    setValue(file.dataset, '00081030', Uint8Array.from('IRM genou Jérôme Buc (côté gauche)', (c) => c.charCodeAt(0)), 'LO');
    expect(dumpedDescription(file)).toBe('IRM genou *** *** (côté gauche)');
  });

  it('UTF-8 (chrX1, ISO_IR 192): a Chinese name written without a space is scrubbed', () => {
    const file = readFixture(join(fixtures.pydicomCharsets, 'chrX1.dcm'));
    setValue(file.dataset, '00081030', new TextEncoder().encode('头部 CT 王小東 XiaoDong'), 'LO');
    expect(dumpedDescription(file)).toBe('头部 CT *** ***');
  });

  it('ISO 2022 (chrH31, Japanese): pseudonyms are ASCII and readable; the ideographic name is gone', () => {
    const file = readFixture(join(fixtures.pydicomCharsets, 'chrH31.dcm'));
    const { file: out } = deidentify(file, defaultProfile, { secret });
    const path = join(dir, 'h31.dcm');
    writeFileSync(path, writeDicom(out));
    // dcmtk's iconv cannot convert ISO 2022 IR 87: read the values raw.
    const dump = execFileSync('dcmdump', ['+L', path], { encoding: 'latin1' });
    expect(/\(0010,0010\) PN \[(VEIL\^[A-Z2-9]{8})\]/.exec(dump)?.[1]).toBeTruthy();
    // 山田 and 太郎 in JIS X 0208 as the input spelled them (ESC $ B ;3ED, B@O:).
    const raw = new TextDecoder('latin1').decode(writeDicom(out));
    for (const part of ['Yamada', 'Tarou', '\x1b$B;3ED', 'B@O:']) expect(raw).not.toContain(part);
  });
});
