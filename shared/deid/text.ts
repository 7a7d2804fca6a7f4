// Text in and out of a file's Specific Character Set (PS3.5 6.1) and the Clean
// Descriptors scrub (PS3.15 E.3.5): identifying values found elsewhere in the
// file are cut out of free text; the technical words around them stay.
import { paddedUtf8 } from '../dicom';
import { isSearchable, type IdentifyingValue } from './identifiers';

function normaliseTerm(term: string): string {
  const t = term.trim().toUpperCase();
  const m = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
  return m ? `ISO_IR ${m[1]}` : t;
}

/**
 * Encodes `text` for an element of `vr` under `charsets`, padded to even length
 * (PS3.5 7.1.1). undefined when the character set cannot hold it: callers then remove
 * the element rather than write bytes that would decode to something else.
 */
export function encodeText(text: string, vr: string, charsets: readonly string[]): Uint8Array | undefined {
  // ASCII (without ESC) is the G0 set of every DICOM character set; UTF-8 is ISO_IR 192.
  const first = normaliseTerm(charsets[0] ?? '');
  if (/^[\u0000-\u001a\u001c-\u007f]*$/.test(text) || (charsets.length === 1 && first === 'ISO_IR 192')) return paddedUtf8(text, vr);
  if (!(charsets.length === 1 && first === 'ISO_IR 100' && /^[\u0000-\u00ff]*$/.test(text))) return undefined;
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
  if (bytes.length % 2 === 0) return bytes;
  const even = new Uint8Array(bytes.length + 1);
  even.set(bytes);
  even[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return even;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Dates typed into free text, whoever's they are: ISO, European and US spellings with
 * separators. Bounded by digits only, so "scan_2001-01-15" is caught too.
 */
const datePatterns = [
  String.raw`(?<!\p{N})(?:19|20)\d{2}[-./](?:0[1-9]|1[0-2])[-./](?:0[1-9]|[12]\d|3[01])(?!\p{N})`,
  String.raw`(?<!\p{N})(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d{2}(?!\p{N})`,
  String.raw`(?<!\p{N})(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19|20)\d{2}(?!\p{N})`,
];
const typedDates = new RegExp(datePatterns.join('|'), 'gu');

export const scrubMark = '***';

/**
 * Words as the verification pass sees them (shared/export normaliseText): runs of letters and
 * digits; every other character separates, so "Halchenko_Yarik^950" is three words. A dot
 * between two digits joins them: "5.00000" is one number, and "00000" is not found in it.
 */
const wordPattern = /[\p{L}\p{N}]+(?:(?<=\p{N})\.(?=\p{N})[\p{L}\p{N}]+)*/gu;

const wordsOf = (text: string): string[] => text.normalize('NFKC').toLowerCase().match(wordPattern) ?? [];

/** Scripts written without spaces between words: a name there is found inside a longer run (王小東様). */
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

/**
 * Words that stand in for a name rather than being one ("Last Name^First Name", "Doctor^Unknown"):
 * scrubbing them would cut "FIRST" out of "IEC_FIRST_LEVEL". Same list as the verification's.
 */
const namePlaceholders = new Set([
  'first', 'last', 'name', 'names', 'given', 'family', 'middle', 'surname', 'forename', 'unknown', 'anonymous',
  'anonymized', 'anonymised', 'patient', 'doctor', 'physician', 'operator', 'referring', 'performing', 'none', 'test',
]);

/** What joins the words of one compound: a single underscore, hyphen or dot, no space. */
const compoundJoint = /^[_.\-]$/;

/** How a word is written: a compound's neighbour spelled like the name found ("Halchenko_Yarik", "SMITH_JOHN") is taken for more of it. */
function caseShape(word: string): 'upper' | 'lower' | 'title' | 'uncased' | 'mixed' {
  if (!/^\p{L}+$/u.test(word)) return 'mixed';
  if (!/\p{Lu}|\p{Ll}/u.test(word)) return 'uncased';
  if (!/\p{Ll}/u.test(word)) return 'upper';
  if (!/\p{Lu}/u.test(word)) return 'lower';
  return /^\p{Lu}\p{Ll}/u.test(word) ? 'title' : 'mixed';
}

interface Term {
  words: string[];
  /** A person's name (or a word of it): takes the letter-only words of its compound along. */
  person: boolean;
  /** Dates may run on into a time (DT "20010115093000"): the last word only has to start with the term's. */
  openEnd: boolean;
}

/**
 * The terms Clean Descriptors looks for, indexed by first word so that scrubbing costs the same
 * whatever the number of identifying values (an export-wide list holds every patient's).
 *
 * Rule: a value is found only as whole words (letters and digits; any other character, `_` and
 * `^` included, separates), so "Ann" never cuts "SCANNER". Person names are also found word by
 * word, each word of 3+ characters (2 in non-Latin scripts) that is not a placeholder
 * (isSearchable's short and common tokens, namePlaceholders above); a name found inside a
 * compound (words joined by one `_`, `-` or `.`) takes along the adjacent letter-only words
 * written in the same case (Capitalised, UPPER, lower): "Halchenko_Yarik^950_bids_test4" →
 * "***^950_bids_test4"; "test4", "bids", "Smith_localizer"'s "localizer", "FIRST" in
 * "IEC_FIRST_LEVEL" stay. In an all-UPPER compound the neighbours go too ("SMITH_MPRAGE"):
 * case cannot tell a surname from a technical word there, and a leak costs more. Values in scripts
 * written without spaces are also found inside longer runs of text.
 */
export class ScrubIndex {
  /**
   * Scrubbed texts by the other index they were also scrubbed with (makeScrubber): a series'
   * files mostly hold the same descriptions, and an index never changes once built.
   */
  readonly scrubbedWith = new Map<ScrubIndex | undefined, Map<string, string>>();
  private readonly byFirstWord = new Map<string, Term[]>();
  /** Single-word open-ended terms (dates run on into a time), tried against every word. */
  private readonly openWords: string[] = [];
  private readonly unspacedValues: string[] = [];
  private unspacedPattern?: RegExp;

  constructor(identifiers: readonly IdentifyingValue[]) {
    const seen = new Set<string>();
    const add = (words: string[], openEnd: boolean, person: boolean): void => {
      const key = `${openEnd ? '>' : '='}${person ? 'p' : ''}${words.join(' ')}`;
      if (words.length === 0 || seen.has(key)) return;
      seen.add(key);
      if (openEnd && words.length === 1) {
        this.openWords.push(words[0]);
        return;
      }
      const list = this.byFirstWord.get(words[0]) ?? [];
      list.push({ words, openEnd, person });
      this.byFirstWord.set(words[0], list);
    };
    for (const id of identifiers) {
      if (id.kind === 'uid' || !isSearchable(id.value)) continue;
      const words = wordsOf(id.value);
      const person = id.kind === 'name' || id.kind === 'physician';
      if (person && words.every((w) => namePlaceholders.has(w))) continue;
      add(words, id.kind === 'date', person);
      if (person && words.length > 1) {
        for (const word of words) if (isSearchable(word) && !namePlaceholders.has(word)) add([word], false, true);
      }
      if (unspaced.test(id.value)) this.unspacedValues.push(id.value.trim(), id.value.trim().normalize('NFKC'));
    }
    // Longest first ("Halchenko Yarik" is cut as one, not as "*** ***"); a name before other kinds.
    for (const list of this.byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length || Number(b.person) - Number(a.person));
    this.unspacedValues.sort((a, b) => b.length - a.length);
  }

  /** Number of words of `words` from `i` on that an identifying value covers (0: none), and whether it is a name. */
  private matchAt(words: readonly string[], i: number): { n: number; person: boolean } {
    for (const term of this.byFirstWord.get(words[i]) ?? []) {
      const n = term.words.length;
      if (i + n > words.length) continue;
      let all = true;
      for (let w = 1; w < n && all; w++) {
        const word = words[i + w];
        all = term.openEnd && w === n - 1 ? word.startsWith(term.words[w]) : word === term.words[w];
      }
      if (all) return { n, person: term.person };
    }
    for (const prefix of this.openWords) if (words[i].startsWith(prefix)) return { n: 1, person: false };
    return { n: 0, person: false };
  }

  /** `text` with every identifying value found replaced by the scrub mark. */
  scrub(text: string): string {
    let out = text;
    if (this.unspacedValues.length > 0) {
      this.unspacedPattern ??= new RegExp([...new Set(this.unspacedValues)].map(escape).join('|'), 'gu');
      out = out.replace(this.unspacedPattern, scrubMark);
    }
    const spans = [...out.matchAll(wordPattern)];
    if (spans.length === 0) return out;
    const words = spans.map((m) => m[0].normalize('NFKC').toLowerCase());
    let result = '';
    let last = 0;
    const startOf = (k: number): number => spans[k].index ?? 0;
    const endOf = (k: number): number => startOf(k) + spans[k][0].length;
    // Words k and k + 1 written as one compound ("Halchenko_Yarik", "Jean-Pierre", "J.Smith").
    const joined = (k: number): boolean => compoundJoint.test(out.slice(endOf(k), startOf(k + 1)));
    for (let i = 0; i < words.length; ) {
      const { n, person } = this.matchAt(words, i);
      if (n === 0) {
        i++;
        continue;
      }
      let first = i;
      let end = i + n - 1;
      if (person) {
        // The rest of a name written as one compound goes with it: "Halchenko" is recorded
        // nowhere, but "Halchenko_Yarik" spells the operator's full name. Only letter-only
        // words written like the name found (both Capitalised, both UPPER…): "Smith_localizer",
        // T1, 3mm, test4 and words across ^ or spaces (Region^Exam) stay.
        const like = (k: number, found: number): boolean => {
          const shape = caseShape(spans[k][0]);
          return shape !== 'mixed' && shape === caseShape(spans[found][0]);
        };
        while (first > 0 && startOf(first - 1) >= last && joined(first - 1) && like(first - 1, first)) first--;
        while (end + 1 < words.length && joined(end) && like(end + 1, end)) end++;
      }
      result += out.slice(last, startOf(first)) + scrubMark;
      last = endOf(end);
      i = end + 1;
    }
    return result + out.slice(last);
  }
}

/** Indexes of export-wide lists, built once per list (by identity, or by key when a worker gets a copy). */
const indexByList = new WeakMap<readonly IdentifyingValue[], ScrubIndex>();
const indexByKey = new Map<string, ScrubIndex>();

export function scrubIndexFor(identifiers: readonly IdentifyingValue[], key?: string): ScrubIndex {
  const cached = indexByList.get(identifiers) ?? (key !== undefined ? indexByKey.get(key) : undefined);
  if (cached) return cached;
  const index = new ScrubIndex(identifiers);
  indexByList.set(identifiers, index);
  if (key !== undefined) {
    // Bounded: one entry per patient being exported at the moment.
    if (indexByKey.size >= 64) indexByKey.clear();
    indexByKey.set(key, index);
  }
  return index;
}

/**
 * A file's own index, shared by files with the same values (a series' files mostly are): an
 * index depends on the kinds and values only (UIDs are not scrubbed from text), so those are its key.
 */
function ownIndexFor(identifiers: readonly IdentifyingValue[]): ScrubIndex {
  const key = identifiers
    .filter((id) => id.kind !== 'uid')
    .map((id) => `${id.kind}\0${id.value}`)
    .join('\u0001');
  let index = indexByValues.get(key);
  if (!index) {
    index = new ScrubIndex(identifiers);
    // Bounded: a few patients' files in flight at a time.
    if (indexByValues.size >= 64) indexByValues.clear();
    indexByValues.set(key, index);
  }
  return index;
}

const indexByValues = new Map<string, ScrubIndex>();

/**
 * A function that cuts every identifying value of `identifiers` (the file's own) and of `shared`
 * (the rest of the export's, see DeidContext.knownIdentifiers), then typed dates, out of text.
 */
export function makeScrubber(identifiers: readonly IdentifyingValue[], shared?: ScrubIndex): (text: string) => string {
  const own = ownIndexFor(identifiers);
  let done = own.scrubbedWith.get(shared);
  if (!done) own.scrubbedWith.set(shared, (done = new Map()));
  const memo = done;
  return (text) => {
    let out = memo.get(text);
    if (out !== undefined) return out;
    out = own.scrub(text);
    if (shared) out = shared.scrub(out);
    out = out.replace(typedDates, scrubMark);
    // Bounded: free texts are few per series, but a file of many distinct ones must not pile up.
    if (memo.size >= 512) memo.clear();
    memo.set(text, out);
    return out;
  };
}
