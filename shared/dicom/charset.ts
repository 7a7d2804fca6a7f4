// Decoding text values under Specific Character Set (0008,0005): PS3.5 6.1,
// PS3.3 C.12.1.1.2, and ISO 2022 code extensions (PS3.5 6.1.2.5, Annex H/I/J).
// WHATWG TextDecoder labels do the byte → text work; this module only tracks
// which code element is active between escape sequences.

const ESC = 0x1b;

/** A code element designated to G0 (bytes 0x21–0x7E) or G1 (0xA1–0xFE). */
type CodeElement =
  | { kind: 'single'; label: string }
  /** JIS X 0208 (ISO-IR 87) or JIS X 0212 (ISO-IR 159) in G0, decoded via EUC-JP. */
  | { kind: 'jis'; plane: 0x0208 | 0x0212 };

interface CodeState {
  g0: CodeElement;
  g1: CodeElement | undefined;
}

const ascii: CodeElement = { kind: 'single', label: 'windows-1252' };
const romaji: CodeElement = { kind: 'single', label: 'shift_jis' };

/** Defined terms without code extensions (PS3.3 Table C.12-2, C.12-4). */
const singleByteLabels: Record<string, string> = {
  'ISO_IR 6': 'windows-1252',
  'ISO_IR 100': 'windows-1252',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'windows-1254',
  'ISO_IR 203': 'iso-8859-15',
  'ISO_IR 166': 'windows-874',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 192': 'utf-8',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

/** Initial G0/G1 for each ISO 2022 defined term (PS3.3 Table C.12-3, C.12-4). */
function initialState(term: string): CodeState {
  switch (term) {
    case 'ISO 2022 IR 13':
      return { g0: romaji, g1: { kind: 'single', label: 'shift_jis' } };
    case 'ISO 2022 IR 87':
      return { g0: { kind: 'jis', plane: 0x0208 }, g1: undefined };
    case 'ISO 2022 IR 159':
      return { g0: { kind: 'jis', plane: 0x0212 }, g1: undefined };
    case 'ISO 2022 IR 149':
      return { g0: ascii, g1: { kind: 'single', label: 'euc-kr' } };
    case 'ISO 2022 IR 58':
      return { g0: ascii, g1: { kind: 'single', label: 'gbk' } };
    case 'ISO 2022 IR 6':
    case '':
      return { g0: ascii, g1: undefined };
    default: {
      const plain = singleByteLabels[term.replace('ISO 2022 IR ', 'ISO_IR ')];
      return { g0: ascii, g1: plain ? { kind: 'single', label: plain } : undefined };
    }
  }
}

/** Escape sequences (without ESC) → the code element they designate (PS3.3 C.12-3/C.12-4). */
const escapes: Array<[number[], 'g0' | 'g1', CodeElement]> = [
  [[0x28, 0x42], 'g0', ascii], // ESC ( B  ISO-IR 6
  [[0x28, 0x4a], 'g0', romaji], // ESC ( J  ISO-IR 13 romaji
  [[0x24, 0x42], 'g0', { kind: 'jis', plane: 0x0208 }], // ESC $ B  ISO-IR 87
  [[0x24, 0x28, 0x44], 'g0', { kind: 'jis', plane: 0x0212 }], // ESC $ ( D  ISO-IR 159
  [[0x29, 0x49], 'g1', { kind: 'single', label: 'shift_jis' }], // ESC ) I  ISO-IR 13 katakana
  [[0x24, 0x29, 0x43], 'g1', { kind: 'single', label: 'euc-kr' }], // ESC $ ) C  ISO-IR 149
  [[0x24, 0x29, 0x41], 'g1', { kind: 'single', label: 'gbk' }], // ESC $ ) A  ISO-IR 58
  [[0x2d, 0x41], 'g1', { kind: 'single', label: 'windows-1252' }], // ESC - A  ISO-IR 100
  [[0x2d, 0x42], 'g1', { kind: 'single', label: 'iso-8859-2' }],
  [[0x2d, 0x43], 'g1', { kind: 'single', label: 'iso-8859-3' }],
  [[0x2d, 0x44], 'g1', { kind: 'single', label: 'iso-8859-4' }],
  [[0x2d, 0x4c], 'g1', { kind: 'single', label: 'iso-8859-5' }],
  [[0x2d, 0x47], 'g1', { kind: 'single', label: 'iso-8859-6' }],
  [[0x2d, 0x46], 'g1', { kind: 'single', label: 'iso-8859-7' }],
  [[0x2d, 0x48], 'g1', { kind: 'single', label: 'iso-8859-8' }],
  [[0x2d, 0x4d], 'g1', { kind: 'single', label: 'windows-1254' }],
  [[0x2d, 0x54], 'g1', { kind: 'single', label: 'windows-874' }],
  [[0x2d, 0x62], 'g1', { kind: 'single', label: 'iso-8859-15' }],
];

interface Decoder {
  decode(input: Uint8Array): string;
}
const decoders = new Map<string, Decoder>();
function decoder(label: string): Decoder {
  let found = decoders.get(label);
  if (!found) {
    found = new TextDecoder(label);
    decoders.set(label, found);
  }
  return found;
}

/** Normalises common misspellings ("ISO-IR 100", "ISO_IR_192", lower case). */
export function normaliseCharsetTerm(term: string): string {
  const t = term.trim().toUpperCase();
  let m = /^ISO[ _-]?2022[ _-]?IR[ _-]?(\d+)$/.exec(t);
  if (m) return `ISO 2022 IR ${m[1]}`;
  m = /^ISO[ _-]?IR[ _-]?(\d+)$/.exec(t);
  if (m) return `ISO_IR ${m[1]}`;
  return t;
}

function isPlainAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80 || bytes[i] === ESC) return false;
  return true;
}

