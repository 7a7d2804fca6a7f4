// Classification rules added for the labelled set's misses and the Cranium series' false
// findings: OCR's spellings of dates, and what texture reads as.
import { describe, expect, it } from 'vitest';
import { classifyText } from '../../../../shared/detect';

const read = (line: string, confidence = 0.7) => classifyText(line.split(' ').map((text) => ({ text, confidence })), []);

describe('text classification: OCR spellings and texture', () => {
  it('reads a day and a full year around a month one slip off as a date', () => {
    expect(read('06 DEG2007')).toMatchObject({ textClass: 'identifying', reason: 'date' });
    expect(read('12-0CT-1999')).toMatchObject({ textClass: 'identifying', reason: 'date' });
    expect(read('Fri Apr 30 06:27:24 1993')).toMatchObject({ textClass: 'identifying', reason: 'date' });
  });

  it('takes no weekday from a line of dashes and stray marks, and no lone two-letter label', () => {
    expect(read('7 — ANT ) - . —— ve A ve Tue NY, .')).toBeUndefined();
    expect(read('PT')).toBeUndefined();
    expect(read('ID:')).toMatchObject({ textClass: 'identifying', reason: 'label' });
    expect(read('NAME')).toMatchObject({ textClass: 'identifying', reason: 'label' });
  });

  it('takes single letters alone for texture, not a technical line (Cranium CT0003 read "v - A a")', () => {
    expect(read('v - A a', 0.9)).toBeUndefined();
    expect(read('L 40', 0.9)).toMatchObject({ textClass: 'technical' });
    expect(read('W 400 L 40', 0.9)).toMatchObject({ textClass: 'technical' });
  });
});
