// The verification pass: an exported file is re-read with Veil's reader and
// every element's text (private and nested included, under the file's
// character sets) plus the raw bytes are searched for every identifying value
// collected from the inputs, in the spellings people and devices use. Original
// instance UIDs must all be gone (PS3.15 E.3.9 unless UIDs are retained).
import { DicomReadError, Tags, decodeText, elementText, formatTag, isPrivateTag, readDicom, TransferSyntax, type Dataset, type DicomFile } from '../dicom';
import { isSearchable, ruleFor, type IdentifyingValue } from '../deid';

export interface VerificationFinding {
  /** What leaked: the identifying value's kind, or "uid" for an original UID. */
  kind: IdentifyingValue['kind'];
  /** Where the value came from in the input, e.g. "(0010,0010)". The value itself is never reported. */
  source: string;
  /** Where it was found: an element path, or "raw bytes @<offset>" (offset with the pixel values left out). */
  where: string;
  /** How it was found. */
  match: 'element' | 'raw-ascii' | 'raw-charset';
}

export interface VerificationResult {
  ok: boolean;
  findings: VerificationFinding[];
  /** Distinct search terms tried (values in all their spellings). */
  searchedTerms: number;
  /** Values too short or common to search without false alarms (deid's isSearchable). */
  tooShort: number;
  /** Set when the exported file could not be read back at all (a failure). */
  unreadable?: string;
}

/**
 * Lower case, NFKC, every run of non-letters/digits → one space (covers ^, =, -, /, commas),
 * except a dot between digits: "5.00000" stays one number, so "00000" is not found in it.
 */
export function normaliseText(text: string): string {
  const fast = normaliseAsciiFast(text);
  if (fast !== undefined) return fast;
  const spaced = text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}.]+/gu, ' ');
  return spaced
    .replace(/(?<![0-9])\.|\.(?![0-9])/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

let scratch = new Uint8Array(1024);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * normaliseText's rules in one pass over the characters (the hot path: every element of
 * every copy): A–Z lowered, runs of anything but a–z, 0–9 and dots inside numbers become
 * one space, none at either end. Undefined for text with characters outside ASCII.
 */
function normaliseAsciiFast(text: string): string | undefined {
  if (scratch.length < text.length) scratch = new Uint8Array(text.length * 2);
  const n = normaliseInto(text, 0);
  return n < 0 ? undefined : latin1Text(scratch, n);
}

/** normaliseAsciiFast's pass written into `scratch` from `from` (which must have room); the end, or -1 for non-ASCII. */
function normaliseInto(text: string, from: number): number {
  let n = from;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 0x7f) return -1;
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    const keep =
      (c >= 0x61 && c <= 0x7a) || isDigit(c) || (c === 0x2e && i > 0 && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1)));
    if (!keep) {
      space = true;
      continue;
    }
    if (space && n > from) scratch[n++] = 0x20;
    space = false;
    scratch[n++] = c;
  }
  return n;
}

/**
 * normaliseText of each text into `scratch`, joined by " \u0001 " (a word no term has, so none
 * spans two texts); texts that normalise to nothing are left out. The length, or -1 when a
 * text is not ASCII (then joinNormalised's strings). Searched as bytes: a string per element,
 * or even one for them all, cost more than the search.
 */
function joinNormalisedInto(texts: readonly string[]): number {
  let total = 0;
  for (const text of texts) total += text.length + 3;
  if (scratch.length < total) scratch = new Uint8Array(total * 2);
  let n = 0;
  for (const text of texts) {
    const start = n;
    if (n > 0) {
      scratch[n++] = 0x20;
      scratch[n++] = 0x01;
      scratch[n++] = 0x20;
    }
    const end = normaliseInto(text, n);
    if (end < 0) return -1;
    n = end === n ? start : end;
  }
  return n;
}

function joinNormalised(texts: readonly string[]): string {
  return texts.map(normaliseText).filter((t) => t !== '').join(' \u0001 ');
}

/**
 * normaliseText's rules applied to raw bytes as ASCII (any byte above 0x7F separates words,
 * as in the raw pass) into `scratch`; the length.
 */
