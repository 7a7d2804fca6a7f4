// Is a line of burned-in text about the person (identifying) or about the
// acquisition (technical)? Identifying: a fuzzy match with a header value, a
// date or time, an ID-like token, sex/age, or a label such as NAME / ID / DOB.
// Technical: every word explained by units, acquisition keywords, orientation
// letters, window values, counters. Anything else is identifying by default:
// a patient tool must not leave a name burned in by another system just because
// this file's header does not hold it; a wrongly blacked-out "Surface" costs
// nothing, a leaked name cannot be taken back.
import type { IdentifyingValue } from '../../deid';

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

/** OCR confusions folded to one spelling: O/Q→0, I/l/|/!→1, S→5, B→8, Z→2, G→6; separators dropped. */
export function foldOcr(text: string): string {
  let out = '';
  for (const ch of text.toUpperCase()) {
    const mapped = fold[ch];
    if (mapped !== undefined) out += mapped;
    else if (/[0-9A-Z]/.test(ch) || ch.charCodeAt(0) > 0x7f) out += ch;
  }
  return out;
}

const fold: Record<string, string> = { O: '0', Q: '0', D: '0', I: '1', L: '1', '|': '1', '!': '1', S: '5', B: '8', Z: '2', G: '6' };

const months = 'JAN(UARY)?|FEB(RUARY)?|MAR(CH)?|APR(IL)?|MAY|JUNE?|JULY?|AUG(UST)?|SEP(T|TEMBER)?|OCT(OBER)?|NOV(EMBER)?|DEC(EMBER)?';
const weekdays = 'MON(DAY)?|TUE(S|SDAY)?|WED(NESDAY)?|THU(R|RS|RSDAY)?|FRI(DAY)?|SAT(URDAY)?|SUN(DAY)?';
// A month or weekday as a word, or glued to day/year digits ("30JAN94", "JAN_94").
const monthWord = new RegExp(`^\\d{0,4}(${months})\\d{0,4}[.,]?$`);
const weekdayWord = new RegExp(`^(${weekdays})[.,]?$`);

