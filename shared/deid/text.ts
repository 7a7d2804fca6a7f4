// Text in and out of a file's Specific Character Set (PS3.5 6.1) and the Clean
// Descriptors scrub (PS3.15 E.3.5): identifying values found elsewhere in the
// file are cut out of free text; the technical words around them stay.
import type { IdentifyingValue } from './identifiers';

const encoder = new TextEncoder();

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
  let bytes: Uint8Array | undefined;
  if (/^[\u0000-\u001a\u001c-\u007f]*$/.test(text)) {
    // ASCII (without ESC) is the G0 set of every DICOM character set.
    bytes = encoder.encode(text);
  } else {
    const first = normaliseTerm(charsets[0] ?? '');
    if (charsets.length === 1 && first === 'ISO_IR 192') bytes = encoder.encode(text);
    else if (charsets.length === 1 && first === 'ISO_IR 100' && /^[\u0000-\u00ff]*$/.test(text)) {
      bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    }
  }
  if (!bytes) return undefined;
  if (bytes.length % 2 === 0) return bytes;
  const even = new Uint8Array(bytes.length + 1);
  even.set(bytes);
  even[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return even;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Dates typed into free text, whoever's they are: ISO, European and US spellings with separators. */
const datePatterns = [
  String.raw`\b(?:19|20)\d{2}[-./](?:0[1-9]|1[0-2])[-./](?:0[1-9]|[12]\d|3[01])\b`,
  String.raw`\b(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d{2}\b`,
  String.raw`\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:19|20)\d{2}\b`,
];

export const scrubMark = '***';

/** A function that cuts every identifying value (longest first, any case) and typed dates out of text. */
export function makeScrubber(identifiers: readonly IdentifyingValue[]): (text: string) => string {
  const values = [...new Set(identifiers.filter((v) => v.kind !== 'uid').map((v) => v.value))].sort((a, b) => b.length - a.length);
  const pattern = new RegExp([...values.map(escape), ...datePatterns].join('|'), 'giu');
  return (text) => text.replace(pattern, scrubMark);
}