function normaliseBytesInto(bytes: Uint8Array): number {
  if (scratch.length < bytes.length) scratch = new Uint8Array(bytes.length * 2);
  let n = 0;
  let space = false;
  for (let i = 0; i < bytes.length; i++) {
    let c = bytes[i];
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    const keep = (c >= 0x61 && c <= 0x7a) || isDigit(c) || (c === 0x2e && i > 0 && isDigit(bytes[i - 1]) && i + 1 < bytes.length && isDigit(bytes[i + 1]));
    if (!keep) {
      space = true;
      continue;
    }
    if (space && n > 0) scratch[n++] = 0x20;
    space = false;
    scratch[n++] = c;
  }
  return n;
}

/** Bytes 0–255 as the same code units (short texts by fromCharCode, long ones in slices). */
function latin1Text(bytes: Uint8Array, length: number): string {
  let out = '';
  for (let at = 0; at < length; at += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(length, at + 4096)) as unknown as number[]);
  }
  return out;
}

const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The usual spellings of a DA value (PS3.5 6.2 YYYYMMDD), already normalised. */
export function dateSpellings(value: string): string[] {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value.replace(/[^0-9]/g, ''));
  if (!m) return [normaliseText(value)];
  const [, y, mo, d] = m;
  const month = monthNames[Number(mo) - 1];
  const short = month?.slice(0, 3);
  const dd = String(Number(d));
  const spellings = [
    `${y}${mo}${d}`,
    `${y} ${mo} ${d}`,
    `${d} ${mo} ${y}`,
    `${mo} ${d} ${y}`,
    // Dots between digits survive normalisation (numbers stay whole).
    `${y}.${mo}.${d}`,
    `${d}.${mo}.${y}`,
    `${mo}.${d}.${y}`,
    ...(month ? [`${dd} ${month} ${y}`, `${dd} ${short} ${y}`, `${month} ${dd} ${y}`, `${short} ${dd} ${y}`, `${d}${short}${y}`] : []),
  ];
  return [...new Set(spellings)];
}

interface Term {
  text: string;
  kind: IdentifyingValue['kind'];
  source: string;
  /** Dates may run on into a time (DT "20010115093000"); other values must end at a boundary. */
  openEnd: boolean;
  /** One word of a person name rather than a whole value. */
  part: boolean;
  /** The identifying value it comes from, normalised (for values kept on purpose). */
  valueKey: string;
}

/** Person names: the whole name and each part of 3+ characters (PS3.5 6.2.1 components). */
const personKinds = new Set<IdentifyingValue['kind']>(['name', 'physician']);

/**
 * Words that stand in for a name rather than being one ("Last Name^First Name", "Doctor^Unknown"):
 * searching them would fail files for "First Signal Mode" or "IEC_FIRST_LEVEL".
 */
const namePlaceholders = new Set([
  'first', 'last', 'name', 'names', 'given', 'family', 'middle', 'surname', 'forename', 'unknown', 'anonymous',
  'anonymized', 'anonymised', 'patient', 'doctor', 'physician', 'operator', 'referring', 'performing', 'none', 'test',
]);

function termsFor(identifiers: readonly IdentifyingValue[]): { terms: Term[]; tooShort: number } {
  const byText = new Map<string, Term>();
  let tooShort = 0;
  const add = (text: string, id: IdentifyingValue, openEnd = false, part = false): void => {
    if (text.length > 0 && !byText.has(text)) byText.set(text, { text, kind: id.kind, source: id.source, openEnd, part, valueKey: normaliseText(id.value) });
  };
  for (const id of identifiers) {
    if (id.kind === 'uid') continue;
    const whole = normaliseText(id.value);
    // The engine only hands over searchable values; this guards direct callers.
    // Placeholders such as "00000" are not anyone's identifier.
    if (!isSearchable(id.value) || whole.length < 2 || /^(\d)\1*$/.test(whole)) {
      if (whole.length > 0) tooShort++;
      continue;
    }
    if (id.kind === 'date') {
      add(whole, id, true);
      if (/^\d{8}$/.test(id.value.trim())) for (const spelling of dateSpellings(id.value)) add(spelling, id, true);
    } else if (personKinds.has(id.kind)) {
      const words = whole.split(' ');
      if (words.every((w) => namePlaceholders.has(w))) continue;
      add(whole, id);
      for (const part of words) if (isSearchable(part) && !namePlaceholders.has(part)) add(part, id, false, true);
    } else {
      add(whole, id);
    }
  }
  return { terms: [...byText.values()], tooShort };
}

interface Prepared {
  index: TermIndex;
  terms: number;
  tooShort: number;
}