/** Labels whose value follows on the same line. */
const labels = /^(NAME|PATIENT|PAT|PT|PATIENTNAME|PATNAME|ID|PID|PATID|PATIENTID|MRN|MR#|DOB|BIRTH|BORN|BD|ACC|ACCESSION|ACC#|EX|EXAM|STUDY|CASE|SSN|NHS|INSURANCE|ADDRESS|PHONE|TEL|HOSPITAL|INSTITUTION|REF|REFERRING|PHYSICIAN|DR|AGE|SEX)[.:#]*$/;

/** A long label with its colon read as a letter ("Namef" for "Name:"): short ones would match words. */
const gluedLabel = /^(NAME|PATIENT|BIRTH|BORN|ACCESSION|ADDRESS|PHONE|HOSPITAL|INSTITUTION|REFERRING|PHYSICIAN)[^\s]$/;

/** Whether an OCR'd word is a label such as NAME:, ID, DOB (its value follows on the line). */
export const isLabel = (word: string): boolean => labels.test(word.toUpperCase().replace(/^[^\w#%°/+-]+|[^\w#%°/.:]+$/g, ''));

/** Words that describe the acquisition, not the person. */
const technicalWords = new Set(
  (
    'KV KVP MA MAS MS S W L WW WL WC C HU TILT FOV DFOV SFOV GAIN COMP DR FR MI TI TIS TIB TIC BONE STND STANDARD SOFT LUNG ' +
    'DETAIL SURFACE AXIAL AX COR CORONAL SAG SAGITTAL SCOUT TOPO LOCALIZER CONTRAST PRE POST LEFT RIGHT ANT SUP INF ' +
    'ZOOM DEPTH FREQ XMIT PROC SPEED DYN RANGE PERSIST FOCUS MAP CW PW CFM THI PWR POWER PRF WF HZ KHZ MHZ CM MM M DB BPM ' +
    'FPS SE IM IMA IMG SL SLICE THK THICKNESS TR TE TI ET FA FLIP NEX AVG MATRIX BW ROT SCAN SERIES SER ACQ SEQ ' +
    'T1 T2 PD FLAIR DWI ADC SWI GRE TSE FSE EPI MPR MIP VR 2D 3D 4D CINE LIVE FRZ FREEZE R L A P H F RAO LAO CRA CAU ' +
    'FRAME FRAMES OF IMAGE WINDOW LEVEL WIDTH ORIENTATION MAG SCALE HELICAL SPIRAL PITCH ROTATION SPACING ' +
    'KERNEL FILTER DOSE CTDI CTDIVOL DLP MGY MSV ECG HR RESP SPO2 TEMP AP PA LAT OBL ERECT SUPINE PRONE DECUBITUS ' +
    'PORTABLE MOBILE UPRIGHT STANDING SITTING MARKER RT LT DIST VEL PEAK MEAN GRAD ANGLE AREA VOL TIME CALIPER'
  ).split(' '),
);

const unit = '(CM|MM|M|HZ|KHZ|MHZ|BPM|DB|%|S|MS|KV|KVP|MA|MAS|DEG|°|FPS|CM/S|MM/S|MGY|MSV|ML|X|SP|T|G)';
const measure = new RegExp(`^[-+]?\\d+([.,]\\d+)?${unit}?$`);
const ratio = /^[-+]?\d+([.,]\d+)?(\/[-+]?\d+([.,]\d+)?)+[A-Z]*$/;
const orientation = /^[RLAPHFSI]{1,4}$/;

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
  // OCR reads a name's "^" or a gap as "_" or "~": split there too.
  words = words.flatMap((w) => w.text.split(/[_~^{}|()[\]]+/).filter(Boolean).map((text) => ({ text, confidence: w.confidence })));
  const text = words.map((w) => w.text).join(' ');
  const meanConfidence = words.length ? words.reduce((s, w) => s + w.confidence, 0) / words.length : 0;

  const header = matchHeader(text, identifiers);
  if (header) return { textClass: 'identifying', reason: 'header-match', category: header.kind, confidence: Math.max(0.7, meanConfidence) };

  const upper = words.map((w) => w.text.toUpperCase().replace(/^[^\w#%°/+-]+|[^\w#%°/.:]+$/g, ''));
  // Patterns read from noise come with low confidence; printed dates and numbers do not.
  if (meanConfidence < 0.35) return surePart(words, identifiers, o) ?? longDigits(upper) ?? unsureTechnical(upper, meanConfidence);
  if (isDate(text, upper, words)) return { textClass: 'identifying', reason: 'date', confidence: 0.9 * Math.max(0.6, meanConfidence) };
  // Times of day (and cine timers, which OCR cannot tell apart): digits around colons.
  if (/\b\d{1,2}\s?:\s?\d{2}(\s?[:.]\s?\d{2})?\b/.test(text))
    return { textClass: 'identifying', reason: 'time', confidence: 0.8 * Math.max(0.6, meanConfidence) };
  // A label with its value, or alone (its value read as another region): the line is about the person.
  // Alone, a label needs its colon or four letters: texture reads as "PT" or "DR" now and then.
  const labelled = (w: string, i: number): boolean =>
    sure(words[i]!) && ((labels.test(w) && (words.length > 1 || /[:#]$/.test(w) || w.length >= 4)) || (words.length > 1 && gluedLabel.test(w)));
  if (upper.some(labelled)) return { textClass: 'identifying', reason: 'label', confidence: words.length > 1 ? 0.9 : 0.6 };
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
  return undefined;
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

/** A word explained as technical, alone or by its neighbours (a parameter's name beside its value). */
function technicalAt(upper: readonly string[], i: number): boolean {
  return isTechnical(upper[i]!) || nearParameter(upper, i) || parameterValue(upper, i) || garbledUnit(upper, i);
}

/** A number with a unit OCR garbled ("2iem", "38ca" for 21cm, 38cm) beside a technical name. */
function garbledUnit(upper: readonly string[], i: number): boolean {
  if (!garbledMeasure.test(upper[i]!)) return false;
  const named = (k: number): boolean => {
    const n = (upper[k] ?? '').replace(/[:=]+$/, '');
    return /^[A-Z]{2,}$/.test(n) && (technicalWords.has(n) || withoutStrayMarks(n).some((rest) => rest.length >= 2 && technicalWords.has(rest)));
  };
  return named(i - 1) || named(i + 1);
}

const garbledMeasure = /^[-+]?\d{1,4}([.,]\d+)?[A-Z]{1,3}[.,]?$/;

/**
 * Seven digits or more in a row (three distinct), however unsurely read: texture does not read
 * as long digit runs; a record number or a date read without separators ("2070472008") does.
 */
function longDigits(upper: readonly string[]): TextClassification | undefined {
  const long = upper.some((w, i) => /\d{7,}/.test(w) && new Set(w.replace(/\D/g, '')).size >= 3 && !parameterValue(upper, i));
  return long ? { textClass: 'identifying', reason: 'id-like', confidence: 0.36 } : undefined;
}

/** Mean confidence of the words with two or more letters or digits (all words when none has). */
function wordConfidence(words: readonly ClassifiedWord[]): number {
  const real = words.filter((w) => (w.text.match(/[0-9A-Za-z]/g)?.length ?? 0) >= 2);
  const list = real.length ? real : words;
  return list.reduce((s, w) => s + w.confidence, 0) / Math.max(1, list.length);
}

function isTechnical(word: string): boolean {
  // OCR reads a slash as a backslash ("mA\255"); a full stop after a value ("L114.") is no part of it.
  const w = word.replace(/\\/g, '/').replace(/[:=,;.]+$/, '').replace(/^[=:]+/, '');
  if (w === '' || /^[=:+\-.,/]+$/.test(w)) return true;
  if (technicalWords.has(w) || technicalWords.has(w.replace(/[.:]/g, ''))) return true;
  // A glyph read three times over ("WwW:" for WW:): no word has a letter thrice in a row.
  if (/([A-Z])\1\1/.test(w) && technicalWords.has(w.replace(/([A-Z])\1+/g, '$1$1'))) return true;
  // An I/L or O/D slip of a short technical word ("wi:" for WL:): the OCR fold reads them alike.
  if (w.length >= 2 && technicalFolded.has(foldOcr(w))) return true;
  if (gluedParameter(w) || isNumber(w) || technicalCode(w)) return true;
  // A decimal with a unit OCR garbled ("7.0fam", "16.6nn"): no name or record number has a decimal point.
  if (/^[-+]?\d+[.,]\d+[A-Z]{1,3}$/.test(w)) return true;
  // "lcm": a one read as l or I before a unit of the scale.
  if (/^[IL|](CM|MM)$/.test(w)) return true;
  // One OCR slip from a technical word ("Fiiter", "Heiical"), for words of 5+ letters: shorter
  // ones are too often names one letter away ("Doe" / DOSE, "Ana" / ANT, "Sean" / SCAN).
  const letters = w.replace(/[^A-Z]/g, '');
  if (letters.length >= 5 && letters === w.replace(/[.:]/g, '') && nearTechnical(letters)) return true;
  if (orientation.test(w)) return true;
  // "112.bpm": a full stop read between a value and its unit.
  if (measure.test(w) || ratio.test(w) || measure.test(w.replace(/^([-+]?\d+)[.,](?=[A-Z])/, '$1'))) return true;
  // "3,0mm/1,0sp", "2/8": slash-joined measures.
  if (w.includes('/') && w.split('/').every((part) => part === '' || measure.test(part) || technicalWords.has(part))) return true;
  // "PROC 2/0/E/B/B", "3.5/2.7-L": slash- or dash-joined short technical codes.
  if (/^[0-9A-Z.]{1,4}([/-][0-9A-Z.]{1,4})+$/.test(w)) return true;
  return false;
}

/**
 * Short numbers (up to 4 digits) are measurements, counters, window values; also with one
 * letter OCR takes for a digit ("B20", "1B61" for 820, 1861), unless that makes a year.
 */
function isNumber(w: string): boolean {
  if (/^[-+]?\d{1,4}([.,]\d+)?$/.test(w)) return true;
  const body = w.replace(/^[-+]/, '');
  if (!/^[0-9OQDILSBZG|]{2,5}([.,]\d+)?$/.test(body) || body.replace(/[^A-Z|]/g, '').length !== 1) return false;
  const digits = foldOcr(body.replace(/[.,].*$/, ''));
  return digits.length >= 2 && digits.length <= 4 && !/^(19|20)\d\d$/.test(digits);
}

/**
 * A parameter glued to its value ("W287", "L-521", "kv31"): OCR lost the space between them.
 * Of single letters only window and centre take a value; others begin codes ("A07").
 */
function gluedParameter(w: string): boolean {
  for (let k = 1; k <= 3 && k < w.length; k++) {
    const name = w.slice(0, k);
    if ((k > 1 ? /^[A-Z]+$/.test(name) && technicalWords.has(name) : 'WLC'.includes(name)) && isNumber(w.slice(k).replace(/^[:=]/, ''))) return true;
  }
  return false;
}

/**
 * Technical names and short numbers run together ("W251L-106", "W1995L", "17/L-107"): a
 * window pair or a counter with its spaces lost, not a record number.
 */
function technicalCode(w: string): boolean {
  const pieces = w.split(/([A-Z]+)/).filter(Boolean);
  if (pieces.length < 3 || !pieces.some((p) => /[A-Z]/.test(p)) || !pieces.some((p) => /\d/.test(p))) return false;
  return pieces.every((p) => (/^[A-Z]+$/.test(p) ? technicalWords.has(p) : /^[-+/:=.,]*(\d{1,4}([.,]\d+)?)?[-+/:=.,]*$/.test(p)));
}

/** A word without the one or two marks a crop's edge or a glyph's stem leaves in front (OCR reads them as J, l, I, |). */
const withoutStrayMarks = (w: string): string[] => [/^[JLI1|]/, /^[JLI1|]{2}/].map((r) => w.replace(r, '')).filter((rest) => rest !== w);

/**
 * A number right after a parameter's name is its value ("Im: 16115" for 16/115, "WW: 14990",
 * "mA 2p4"), not a record number: names of two or more letters only, as a lone letter may be a
 * code's first letter OCR split off; five or six digits only after a label's colon, as "Ma" and
 * "Hu" are also surnames before a record number.
 */
function parameterValue(upper: readonly string[], i: number): boolean {
  if (i === 0) return false;
  const name = upper[i - 1]!.replace(/[:=]+$/, '');
  const named = (n: string): boolean => n.length >= 2 && /^[A-Z]+$/.test(n) && technicalWords.has(n);
  // Behind stray marks only as a label with its colon ("Jim: 41106"): "Jim 41106" may be a name and a number.
  if (!named(name) && !(/:$/.test(upper[i - 1]!) && withoutStrayMarks(name).some(named))) return false;
  const w = upper[i]!.replace(/[.,;]+$/, '');
  if (/^[-+]?\d{1,4}$/.test(w) || (/^[-+]?\d{5,6}$/.test(w) && /[:=]$/.test(upper[i - 1]!))) return true;
  return /^[-+]?[0-9A-Z]{2,5}$/.test(w) && w.replace(/\D/g, '').length >= 2 && w.replace(/[\d+-]/g, '').length <= 1;
}

/** A measure with a unit of two or more letters ("5.4MHz", "4.0mm"), or a technical word of three or more letters. */
function plainlyTechnical(word: string): boolean {
  const w = word.replace(/[:=,;.]+$/, '');
  return (/^[-+]?\d+([.,]\d+)?[A-Z/]{2,}$/.test(w) && measure.test(w)) || (w.length >= 3 && technicalWords.has(w));
}

/**
 * A short word one OCR slip from a technical one, or with a stray mark glued in front
 * ("Tift: 7.0", "FOY 19cm", "73 bpn", "fcain 32"), beside a value: a parameter and its
 * value. Alone, such words are too often names ("Doe" / DOSE, "Sean" / SCAN).
 */
function nearParameter(upper: readonly string[], i: number): boolean {
  const w = upper[i]!.replace(/[:=,;.]+$/, '');
  if (!/^[0-9A-Z]?[A-Z]{3,}$/.test(w)) return false;
  // Between numbers, a word one slip from a month is a date read badly ("17 FER 3016").
  if (nearMonth(w)) return false;
  // A value: a number or measure, not a dash-joined code (a garbled date reads "20-NOL-Y79").
  const value = (k: number): boolean => {
    const v = (upper[k] ?? '').replace(/[:=,;.]+$/, '');
    return /^[-+]?\d/.test(v) && (isNumber(v) || measure.test(v) || ratio.test(v) || garbledMeasure.test(v));
  };
  if (!value(i - 1) && !value(i + 1)) return false;
  const letters = w.replace(/^[0-9]/, '');
  if (near(letters) || (w.length >= 4 && (technicalWords.has(w.slice(1)) || near(w.slice(1))))) return true;
  // Stray marks in front ("Jww:", "llcain"): what is left is the name, read whole or nearly.
  return withoutStrayMarks(w).some((rest) => rest.length >= 2 && (technicalWords.has(rest) || (rest.length >= 4 && near(rest))));
}

const near = (letters: string): boolean => /^[A-Z]{3,}$/.test(letters) && nearTechnical(letters);

/** One slip from a month's or weekday's abbreviation, or its name. */
function nearMonth(w: string): boolean {
  const letters = w.replace(/[^A-Z]/g, '');
  return [...monthAbbreviations, ...weekdayAbbreviations].some((m) => editDistance(m, letters) <= 1) || monthWord.test(letters) || weekdayWord.test(letters);
}

const weekdayAbbreviations = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function isIdLike(word: string): boolean {
  if (technicalCode(word)) return false;
  // Decimals, ratios and times are measurements, counters or clocks, not record numbers.
  if (/\d[.,:/]\d/.test(word)) return false;
  // A run of five or more digits, alone or in a code (record numbers, accessions); or six
  // once OCR's letter-for-digit slips are undone, when four of them were read as digits.
  if (/\d{5,}/.test(word)) return true;
  return word.replace(/\D/g, '').length >= 4 && /\d{6,}/.test(foldOcr(word));
}

const technicalList = [...technicalWords].filter((w) => w.length >= 3);
const technicalFolded = new Set([...technicalWords].filter((w) => w.length >= 2).map(foldOcr));

function nearTechnical(letters: string): boolean {
  return technicalList.some((t) => Math.abs(t.length - letters.length) <= 1 && editDistance(t, letters) <= 1);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
    prev = cur;
  }
  return prev[b.length]!;
}

function isDate(text: string, upper: readonly string[], words: readonly ClassifiedWord[]): boolean {
  // A month or weekday name, on a line of mostly letters and digits (texture reads "Tue" amid
  // dashes and stray marks): read surely, or with digits on the line (texture reads "wed").
  const marks = text.replace(/\s/g, '');
  const wordy = (marks.match(/[0-9A-Za-z]/g)?.length ?? 0) >= 0.7 * marks.length;
  const digits = /\d/.test(text);
  if (wordy && upper.some((w, i) => (monthWord.test(w) || weekdayWord.test(w)) && (digits || words[i]!.confidence >= 0.6))) return true;
  const t = text.replace(/\s*([./-])\s*/g, '$1');
  if (/\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b/.test(t)) return true;
  // A year with a month or day attached ("1949.07", "2002-11"), or between a day and
  // something OCR could not read ("19 pf 2003"): dates cut short or half read.
  if (/\b(19|20)\d\d[./-]\d{1,2}\b/.test(t) || /\b\d{1,2}[./-]\d{1,2}[./-](19|20)\d\d\b/.test(t)) return true;
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

const monthAbbreviations = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** Letters that differ between two words of one length. */
function slips(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
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
