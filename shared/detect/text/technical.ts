// Technical text as OCR reads it: parameters with their values, units, window pairs and
// counters, also garbled ("W287", "Tift: 7.0", "112.bpm"). Classification asks these whether
// a word is about the acquisition rather than the person.
import { editDistance, foldOcr, measure, nearMonth, orientation, ratio, technicalWords } from './vocabulary';

/** A word explained as technical, alone or by its neighbours (a parameter's name beside its value). */
export function technicalAt(upper: readonly string[], i: number): boolean {
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

export function isTechnical(word: string): boolean {
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
export function gluedParameter(w: string): boolean {
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
export function technicalCode(w: string): boolean {
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
export function parameterValue(upper: readonly string[], i: number): boolean {
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
export function plainlyTechnical(word: string): boolean {
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

const technicalList = [...technicalWords].filter((w) => w.length >= 3);
const technicalFolded = new Set([...technicalWords].filter((w) => w.length >= 2).map(foldOcr));

function nearTechnical(letters: string): boolean {
  return technicalList.some((t) => Math.abs(t.length - letters.length) <= 1 && editDistance(t, letters) <= 1);
}