/** Building terms costs more than searching one file: an identifier list is prepared once. */
const preparedLists = new WeakMap<readonly IdentifyingValue[], Prepared>();
const preparedByKey = new Map<string, Prepared>();

function prepare(identifiers: readonly IdentifyingValue[], cacheKey?: string): Prepared {
  const cached = preparedLists.get(identifiers) ?? (cacheKey !== undefined ? preparedByKey.get(cacheKey) : undefined);
  if (cached) return cached;
  const { terms, tooShort } = termsFor(identifiers);
  const prepared = { index: new TermIndex(terms), terms: terms.length, tooShort };
  preparedLists.set(identifiers, prepared);
  if (cacheKey !== undefined) {
    // Bounded: one entry per patient being exported at the moment.
    if (preparedByKey.size >= 64) preparedByKey.clear();
    preparedByKey.set(cacheKey, prepared);
  }
  return prepared;
}

/**
 * Terms looked up by their first word: one pass over a text's words, whatever the number
 * of terms (an export of many patients searches every copy for all of their names).
 * Open-ended terms (dates running on into a time) are few and searched by position.
 */
class TermIndex {
  private readonly byFirstWord = new Map<string, Array<{ term: Term; words: string[] }>>();
  /** Open-ended terms by their first `prefixLength` characters, tried at each word start. */
  private readonly openByPrefix = new Map<string, Term[]>();
  private readonly prefixLength: number;
  /** The same for findBytes, keyed by a hash of the bytes (ASCII terms only: normalised bytes are ASCII). */
  private readonly byFirstWordHash = new Map<number, ByteTerm[]>();
  private readonly openByPrefixHash = new Map<number, ByteTerm[]>();
  /** Bit n set: some term's first word is n bytes long (bit 31: 31 or more); other words are not hashed. */
  private firstWordLengths = 0;

  constructor(terms: readonly Term[]) {
    const open = terms.filter((t) => t.openEnd);
    this.prefixLength = Math.min(4, ...open.map((t) => t.text.length));
    const push = (map: Map<number, ByteTerm[]>, key: number, term: Term): boolean => {
      if (!/^[\x00-\x7f]*$/.test(term.text)) return false;
      const bytes = Uint8Array.from(term.text, (ch) => ch.charCodeAt(0));
      map.set(key, [...(map.get(key) ?? []), { term, bytes }]);
      return true;
    };
    for (const term of open) {
      const key = term.text.slice(0, this.prefixLength);
      this.openByPrefix.set(key, [...(this.openByPrefix.get(key) ?? []), term]);
      push(this.openByPrefixHash, packAscii(key), term);
    }
    for (const term of terms) {
      if (term.openEnd) continue;
      const words = term.text.split(' ');
      const list = this.byFirstWord.get(words[0]) ?? [];
      list.push({ term, words });
      this.byFirstWord.set(words[0], list);
      if (push(this.byFirstWordHash, hashAscii(words[0]), term)) this.firstWordLengths |= 1 << Math.min(31, words[0].length);
    }
  }

  /**
   * `find` over normalised ASCII bytes (`bytes[0, length)`): the same terms, without a string
   * per word. A word's hash picks the candidates; their bytes are then compared.
   */
  findBytes(bytes: Uint8Array, length: number, skip: (term: Term) => boolean): Term[] {
    const found = new Set<Term>();
    const openTerms = this.openByPrefixHash.size > 0;
    for (let start = 0; start <= length; ) {
      let end = start;
      while (end < length && bytes[end] !== 0x20) end++;
      const candidates = this.firstWordLengths & (1 << Math.min(31, end - start)) ? this.byFirstWordHash.get(hashBytes(bytes, start, end)) : undefined;
      if (candidates) {
        for (const { term, bytes: text } of candidates) {
          const stop = start + text.length;
          if (!found.has(term) && (stop === length || (stop < length && bytes[stop] === 0x20)) && sameAt(bytes, start, text) && !skip(term)) found.add(term);
        }
      }
      if (openTerms && start + this.prefixLength <= length) {
        let prefix = 0;
        for (let i = start + this.prefixLength - 1; i >= start; i--) prefix = (prefix << 8) | bytes[i];
        for (const { term, bytes: text } of this.openByPrefixHash.get(prefix) ?? []) {
          if (!found.has(term) && start + text.length <= length && sameAt(bytes, start, text) && !skip(term)) found.add(term);
        }
      }
      start = end + 1;
    }
    return [...found];
  }

