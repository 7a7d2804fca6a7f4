// The OCR cache (shared/detect/text/ocrCache.ts) on the real ankle screenshot's
// text lines, with tesseract: a line read while the same line is already being
// read (files scanned in parallel) waits for that reading instead of starting its
// own, and a failed reading is not remembered.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import { readDicom } from '../../../shared/dicom';
import { cachedOcr, pixelPicture, prescreenText, textPlanes, type Gray8, type OcrEngine, type TextCandidate } from '../../../shared/detect';
import { fixtures } from '../../fixtures/paths';

let tesseract: TesseractEngine;
let plane: Gray8;
let lines: TextCandidate[];
beforeAll(async () => {
  tesseract = await TesseractEngine.create();
  const file = readDicom(new Uint8Array(readFileSync(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'))));
  const planes = textPlanes(pixelPicture(file).display(0));
  lines = prescreenText(planes.light, planes.dark, {}, planes.luminance).filter((c) => c.plane === 'light');
  plane = planes.light;
}, 60_000);
afterAll(async () => {
  await tesseract.terminate();
});

/** Tesseract, counting its readings; `failFirst` makes the first one fail. */
function counting(failFirst = false): OcrEngine & { reads: number } {
  const engine = {
    reads: 0,
    recognize: async (image: Gray8, region: TextCandidate) => {
      engine.reads++;
      if (failFirst && engine.reads === 1) throw new Error('engine stopped');
      return tesseract.recognize(image, region);
    },
    terminate: async () => undefined,
  };
  return engine;
}

describe('cachedOcr', () => {
  it('reads each line of the ankle screenshot once, however many ask for it at the same time', async () => {
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const engine = counting();
    const cache = cachedOcr(engine);
    const [first, second] = await Promise.all([Promise.all(lines.map((l) => cache.recognize(plane, l))), Promise.all(lines.map((l) => cache.recognize(plane, l)))]);
    expect(engine.reads).toBe(lines.length);
    expect(second).toEqual(first);
    expect(first.some((r) => r.text.includes('JFK'))).toBe(true);
    expect(cache.misses).toBe(lines.length);
    expect(cache.hits).toBe(lines.length);
  });

  it('does not remember a failed reading', async () => {
    const engine = counting(true);
    const cache = cachedOcr(engine);
    await expect(cache.recognize(plane, lines[0]!)).rejects.toThrow('engine stopped');
    const again = await cache.recognize(plane, lines[0]!);
    expect(again).toEqual(await tesseract.recognize(plane, lines[0]!));
    expect(engine.reads).toBe(2);
  });
});
