// Classification of OCR'd lines: header matches despite OCR confusions, date/time/ID
// patterns and labels are identifying; acquisition text is technical; unexplained words
// default to identifying.
import { describe, expect, it } from 'vitest';
import type { IdentifyingValue } from '../../../shared/deid';
import { approximateSubstring, classifyText, foldOcr } from '../../../shared/detect';

const words = (text: string, confidence = 0.9) => text.split(' ').map((t) => ({ text: t, confidence }));
const header: IdentifyingValue[] = [
  { kind: 'name', value: 'OKAFOR^OLGA', source: '(0010,0010)' },
  { kind: 'name', value: 'OKAFOR', source: '(0010,0010)' },
  { kind: 'id', value: 'K3470258', source: '(0010,0020)' },
  { kind: 'institution', value: 'JFK IMAGING CENTER', source: '(0008,0080)' },
];

describe('classifyText', () => {
  it('matches header values through OCR confusions (O/0, I/1, S/5, B/8, ^ read as ~ or space)', () => {
    expect(foldOcr('0KAF0R~0LGA')).toBe(foldOcr('OKAFOR^OLGA'));
    for (const read of ['OKAFOR OLGA', '0KAF0R~0LGA', 'Okafor, Olga', 'ID K347O258', 'JFK 1MAGING CENTER']) {
      const c = classifyText(words(read), header);
      expect(c?.textClass, read).toBe('identifying');
      expect(c?.reason, read).toBe('header-match');
    }
    expect(approximateSubstring('OKAFOR', 'XXOKAF0RYY')).toBe(1);
  });

  it('finds dates, times, ID-like tokens, sex/age and labelled values not in the header', () => {
    const cases: Array<[string, string]> = [
      ['Fri Apr 30 06:27:24 1993', 'date'],
      ['30 JAN 94', 'date'],
      ['2019-03-14', 'date'],
      ['14/03/2019', 'date'],
      // Day and month garbled by OCR, the year read (seeds 23 and 29 of the labelled set).
      ['0 5/2020 1: ec of/1', 'date'],
      ['85718/2009 f', 'date'],
      ['11:24:58', 'time'],
      ['MRN 00482913', 'label'],
      ['Name: Ana Silva', 'label'],
      ['151832', 'id-like'],
      ['M 26', 'sex-age'],
    ];
    for (const [text, reason] of cases) expect(classifyText(words(text), [])?.reason, text).toBe(reason);
  });

  it('keeps acquisition text technical', () => {
    for (const text of ['kV 120', 'mA 200', 'W = 1492 L = 906', 'WW: 400 WL: 40', '16cm', 'GAIN 82', '2.7MHZ', 'PSR', 'AIL', 'Im: 12/40', 'HR 72 bpm', '3,0 mm/1,0sp', 'Im: 12/2000', 'Im: 1/2048']) {
      expect(classifyText(words(text), [])?.textClass, text).toBe('technical');
    }
  });

  it('treats a sure but unexplained word as identifying (a name from another system), and unsure noise as nothing', () => {
    expect(classifyText(words('Haddad'), [])).toMatchObject({ textClass: 'identifying', reason: 'unexplained' });
    expect(classifyText(words('Fd', 0.3), [])).toBeUndefined();
  });
});
