// The viewer part of `npm run bench`: the Cranium CT and Cranium resampled to
// 500 slices, opened in the production renderer (Chromium) and indexed the
// desktop way (main's indexStudy in Node).
import { benchIndexing, printIndexing } from './indexing';
import { benchRenderer, benchSeries, printRenderer } from './renderer';
import { resampledCranium } from './resample';

export async function benchViewer(rounds = Number(process.env.VEIL_BENCH_ROUNDS ?? 3)): Promise<void> {
  const series = await benchSeries(resampledCranium(500));
  printRenderer(await benchRenderer(series, rounds));
  printIndexing(await benchIndexing(series, Math.max(rounds, 5)));
}
