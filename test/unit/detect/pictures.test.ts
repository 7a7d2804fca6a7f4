// Text hides outside the pixel data too: a name drawn into an overlay plane (60xx) of a
// real CT slice is found as identifying, with its box in overlay pixels; the icon
// thumbnail of the face photo is scanned as a picture of its own.
import { createCanvas } from '@napi-rs/canvas';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import type { IdentifyingValue } from '../../../shared/deid';
import { DataElement, readDicom, setValue, type DicomFile } from '../../../shared/dicom';
import { scanTextInFile, toRedactionBox, type TextScanStats } from '../../../shared/detect';
import { fixtures } from '../../fixtures/paths';

const load = (path: string): DicomFile => readDicom(new Uint8Array(readFileSync(path)));

let engine: TesseractEngine;
beforeAll(async () => {
  engine = await TesseractEngine.create();
}, 60_000);
afterAll(async () => {
  await engine.terminate();
});

/** `text` drawn white on black at 14 px, thresholded to overlay bits, packed LE in 16-bit words. */
function overlayBits(text: string, rows: number, columns: number): Uint8Array {
  const canvas = createCanvas(columns, rows);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'black';
  ctx.fillRect(0, 0, columns, rows);
  ctx.fillStyle = 'white';
  ctx.font = '14px "DejaVu Sans Mono"';
  ctx.fillText(text, 6, 20);
  const rgba = ctx.getImageData(0, 0, columns, rows).data;
  const out = new Uint8Array(Math.ceil((rows * columns) / 16) * 2);
  for (let i = 0; i < rows * columns; i++) if (rgba[4 * i]! > 127) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

describe('burned-in text outside the pixel data', () => {
  it('finds a name in an overlay plane of a real CT slice', async () => {
    const slices = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort();
    const file = load(join(fixtures.craniumDicom, slices[50]!));
    const ds = file.dataset;
    setValue(ds, '60000010', 32, 'US');
    setValue(ds, '60000011', 200, 'US');
    setValue(ds, '60000040', 'G', 'CS');
    setValue(ds, '60000050', [10, 20], 'SS');
    setValue(ds, '60000100', 1, 'US');
    setValue(ds, '60000102', 0, 'US');
    ds.set(new DataElement('60003000', 'OW', overlayBits('DOE^JANE 4410982', 32, 200)));
    const header: IdentifyingValue[] = [{ kind: 'name', value: 'DOE^JANE', source: '(0010,0010)' }];

    const stats = { frames: 0, candidates: 0, ocrRegions: 0 };
    const findings = await scanTextInFile(file, engine, header, {}, stats);
    expect(stats.frames).toBe(2);
    const inOverlay = findings.filter((f) => f.image === 'overlay-6000');
    expect(inOverlay).toHaveLength(1);
    expect(inOverlay[0]).toMatchObject({ textClass: 'identifying', reason: 'header-match', category: 'name', frame: 0 });
    // In overlay pixels: the text starts 6 px in, at the top of a 200 × 32 plane.
    const { x, y, width, height } = inOverlay[0]!.box;
    expect(x).toBeLessThanOrEqual(6);
    expect(x + width).toBeGreaterThan(120);
    expect(y + height).toBeLessThanOrEqual(32);
    expect(toRedactionBox(inOverlay[0]!)).toMatchObject({ image: 'overlay-6000', redact: true });
    // The slice itself holds no text.
    expect(findings.filter((f) => f.image === 'pixels')).toEqual([]);
  });

  it('scans the icon thumbnail of the face photo as its own picture', async () => {
    const file = load(join(fixtures.octave, 'simpleImageWithIcon.dcm'));
    const stats: TextScanStats = { frames: 0, candidates: 0, ocrRegions: 0 };
    await scanTextInFile(file, engine, [], {}, stats);
    expect(stats.frames).toBe(2);
    expect(stats.unreadable).toBeUndefined();
  });
});