  /** Terms found in normalised `text` (each once), except those `skip` rules out. */
  find(text: string, skip: (term: Term) => boolean = () => false): Term[] {
    const found = new Set<Term>();
    const words = text.split(' ');
    let start = 0;
    for (let i = 0; i < words.length; i++) {
      const candidates = this.byFirstWord.get(words[i]);
      if (candidates) {
        for (const { term, words: termWords } of candidates) {
          if (found.has(term) || skip(term)) continue;
          let all = true;
          for (let w = 1; w < termWords.length && all; w++) all = words[i + w] === termWords[w];
          if (all) found.add(term);
        }
      }
      // Open-ended terms (dates running on into a time) start at a word start, end anywhere.
      const open = this.openByPrefix.size > 0 ? this.openByPrefix.get(text.slice(start, start + this.prefixLength)) : undefined;
      if (open) for (const term of open) if (!found.has(term) && !skip(term) && text.startsWith(term.text, start)) found.add(term);
      start += words[i].length + 1;
    }
    return [...found];
  }
}

interface ByteTerm {
  term: Term;
  bytes: Uint8Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashAscii(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash >>> 0;
}

/** Up to 4 ASCII characters as one integer, the first in the low byte (an exact key, no hash). */
function packAscii(text: string): number {
  let packed = 0;
  for (let i = text.length - 1; i >= 0; i--) packed = (packed << 8) | text.charCodeAt(i);
  return packed;
}

function sameAt(bytes: Uint8Array, at: number, text: Uint8Array): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text[i]) return false;
  return true;
}

/**
 * findUids over raw bytes read as ASCII: the same runs (`[0-9]+(?:\.[0-9]+)+`, leftmost, not
 * overlapping), a string made only for a dotted run.
 */
