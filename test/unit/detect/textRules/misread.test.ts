// Lines OCR read with a slip the classification now sees through, on the labelled set's real
// slices (text drawn by test/fixtures/burnedText.ts): each draw's token was missed before.
import { describe, expect, it } from 'vitest';
import type { LabelledImage } from '../../../fixtures/burnedText';
import { drawn, missed, withTesseract } from './drawn';

const tesseract = withTesseract();

/** The tokens of `line` still missed. */
async function missedOf(image: LabelledImage, line: string): Promise<string[]> {
  const tokens = image.lines.find((l) => l.text === line)!.tokens.map((t) => `"${t.text}"`);
  return (await missed(tesseract(), image)).filter((m) => tokens.some((t) => m.endsWith(t)));
}

describe('burned-in text: names, labels and months OCR misspelt', () => {
  it('takes a DICOM name a second reading found ("DUBOIS~YUKI" at 0.36 after "DUBOISYUKE")', async () => {
    expect(await missedOf(drawn(193, 24), 'DUBOIS^YUKI')).toEqual([]);
  }, 60_000);

  it('takes the value after a misspelt label ("ame: dierrs Okzfor", "008: 67/8265")', async () => {
    expect(await missedOf(drawn(199, 63), 'Name: Pierre Okafor')).toEqual([]);
    expect(await missedOf(drawn(197, 26), 'DOB: 07/02/1986')).toEqual([]);
  }, 60_000);

  it('takes a month one slip off before a year ("HAUG 2004" for 16 AUG 2004)', async () => {
    expect(await missedOf(drawn(193, 36), '16 AUG 2004')).toEqual([]);
  }, 60_000);
});
