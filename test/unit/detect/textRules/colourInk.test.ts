// Text drawn in one of a colour map's own colours, at the brightness of the anatomy under it: every
// grey plane mixes it with the map. Real MR slices under the labelled set's hot-iron map (text
// drawn by test/fixtures/burnedText.ts); each draw's identifying lines were missed before.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameMemory, prescreenText, scanPictures, textPlanes, type TextScanStats } from '../../../../shared/detect';
import { colourDistance, inkColours } from '../../../../shared/detect/text/colourInk';
import { readDicom } from '../../../../shared/dicom';
import { decodeFrame, pixelInfo, toDisplay8 } from '../../../../shared/pixels';
import { fixtures } from '../../../fixtures/paths';
import { drawn, missed, withTesseract } from './drawn';

const tesseract = withTesseract();

describe('burned-in text in a colour map’s own colour', () => {
  it('finds the colour a line is drawn in, and its glyphs alone in a plane of distances from it', () => {
    // Orange (215,129,0) over the hot-iron brain: "09 JUL 2015" and "Riverside Clinic".
    const image = drawn(191, 54);
    const planes = textPlanes(image.display);
    expect(planes.colour).toBeDefined();
    const date = image.lines.find((l) => l.text === '09 JUL 2015')!;
    const candidate = prescreenText(planes.light, planes.dark, {}, planes.luminance, planes.middle, planes.redGreen).find(
      (c) => c.y <= date.box.y + date.box.height / 2 && c.y + c.height >= date.box.y + date.box.height / 2 && c.x <= date.box.x + 10,
    )!;
    expect(candidate).toBeDefined();
    const inks = inkColours(planes.colour!, candidate);
    expect(inks[0]?.colour).toBe(0xd78100);
    // The plane is 0 on the glyphs' cores, far from it on the map around them.
    const distance = colourDistance(planes.colour!, inks[0]!.colour, candidate);
    const core = [...distance.data.subarray(date.box.y * distance.width, (date.box.y + date.box.height) * distance.width)].filter((d) => d === 0).length;
    expect(core).toBeGreaterThan(200);
  });

  it('reads lines the planes garbled (orange, cyan text over the brain)', async () => {
    // "og )fuaps:" and "Rfversiad Cling" in the middle channel; "945198" above them has no candidate at all.
    expect((await missed(tesseract(), drawn(191, 54))).filter((m) => !m.endsWith('"945198"'))).toEqual([]);
    // Cyan "05/19/2007" found dark in luminance, read "Ff ios".
    expect(await missed(tesseract(), drawn(181, 40))).toEqual([]);
    // Light grey "SILVA^INGRID" over the map's dark edge, read as nothing.
    expect(await missed(tesseract(), drawn(157, 40))).toEqual([]);
  }, 60_000);

  it('reads a remembered frame’s copy by the colours found before, without its pixels', async () => {
    const image = drawn(191, 54);
    const memory = frameMemory();
    let displays = 0;
    const picture = {
      image: 'pixels' as const,
      frames: 1,
      display: () => {
        displays++;
        return image.display;
      },
      source: () => [image.display.data],
    };
    const first = await scanPictures([picture], tesseract(), image.identifiers, { memory });
    expect(first.some((f) => f.textClass === 'identifying' && f.text.includes('2015'))).toBe(true);
    // Another file's identifiers (one more name, on no line): judged again from the readings kept.
    const other = [...image.identifiers, { kind: 'name' as const, value: 'QUUX^ZEBEDIAH', source: '(0010,0010)' }];
    const stats: TextScanStats = { frames: 0, candidates: 0, ocrRegions: 0 };
    const again = await scanPictures([picture], tesseract(), other, { memory }, stats);
    expect(stats.remembered).toBe(1);
    expect(stats.ocrRegions).toBe(0);
    expect(displays).toBe(1);
    expect(again).toEqual(first);
  }, 60_000);

  it('finds no colour of an echo’s colour-Doppler cells: only its own grey text', () => {
    // The real palette-colour cine (octave-dicom): its sector's mosaic makes candidates on every frame.
    const file = readDicom(new Uint8Array(readFileSync(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'))));
    const info = pixelInfo(file);
    let mosaic = 0;
    for (const frame of [1, 4, 8]) {
      const planes = textPlanes(toDisplay8(decodeFrame(file, frame, {}, info), info));
      expect(planes.colour).toBeDefined();
      for (const c of prescreenText(planes.light, planes.dark, {}, planes.luminance, planes.middle, planes.redGreen)) {
        const inks = inkColours(planes.colour!, c);
        if (c.x > 150 && c.y > 100) mosaic++;
        for (const { colour } of inks) expect([colour >> 16, (colour >> 8) & 255]).toEqual([colour & 255, colour & 255]);
      }
    }
    expect(mosaic).toBeGreaterThan(10);
  });
});