function findUidsInBytes(bytes: Uint8Array, uids: ReadonlySet<string>): Array<{ at: number }> {
  const found: Array<{ at: number }> = [];
  if (uids.size === 0) return found;
  for (let i = 0; i < bytes.length; ) {
    if (!isDigit(bytes[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < bytes.length && isDigit(bytes[i])) i++;
    let dotted = false;
    while (i + 1 < bytes.length && bytes[i] === 0x2e && isDigit(bytes[i + 1])) {
      dotted = true;
      i++;
      while (i < bytes.length && isDigit(bytes[i])) i++;
    }
    if (dotted && uids.has(latin1Text(bytes.subarray(start, i), i - start))) found.push({ at: start });
  }
  return found;
}

/**
 * Original UIDs in `text`, matched exactly: every maximal run of dotted digits is one
 * candidate, so "1.2.3" never matches inside "1.2.34" or "1.2.3.4". Linear in the text,
 * whatever the number of UIDs (a DICOMDIR is checked against every input's UIDs).
 */
function findUids(text: string, uids: ReadonlySet<string>): Array<{ at: number }> {
  const found: Array<{ at: number }> = [];
  if (uids.size === 0) return found;
  for (const match of text.matchAll(/[0-9]+(?:\.[0-9]+)+/g)) if (uids.has(match[0])) found.push({ at: match.index ?? 0 });
  return found;
}

/** Standard UIDs (SOP classes, transfer syntaxes, coding schemes) are not instance data. */
const standardUidRoot = '1.2.840.10008.';

interface TextSite {
  where: string;
  text: string;
}

function elementPath(prefix: string, tag: string): string {
  return prefix ? `${prefix}.${formatTag(tag)}` : formatTag(tag);
}

/** Every element's value as text: strings decoded under the charset; binary values too (private blobs hold text). */
function collectText(dataset: Dataset, prefix: string, out: TextSite[]): void {
  for (const element of dataset) {
    const path = elementPath(prefix, element.tag);
    if (element.items) {
      element.items.forEach((item, i) => collectText(item, `${path}[${i}]`, out));
      continue;
    }
    if (element.encapsulated || sampleDataTags.has(element.tag) || element.bytes.length === 0) continue;
    // Values as decoded, not split and trimmed: normalising makes the same words of them.
    const text = elementText(element, dataset) ?? dataset.strings(element.tag).join('\\');
    if (text !== '') out.push({ where: path, text });
    if (element.vr === 'UN' || element.vr === 'OB' || element.vr === 'OW') {
      out.push({ where: path, text: decodeText(element.bytes, dataset.characterSets()) });
    }
  }
}

/**
 * The header bytes left for the raw search: pixel values (compressed or raw image bytes
 * hold short "words" by chance; text drawn into pixels is the pixel checks' job) and the
 * values of exempt elements (searched element by element instead) are cut out, each
 * replaced by one NUL — a few KiB instead of the whole file.
 */
function rawSearchBytes(fileBytes: Uint8Array, file: DicomFile, exempt: ReadonlySet<string>): Uint8Array {
  const bytes = searchableBytes(fileBytes, file);
  const values = sampleValues(file.dataset);
  for (const where of exempt) {
    // Exempt paths are top-level "(gggg,eeee)".
    const element = file.dataset.get(`${where.slice(1, 5)}${where.slice(6, 10)}`);
    if (element && formatTag(element.tag) === where) values.push(element.bytes);
  }
  const parts = values
    .filter((p) => p.buffer === bytes.buffer && p.length > 0)
    .map((p) => ({ start: p.byteOffset - bytes.byteOffset, end: p.byteOffset - bytes.byteOffset + p.length }))
    .filter((r) => r.start >= 0 && r.end <= bytes.length)
    .sort((a, b) => a.start - b.start);
  if (parts.length === 0) return bytes;
  const kept = bytes.length - parts.reduce((n, r) => n + (r.end - r.start), 0) + parts.length;
  const out = new Uint8Array(kept);
  let from = 0;
  let at = 0;
  for (const r of parts) {
    out.set(bytes.subarray(from, r.start), at);
    at += r.start - from + 1;
    from = r.end;
  }
  out.set(bytes.subarray(from), at);
  return out;
}

/**
 * Sample arrays — pixels and waveforms — at any depth: binary samples hold short
 * "words" by chance (an ECG's WaveformData matched the initials "S R").
 */
const sampleDataTags: ReadonlySet<string> = new Set([
  Tags.PixelData,
  '7FE00008', // Float Pixel Data
  '7FE00009', // Double Float Pixel Data
  '54001010', // Waveform Data (PS3.3 C.10.9)
]);

function sampleValues(dataset: Dataset): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const element of dataset) {
    if (element.items) for (const item of element.items) out.push(...sampleValues(item));
    else if (sampleDataTags.has(element.tag)) out.push(...(element.encapsulated ? element.encapsulated.fragments : [element.bytes]));
  }
  return out;
}

/**
 * A deflated file's bytes are compressed noise to a text search; its elements point
 * into the inflated dataset, which is what must be searched (PS3.5 A.5); the
 * uncompressed meta group is still searched element by element.
 */
function searchableBytes(fileBytes: Uint8Array, file: DicomFile): Uint8Array {
  if (file.transferSyntaxUID !== TransferSyntax.DeflatedExplicitVRLittleEndian) return fileBytes;
  const element = [...file.dataset].find((e) => e.bytes.length > 0);
  return element ? new Uint8Array(element.bytes.buffer) : fileBytes;
}

function latin1(bytes: Uint8Array): string {
  // One UTF-16 unit per byte: offsets stay byte offsets. (Bytes 0x80-0x9F are not windows-1252's
  // letters here, but every byte above 0x7F separates words in the ASCII pass either way.)
  return latin1Text(bytes, bytes.length);
}

function hasOtherThanAsciiOrReplacement(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f && c !== 0xfffd) return true;
  }
  return false;
}

/**
 * Searches one exported file for every identifying value and original UID.
 * `originalUIDs` are the input's instance UIDs (standard UIDs are ignored).
 */
export interface VerifyOptions {
  /**
   * Element paths outside the PS3.15 table that the export left exactly as in the input
   * (Manufacturer, model names: kept by the Basic Profile as not identifying). A word of a
   * person's name or an institution's name found there is a coincidence the input already
   * had ("Philips" the patient, "Philips" the maker; "TOSHIBA" the test site, "TOSHIBA_MEC"
   * the maker); IDs, dates, addresses, phones and whole person names are still searched.
   */
  unchanged?: ReadonlySet<string>;
  /** More values to search for (e.g. this file's own, besides its patient's shared list). */
  also?: readonly IdentifyingValue[];
  /** Normalised values the profile kept on purpose (see keptValueKeys): not searched. */
  keptValues?: ReadonlySet<string>;
  /**
   * Names `identifiers` for reuse across calls when the same list arrives as a new array
   * (structured-cloned into a worker). Must change whenever the list does.
   */
  cacheKey?: string;
  /** Receives the copy as read here, so a caller needing its header (a DICOMDIR entry) parses it once. */
  onRead?: (file: DicomFile) => void;
}

