// The black value's rules on the real headers' Image Pixel modules, including the
// cases the fixtures lack (negative rescale slope, a window below the data).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pixelInfo } from '../../../shared/pixels';
import { monochromeBlack, paletteBlack, storedRange } from '../../../shared/redact';
import { fixtures } from '../../fixtures/paths';
import { load } from './oracle';

const mr = pixelInfo(load(join(fixtures.pydicom, 'MR_small.dcm')));
const cr = pixelInfo(load(join(fixtures.pydicom, 'dicomdirtests/77654033/CR1/6154')));

/** Displayed output of the linear VOI for modality value x (PS3.3 C.11.2.1.2.1), 0..1. */
function voi(x: number, c: number, w: number): number {
  if (x <= c - 0.5 - (w - 1) / 2) return 0;
  if (x > c - 0.5 + (w - 1) / 2) return 1;
  return (x - (c - 0.5)) / (w - 1) + 0.5;
}

describe('monochromeBlack', () => {
  it('stored ranges follow BitsStored and Pixel Representation', () => {
    expect(storedRange(mr)).toEqual({ lo: -32768, hi: 32767 });
    expect(storedRange(cr)).toEqual({ lo: 0, hi: 4095 });
  });

  it('MONOCHROME2: the darkest value present when the window already shows it black', () => {
    const info = { ...mr, window: { center: 600, width: 200 } };
    expect(monochromeBlack(info, 'MONOCHROME2', 10, 900)).toBe(10);
  });

  it('MONOCHROME2: pushed below the window bottom when the data is not dark enough', () => {
    const info = { ...mr, rescaleSlope: 2, rescaleIntercept: 100, window: { center: 50, width: 400 } };
    const v = monochromeBlack(info, 'MONOCHROME2', 10, 900);
    expect(voi(v * 2 + 100, 50, 400)).toBe(0);
    expect(voi((v + 1) * 2 + 100, 50, 400)).toBeGreaterThan(0); // and not further than needed
  });

  it('MONOCHROME1 (the real CR, slope 0.684, window 1600/2800): black is above the window top', () => {
    const { center: c, width: w } = cr.window!;
    const v = monochromeBlack(cr, 'MONOCHROME1', 100, 200);
    expect(voi(v * cr.rescaleSlope + cr.rescaleIntercept, c, w)).toBe(1);
    expect(v).toBeLessThanOrEqual(4095);
  });

  it('a negative rescale slope flips the direction', () => {
    const info = { ...mr, rescaleSlope: -1, rescaleIntercept: 0, window: undefined };
    expect(monochromeBlack(info, 'MONOCHROME2', -5, 70)).toBe(70);
    expect(monochromeBlack(info, 'MONOCHROME1', -5, 70)).toBe(-5);
  });

  it('a uniform frame without a window takes the representable end; values clamp to the range', () => {
    expect(monochromeBlack({ ...cr, window: undefined }, 'MONOCHROME1', 7, 7)).toBe(4095);
    expect(monochromeBlack({ ...mr, window: undefined }, 'MONOCHROME2', 7, 7)).toBe(-32768);
    expect(monochromeBlack({ ...cr, window: { center: -5000, width: 10 } }, 'MONOCHROME2', 3, 9)).toBe(0);
  });
});

describe('paletteBlack', () => {
  it('the US echo palette: the index of its darkest entry', () => {
    const file = load(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'));
    const index = paletteBlack(file);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(index).toBeLessThan(pixelInfo(file).palette!.red.entries);
  });
});
