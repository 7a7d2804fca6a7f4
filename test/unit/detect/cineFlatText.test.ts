// Small text drawn in one flat colour over an echo's colour-Doppler sector touches its bright
// streaks: the pre-screen's stroke mask joins the glyphs to them in one shape that is no glyph,
// and a crop thresholded against its local mean reads "TIS021" for "1950/02/11". The real echo
// with an 8 px grey "DOB 1950/02/11" drawn the same on all 10 frames over the sector: found in
// the shape's one flat value and read in it (prescreen.ts `flatLines`, preprocess `flat`).
import { createCanvas } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import { registerNodeCodecs } from '../../../main/pixels/codecs';
import { collectIdentifiers } from '../../../shared/deid';
import { readDicom, type DicomFile } from '../../../shared/dicom';
import { scanTextInFile } from '../../../shared/detect';
import { decodeFrame, expandPalette, pixelInfo, replaceFrames } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';

const dob = { text: 'DOB 1950/02/11', x: 320, y: 310, size: 8, colour: [200, 200, 200] } as const;

let tesseract: TesseractEngine;
beforeAll(async () => {
  await registerNodeCodecs();
  tesseract = await TesseractEngine.create();
});
afterAll(() => tesseract?.terminate());

/** The palette index whose colour is nearest to `rgb`. */
function nearestIndex(file: DicomFile, rgb: readonly number[]): number {
  const lut = expandPalette(file, pixelInfo(file), Uint8Array.from({ length: 256 }, (_, i) => i));
  const shift = lut instanceof Uint16Array ? 8 : 0;
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < 256; i++) {
    const d = rgb.reduce((sum, c, j) => sum + ((lut[3 * i + j]! >> shift) - c) ** 2, 0);
    if (d < bestDistance) [best, bestDistance] = [i, d];
  }
  return best;
}

describe('burned-in text in one flat colour over an echo sector', () => {
  it('reads an 8 px grey date of birth drawn over the colour Doppler', async () => {
    const file = readDicom(new Uint8Array(readFileSync(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'))));
    const info = pixelInfo(file);
    const canvas = createCanvas(info.columns, info.rows);
    const context = canvas.getContext('2d');
    context.font = `${dob.size}px "DejaVu Sans"`;
    context.fillStyle = 'white';
    context.fillText(dob.text, dob.x, dob.y);
    const alpha = context.getImageData(0, 0, info.columns, info.rows).data;
    const glyphs = Array.from({ length: info.rows * info.columns }, (_, i) => i).filter((i) => alpha[4 * i + 3]! > 110);
    const index = nearestIndex(file, dob.colour);
    replaceFrames(
      file,
      Array.from({ length: info.frames }, (_, k) => {
        const frame = decodeFrame(file, k, { raw: true }, info);
        for (const i of glyphs) frame.data[i] = index;
        return frame;
      }),
    );

    const findings = await scanTextInFile(file, tesseract, collectIdentifiers(file));
    const read = Array.from({ length: info.frames }, (_, k) => {
      const boxes = findings.filter((f) => f.frame === k && f.image === 'pixels' && f.textClass === 'identifying').map((f) => f.box);
      return glyphs.every((i) => {
        const x = i % info.columns;
        const y = Math.floor(i / info.columns);
        return boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height);
      });
    });
    // Read in 8 of the 10 frames (none before); Clean Pixel Data fills it in all of them.
    expect(read.filter(Boolean).length).toBeGreaterThanOrEqual(5);
    expect(findings.some((f) => f.textClass === 'identifying' && /DOB/.test(f.text) && /1950/.test(f.text))).toBe(true);
  }, 120_000);
});