export function verifyExport(
  bytes: Uint8Array,
  identifiers: readonly IdentifyingValue[],
  originalUIDs: readonly string[],
  options: VerifyOptions = {},
): VerificationResult {
  const unchanged = options.unchanged ?? new Set<string>();
  const kept = options.keptValues ?? new Set<string>();
  const prepared = [prepare(identifiers, options.cacheKey), ...(options.also ? [prepare(options.also)] : [])];
  const termCount = prepared.reduce((n, l) => n + l.terms, 0);
  const tooShort = prepared.reduce((n, l) => n + l.tooShort, 0);
  // A list with no terms finds nothing (a file's own values are mostly its patient's already).
  const lists = prepared.filter((l) => l.terms > 0);
  const uids = new Set(originalUIDs.map((u) => u.replace(/\0/g, '').trim()).filter((u) => u.length > 0 && !u.startsWith(standardUidRoot)));
  const findings: VerificationFinding[] = [];
  const seen = new Set<string>();
  const report = (finding: VerificationFinding): void => {
    const key = `${finding.source}|${finding.where}|${finding.match}`;
    if (!seen.has(key)) {
      seen.add(key);
      findings.push(finding);
    }
  };

  const sites: TextSite[] = [];
  let charsets: string[] = [];
  let headerBytes = bytes;
  try {
    const file = readDicom(bytes);
    options.onRead?.(file);
    collectText(file.meta, '', sites);
    collectText(file.dataset, '', sites);
    charsets = file.dataset.characterSets();
    headerBytes = rawSearchBytes(bytes, file, unchanged);
  } catch (error) {
    const reason = error instanceof DicomReadError ? error.message : String(error);
    return { ok: false, findings, searchedTerms: termCount + uids.size, tooShort, unreadable: reason };
  }

  // All elements' text at once first, joined by a word no term has (terms are letters, digits
  // and dots), so no term spans two elements. Finding nothing there is the usual outcome and
  // settles it; anything found is looked up element by element, with each one's exemptions.
  // Elements left unchanged are searched with their exemptions, as one text of their own.
  const skipFor = (exempt: boolean) => (term: Term): boolean => kept.has(term.valueKey) || (exempt && (term.part || term.kind === 'institution'));
  const foundIn = (exempt: boolean): boolean => {
    const texts = sites.filter((site) => unchanged.has(site.where) === exempt).map((site) => site.text);
    const length = joinNormalisedInto(texts);
    if (length >= 0) return length > 0 && lists.some(({ index }) => index.findBytes(scratch, length, skipFor(exempt)).length > 0);
    const text = joinNormalised(texts);
    return text !== '' && lists.some(({ index }) => index.find(text, skipFor(exempt)).length > 0);
  };
  const suspect = foundIn(false) || foundIn(true) || findUids(sites.map((site) => site.text).join('\n'), uids).length > 0;
  for (const site of suspect ? sites : []) {
    const skip = skipFor(unchanged.has(site.where));
    const text = normaliseText(site.text);
    for (const { index } of lists) {
      for (const term of index.find(text, skip)) report({ kind: term.kind, source: term.source, where: site.where, match: 'element' });
    }
    if (findUids(site.text, uids).length > 0) report({ kind: 'uid', source: 'original UID', where: site.where, match: 'element' });
  }

  // Raw bytes: what a reader might not show (odd private encodings, trailing data). Once as
  // ASCII (cheap, covers most: searched as bytes), once under the file's character sets when
  // it has other bytes.
  // Name words are searched element by element above, where their place is known.
  const rawSkip = (term: Term): boolean => term.part || kept.has(term.valueKey);
  const rawLength = normaliseBytesInto(headerBytes);
  let raw: string | undefined;
  for (const { index } of lists) {
    for (const term of index.findBytes(scratch, rawLength, rawSkip)) {
      raw ??= latin1(headerBytes).toLowerCase();
      report({ kind: term.kind, source: term.source, where: `raw bytes @${raw.indexOf(term.text.split(' ')[0])}`, match: 'raw-ascii' });
    }
  }
  for (const { at } of findUidsInBytes(headerBytes, uids)) report({ kind: 'uid', source: 'original UID', where: `raw bytes @${at}`, match: 'raw-ascii' });
  const passes: Array<{ text: string; normalised: string; match: VerificationFinding['match'] }> = [];
  if (charsets.some((c) => c !== '' && c !== 'ISO_IR 6' && c !== 'ISO_IR 100') && headerBytes.some((b) => b >= 0x80)) {
    const decoded = decodeText(headerBytes, charsets);
    // Decoded, binary bytes (lengths, numbers) are mostly U+FFFD: a separator in both passes,
    // so the ASCII pass has seen the same words. Other characters could join or make words.
    if (suspect || hasOtherThanAsciiOrReplacement(decoded)) passes.push({ text: decoded, normalised: normaliseText(decoded), match: 'raw-charset' });
  }
  for (const pass of passes) {
    for (const { index } of lists) {
      for (const term of index.find(pass.normalised, rawSkip)) {
        const at = pass.text.toLowerCase().indexOf(term.text.split(' ')[0]);
        report({ kind: term.kind, source: term.source, where: `raw bytes @${at}`, match: pass.match });
      }
    }
    for (const { at } of findUids(pass.text, uids)) report({ kind: 'uid', source: 'original UID', where: `raw bytes @${at}`, match: pass.match });
  }
  return { ok: findings.length === 0, findings, searchedTerms: termCount + uids.size, tooShort };
}

