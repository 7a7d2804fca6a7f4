// The bench's resampled Cranium: with 2n − 1 slices every even slice is a
// source slice and every odd one lies halfway between two, so the linear
// interpolation can be checked exactly against the real series.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tags, createStudyIndexBuilder, readDicom } from '../../../shared/dicom';
import { resampledCranium } from '../../bench/resample';
import { fixtures } from '../../fixtures/paths';

const sources = existsSync(fixtures.craniumDicom)
  ? readdirSync(fixtures.craniumDicom)
      .filter((name) => name.endsWith('.dcm'))
      .sort()
      .map((name) => join(fixtures.craniumDicom, name))
  : [];

const read = (path: string) => readDicom(new Uint8Array(readFileSync(path)));
const pixels = (path: string) => new Int16Array(read(path).dataset.get(Tags.PixelData)!.bytes.slice().buffer);
const z = (path: string) => read(path).dataset.numbers(Tags.ImagePositionPatient)[2];

describe.skipIf(sources.length < 2)('resampledCranium (bench series)', () => {
  const work = mkdtempSync(join(tmpdir(), 'veil-resample-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const count = 2 * sources.length - 1;
  const files = resampledCranium(count, fixtures.craniumDicom, join(work, 'out'));

  it('keeps source slices and interpolates halfway slices on the real Cranium CT', () => {
    expect(files).toHaveLength(count);
    for (const k of [0, 1, 53, sources.length - 1]) expect(pixels(files[2 * k])).toEqual(pixels(sources[k]));
    for (const k of [0, 40, sources.length - 2]) {
      const [a, b, mid] = [pixels(sources[k]), pixels(sources[k + 1]), pixels(files[2 * k + 1])];
      let worst = 0;
      for (let i = 0; i < mid.length; i++) worst = Math.max(worst, Math.abs(mid[i] - (a[i] + b[i]) / 2));
      expect(worst).toBeLessThanOrEqual(0.5);
    }
  });

  it('spaces positions evenly over the same extent, as one new series with unique UIDs', () => {
    const step = (z(sources[sources.length - 1]) - z(sources[0])) / (count - 1);
    for (const k of [0, 1, 100, count - 1]) expect(z(files[k])).toBeCloseTo(z(sources[0]) + k * step, 4);
    const builder = createStudyIndexBuilder();
    for (const file of files) builder.add(file, file, new Uint8Array(readFileSync(file)));
    const series = builder.result('bench').patients.flatMap((p) => p.studies.flatMap((s) => s.series));
    expect(series).toHaveLength(1);
    expect(series[0].instances).toHaveLength(count);
    const uids = files.map((file) => read(file).dataset.string(Tags.SOPInstanceUID));
    expect(new Set(uids).size).toBe(count);
    expect(uids).not.toContain(read(sources[0]).dataset.string(Tags.SOPInstanceUID));
    expect(read(files[0]).dataset.string(Tags.SeriesInstanceUID)).not.toBe(read(sources[0]).dataset.string(Tags.SeriesInstanceUID));
  });
});