/** Bytes of the default repertoire: ASCII, read leniently as Latin-1 when not. */
export function decodeAscii(bytes: Uint8Array): string {
  if (bytes.length < 4096 && isPlainAscii(bytes)) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return decoder('windows-1252').decode(bytes);
}

/**
 * Decodes a text value. `charsets` is the value of (0008,0005) in force (the
 * dataset's own, else its parent's); `isPersonName` makes ^ and = delimiters
 * that return to the initial code elements (PS3.5 6.1.2.5.3).
 */
export function decodeText(bytes: Uint8Array, charsets: readonly string[], isPersonName = false): string {
  if (isPlainAscii(bytes)) return decodeAscii(bytes);
  const terms = charsets.length ? charsets.map(normaliseCharsetTerm) : [''];
  const usesExtensions = terms.length > 1 || terms[0].startsWith('ISO 2022');
  if (!usesExtensions) return decoder(singleByteLabels[terms[0]] ?? 'windows-1252').decode(bytes);
  return decodeIso2022(bytes, initialState(terms[0]), isPersonName);
}

function decodeIso2022(bytes: Uint8Array, initial: CodeState, isPersonName: boolean): string {
  let state = { ...initial };
  let out = '';
  let runStart = 0;
  const flush = (end: number) => {
    if (end > runStart) out += decodeRun(bytes.subarray(runStart, end), state);
  };
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === ESC) {
      flush(i);
      const match = escapes.find(([seq]) => seq.every((s, k) => bytes[i + 1 + k] === s));
      if (match) {
        state = { ...state, [match[1]]: match[2] };
        i += 1 + match[0].length;
      } else {
        i += 1; // unknown escape: drop ESC, keep going
      }
      runStart = i;
      continue;
    }
    const delimiter =
      state.g0.kind === 'single' &&
      (b === 0x0d || b === 0x0a || b === 0x09 || b === 0x0c || b === 0x5c || (isPersonName && (b === 0x5e || b === 0x3d)));
    if (delimiter) {
      flush(i + 1);
      state = { ...initial };
      runStart = i + 1;
    }
    i += 1;
  }
  flush(bytes.length);
  return out;
}

/** Decodes bytes that share one G0/G1 designation. */
function decodeRun(run: Uint8Array, state: CodeState): string {
  const { g0, g1 } = state;
  if (g0.kind === 'jis') {
    // JIS X 0208/0212 bytes with the high bit set are EUC-JP (0x8F prefixes 0212).
    const euc: number[] = [];
    for (let i = 0; i < run.length; i++) {
      const b = run[i];
      if (b >= 0x80) {
        if (g1?.kind === 'single' && g1.label === 'shift_jis') euc.push(0x8e);
        euc.push(b);
      } else if (b >= 0x21 && b <= 0x7e && i + 1 < run.length) {
        if (g0.plane === 0x0212) euc.push(0x8f);
        euc.push(b | 0x80, run[i + 1] | 0x80);
        i += 1;
      } else {
        euc.push(b);
      }
    }
    return decoder('euc-jp').decode(new Uint8Array(euc));
  }
  const label = g1?.kind === 'single' ? g1.label : g0.label;
  return decoder(label).decode(run);
}
