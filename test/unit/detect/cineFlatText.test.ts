// Small text drawn in one flat colour over an echo's colour-Doppler sector touches its bright
// streaks: the pre-screen's stroke mask joins the glyphs to them in one shape that is no glyph,
// and a crop thresholded against its local mean reads "TIS021" for "1950/02/11". The real echo
// with an 8 px grey "DOB 1950/02/11" drawn the same on all 10 frames over the sector: found in
// the shape's one flat value and read in it (prescreen.ts `flatLines`, preprocess `flat`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import { registerNodeCodecs } from '../../../main/pixels/codecs';
import { collectIdentifiers } from '../../../shared/deid';
import { scanTextInFile } from '../../../shared/detect';
import { pixelInfo } from '../../../shared/pixels';
import { echoWithText, type DrawnLine } from '../../support/echoText';

const dob: DrawnLine = { text: 'DOB 1950/02/11', x: 320, y: 310, size: 8, colour: [200, 200, 200] };

let tesseract: TesseractEngine;
beforeAll(async () => {
  await registerNodeCodecs();
  tesseract = await TesseractEngine.create();
});
afterAll(() => tesseract?.terminate());

describe('burned-in text in one flat colour over an echo sector', () => {
  it('reads an 8 px grey date of birth drawn over the colour Doppler', async () => {
    const { file, glyphs: [glyphs] } = echoWithText([dob]);
    const info = pixelInfo(file);

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
