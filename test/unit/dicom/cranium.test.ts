// The Cranium CT fixture series written by Veil's writer is valid DICOM.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDicom, Tags } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf } from './corpus';

describe('Cranium CT fixture', () => {
  const files = readdirSync(fixtures.craniumDicom).sort();

  it('has 108 CT slices of 256 × 256 signed HU', () => {
    expect(files.length).toBe(108);
    const { dataset } = readDicom(bytesOf(join(fixtures.craniumDicom, files[0])));
    expect(dataset.string(Tags.Modality)).toBe('CT');
    expect(dataset.string(Tags.PatientName)).toBe('CRANIUM^INVESALIUS');
    expect(dataset.number(Tags.Rows)).toBe(256);
    const hu = dataset.numbers(Tags.PixelData).map((v) => (v > 32767 ? v - 65536 : v));
    expect(Math.min(...hu)).toBeGreaterThanOrEqual(-1024);
  });

  it('passes dciodvfy without errors', () => {
    for (const name of [files[0], files[53]]) {
      let out = '';
      try {
        out = execFileSync('dciodvfy', ['-new', join(fixtures.craniumDicom, name)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        out = String((e as { stderr?: string }).stderr ?? e);
      }
      expect(out).not.toMatch(/^Error/m);
    }
  });
});
