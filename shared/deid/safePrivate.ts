// Retain Safe Private Option (PS3.15 E.3.10): private elements are removed
// unless listed here as known to carry no identity. The list is deliberately
// small — acquisition parameters research pipelines need and that no standard
// attribute carries — and every entry says why it is safe. Siemens CSA headers
// ((0029,xx10), (0029,xx20)) are NOT here: they can embed names and IDs (DATA.md).
import type { Dataset } from '../dicom';

interface SafePrivate {
  creator: string;
  group: number;
  /** Element offset in the creator's block (the "xx" of (gggg,xxEE)). */
  offset: number;
  keyword: string;
  why: string;
  /** What the value may look like: numbers only, or one of a few code words. */
  values: 'numbers' | readonly string[];
}

export const safePrivateElements: readonly SafePrivate[] = [
  // Diffusion encoding: numbers describing the gradient, needed to process DWI/DTI, nothing about the person.
  { creator: 'SIEMENS MR HEADER', group: 0x0019, offset: 0x0c, keyword: 'B_value', why: 'diffusion b-value (s/mm²), an acquisition parameter', values: 'numbers' },
  { creator: 'SIEMENS MR HEADER', group: 0x0019, offset: 0x0d, keyword: 'DiffusionDirectionality', why: 'diffusion scheme code word, technical', values: ['DIRECTIONAL', 'NONE', 'ISOTROPIC', 'BMATRIX'] },
  { creator: 'SIEMENS MR HEADER', group: 0x0019, offset: 0x0e, keyword: 'DiffusionGradientDirection', why: 'unit gradient vector, technical', values: 'numbers' },
  { creator: 'SIEMENS MR HEADER', group: 0x0019, offset: 0x27, keyword: 'B_matrix', why: 'diffusion b-matrix, technical', values: 'numbers' },
  // Slice timing for fMRI: times relative to the acquisition start, not absolute clock times.
  { creator: 'SIEMENS MR HEADER', group: 0x0019, offset: 0x29, keyword: 'MosaicRefAcqTimes', why: 'relative slice acquisition times (ms), no clock time', values: 'numbers' },
  { creator: 'GEMS_PARM_01', group: 0x0043, offset: 0x39, keyword: 'SlopInteger6to9', why: 'GE stores the diffusion b-value here, numeric only', values: 'numbers' },
  { creator: 'Philips Imaging DD 001', group: 0x2001, offset: 0x03, keyword: 'DiffusionBFactor', why: 'diffusion b-value, an acquisition parameter', values: 'numbers' },
  { creator: 'Philips MR Imaging DD 001', group: 0x2005, offset: 0xb0, keyword: 'DiffusionDirectionRL', why: 'gradient direction component, technical', values: 'numbers' },
  { creator: 'Philips MR Imaging DD 001', group: 0x2005, offset: 0xb1, keyword: 'DiffusionDirectionAP', why: 'gradient direction component, technical', values: 'numbers' },
  { creator: 'Philips MR Imaging DD 001', group: 0x2005, offset: 0xb2, keyword: 'DiffusionDirectionFH', why: 'gradient direction component, technical', values: 'numbers' },
];

const byKey = new Map(safePrivateElements.map((e) => [`${e.group}|${e.offset}|${e.creator}`, e]));

const textVRs = new Set(['LO', 'SH', 'CS', 'DS', 'IS', 'ST', 'LT', 'UT', 'UC']);

/**
 * The safe-list entry for a private element, or undefined. The value is checked too: a vendor
 * reusing a listed slot for free text (or a name) is not kept. UN values must be binary numbers
 * (a whole number of 4-byte words, not printable text) or numeric text.
 */
export function safePrivateEntry(dataset: Dataset, tag: string, vr: string, bytes: Uint8Array): SafePrivate | undefined {
  const creator = dataset.privateCreator(tag);
  if (!creator) return undefined;
  const group = parseInt(tag.slice(0, 4), 16);
  const offset = parseInt(tag.slice(6, 8), 16);
  const entry = byKey.get(`${group}|${offset}|${creator.trim()}`);
  if (!entry || vr === 'SQ') return undefined;
  // Listed values are ASCII (numbers, code words); UN bytes are not decoded by the model.
  const text = () => String.fromCharCode(...bytes.subarray(0, 1024)).replace(/[\0 ]+$/, '');
  if (entry.values !== 'numbers') return entry.values.includes(text().trim()) ? entry : undefined;
  const numericText = /^[\s\d.+\-eE\\]*$/;
  if (textVRs.has(vr)) return numericText.test(text()) ? entry : undefined;
  if (vr === 'UN') {
    const printable = bytes.every((b) => b === 0 || (b >= 0x20 && b < 0x7f));
    return (printable ? numericText.test(text()) : bytes.length % 4 === 0) ? entry : undefined;
  }
  return entry;
}
