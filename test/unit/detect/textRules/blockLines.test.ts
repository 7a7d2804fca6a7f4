// Lines of a text block the pre-screen or OCR lost, on the labelled set's real slices (text drawn
// by test/fixtures/burnedText.ts): each case is a draw whose identifying tokens were missed before.
import { describe, expect, it } from 'vitest';
import { prescreenText, textPlanes, type Box } from '../../../../shared/detect';
import { drawn, missed, withTesseract } from './drawn';

const tesseract = withTesseract();

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('burned-in text: lines of a block', () => {
  it('finds faint lines beside the lines the pre-screen found (grey text on grey matter, an 8 px serif’s lower case)', async () => {
    // 10 px dark mono on the Cranium slice, 40–60 grey levels under the brain: "26 MAR 2002" broke into specks.
    const faint = drawn(97, 16);
    const planes = textPlanes(faint.display);
    const candidates = prescreenText(planes.light, planes.dark, {}, planes.luminance, planes.middle, planes.redGreen);
    const date = faint.lines.find((l) => l.text === '26 MAR 2002')!;
    expect(candidates.some((c) => overlaps(c, date.box) && c.width >= 0.8 * date.box.width)).toBe(true);
    expect(await missed(tesseract(), faint)).toEqual([]);
    // 8 px serif on a light box: "Name: Maria Silva" is mostly 4 px lower case, under the glyph size.
    expect(await missed(tesseract(), drawn(79, 63))).toEqual([]);
  }, 60_000);

  it('takes lines OCR cannot read within a block (merged 8 px glyphs, a line between two identifying ones, a part within the block’s edge)', async () => {
    // "19 OCT 2019" across the skull's edge: four merged shapes as wide as seven glyphs, read as nothing.
    expect(await missed(tesseract(), drawn(101, 64))).toEqual([]);
    // "1997.04.27" between a record number and a date, read "199/6.27" unsurely.
    expect((await missed(tesseract(), drawn(103, 8))).filter((m) => m.endsWith('"1997.04.27"'))).toEqual([]);
    // "04/02/2010" chained onto the colour map beside it, read as garbage whole and within the block.
    expect(await missed(tesseract(), drawn(109, 83))).toEqual([]);
  }, 60_000);

  it('reads the rest of a row in both polarities when the pre-screen was unsure of it', async () => {
    // Bold "2012-09-04 00:18:11" over the MR: found dark, read light ("1-09-04"); its start only the light reading of the row sees.
    expect(await missed(tesseract(), drawn(151, 50))).toEqual([]);
  }, 60_000);
});