/**
 * Every UID the profile must replace (PS3.15 E.1-1 action U, and the Media Storage SOP
 * Instance UID that mirrors the SOP Instance UID), nested included. UIDs of classes,
 * coding schemes and software are not the patient's and stay.
 */
export function instanceUIDs(dataset: Dataset, out = new Set<string>()): Set<string> {
  for (const element of dataset) {
    if (element.items) {
      for (const item of element.items) instanceUIDs(item, out);
    } else if (element.vr === 'UI' && element.skippedLength === undefined) {
      const replaced = element.tag === Tags.MediaStorageSOPInstanceUID || (ruleFor(element.tag)?.basic.includes('U') ?? false);
      if (!replaced) continue;
      for (const uid of dataset.strings(element.tag)) if (uid && !uid.startsWith(standardUidRoot)) out.add(uid);
    }
  }
  return out;
}

/** Top-level standard elements outside the PS3.15 table whose value the export left exactly as in the input. */
export function unchangedElementPaths(original: Dataset, output: Dataset): Set<string> {
  const paths = new Set<string>();
  for (const element of output) {
    if (isPrivateTag(element.tag) || ruleFor(element.tag) || element.tag === Tags.PixelData) continue;
    const before = original.get(element.tag);
    // Text lives in short values; comparing pixel data would cost more than all the rest.
    if (!before || element.items || before.items || element.encapsulated || element.bytes.length > 4096) continue;
    if (sameBytes(element.bytes, before.bytes)) paths.add(formatTag(element.tag));
  }
  return paths;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Normalised values of the elements the profile kept on purpose (audit action "kept"): expected in the output. */
export function keptValueKeys(
  ownIdentifiers: readonly IdentifyingValue[],
  audit: ReadonlyArray<{ path: string; action: string }>,
): Set<string> {
  const kept = new Set(audit.filter((a) => a.action === 'kept').map((a) => a.path.toUpperCase()));
  return new Set(ownIdentifiers.filter((id) => kept.has(id.source.toUpperCase())).map((id) => normaliseText(id.value)));
}

/**
 * The values a verification should look for: a value the profile kept on purpose
 * (an element with action "kept", e.g. under Retain Institution Identity) is
 * expected in the output and is not searched.
 */
export function valuesToVerify(
  identifiers: readonly IdentifyingValue[],
  ownIdentifiers: readonly IdentifyingValue[],
  audit: ReadonlyArray<{ path: string; action: string }>,
): IdentifyingValue[] {
  const kept = new Set(audit.filter((a) => a.action === 'kept').map((a) => a.path.toUpperCase()));
  const keptValues = new Set(ownIdentifiers.filter((id) => kept.has(id.source.toUpperCase())).map((id) => normaliseText(id.value)));
  return identifiers.filter((id) => !keptValues.has(normaliseText(id.value)));
}
