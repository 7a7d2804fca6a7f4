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

  it('is oriented: CT table posterior (bottom rows), head narrowing towards the vertex (last slices)', () => {
    const slice = (n: number) => {
      const { dataset } = readDicom(bytesOf(join(fixtures.craniumDicom, files[n - 1])));
      const raw = dataset.get(Tags.PixelData)!.bytes;
      return { hu: new Int16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)), z: dataset.numbers(Tags.ImagePositionPatient)[2] };
    };
    const dense = (hu: Int16Array, rows: [number, number], columns: [number, number]) => {
      let n = 0;
      for (let r = rows[0]; r < rows[1]; r++) for (let c = columns[0]; c < columns[1]; c++) if (hu[r * 256 + c] > -500) n++;
      return n;
    };
    const middle = slice(55);
    const corners = (rows: [number, number]) => dense(middle.hu, rows, [0, 40]) + dense(middle.hu, rows, [216, 256]);
    expect(corners([196, 256])).toBeGreaterThan(100); // the table arc, behind the head (LPS +Y = posterior = down)
    expect(corners([0, 60])).toBe(0); // in front of the face: air
    const high = slice(100);
    expect(high.z).toBeGreaterThan(middle.z); // +Z = superior
    expect(dense(high.hu, [0, 256], [0, 256])).toBeLessThan(dense(middle.hu, [0, 256], [0, 256]) / 2);
  });
});
