// The labelled set (text drawn into real CT/MR/XA/US/colour frames, test/fixtures/burnedText.ts)
// and real text-free slices: recall of identifying tokens, precision of identifying
// findings, and the share of negative frames with any finding. A subset here; the full set
// runs in the bench (test/bench/text.ts). Recall floors are the 99 %; precision floors
// are today's figures less a margin: see shared/detect/README.md. The missed tokens are printed
// (the drawn text is synthetic: no patient's name is logged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import { registerNodeCodecs } from '../../../main/pixels/codecs';
import { scanPictures } from '../../../shared/detect';
import { buildBurnedTextSet, emptyScore, negativeFrames, scoreImage } from '../../fixtures/burnedText';

let engine: TesseractEngine;
beforeAll(async () => {
  await registerNodeCodecs();
  engine = await TesseractEngine.create();
}, 60_000);
afterAll(async () => {
  await engine.terminate();
});

describe('burned-in text: labelled set and negatives', () => {
  // Seeds draw different sets (names, fonts, sizes, colours, places): a fix fitted to one
  // set's draws shows as a gap between them. 4 and 11 were tuned on; 53 was held out until
  // the round that tuned on 23 and 29 was done (README), and kept here as a floor.
  it.each([
    { seed: 4, recall: 0.99, precision: 0.85 },
    { seed: 11, recall: 0.99, precision: 0.8 },
    { seed: 53, recall: 0.99, precision: 0.92 },
  ])('finds most identifying tokens drawn into real frames, with few wrong identifying boxes (seed $seed)', async ({ seed, recall, precision }) => {
    const score = emptyScore();
    for (const image of buildBurnedTextSet(24, seed)) {
      const findings = await scanPictures([{ image: 'pixels', frames: 1, display: () => image.display }], engine, image.identifiers);
      scoreImage(image, findings, score);
    }
    console.log(
      `labelled subset (seed ${seed}): ${score.images} images, identifying tokens ${score.foundTokens}/${score.identifyingTokens} ` +
        `(recall ${(score.recall * 100).toFixed(1)} %), identifying findings ${score.correctFindings}/${score.identifyingFindings} ` +
        `(precision ${(score.precision * 100).toFixed(1)} %), technical lines kept ${score.technicalKept}/${score.technicalLines}` +
        (score.missed.length ? `; missed ${score.missed.join(', ')}` : ''),
    );
    expect(score.identifyingTokens).toBeGreaterThan(100);
    expect(score.recall).toBeGreaterThanOrEqual(recall);
    expect(score.precision).toBeGreaterThanOrEqual(precision);
  });

  it('reports (almost) nothing on real slices without text', async () => {
    let frames = 0;
    let withIdentifying = 0;
    let withAny = 0;
    let k = 0;
    for (const negative of negativeFrames()) {
      // Every third frame keeps the suite quick; the bench runs them all.
      if (k++ % 3) continue;
      const findings = await scanPictures([{ image: 'pixels', frames: 1, display: () => negative.display }], engine, []);
      frames++;
      if (findings.some((f) => f.textClass === 'identifying')) withIdentifying++;
      if (findings.length) withAny++;
    }
    console.log(`negatives: ${frames} frames, ${withIdentifying} with an identifying finding, ${withAny} with any finding`);
    expect(frames).toBeGreaterThan(40);
    expect(withIdentifying).toBe(0);
    expect(withAny / frames).toBeLessThanOrEqual(0.02);
  });
});
