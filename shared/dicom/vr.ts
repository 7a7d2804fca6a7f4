// Value Representations (PS3.5 6.2) and how each is laid out on the wire.
export type VR =
  | 'AE' | 'AS' | 'AT' | 'CS' | 'DA' | 'DS' | 'DT' | 'FD' | 'FL' | 'IS' | 'LO' | 'LT' | 'OB' | 'OD' | 'OF'
  | 'OL' | 'OV' | 'OW' | 'PN' | 'SH' | 'SL' | 'SQ' | 'SS' | 'ST' | 'SV' | 'TM' | 'UC' | 'UI' | 'UL' | 'UN'
  | 'UR' | 'US' | 'UT' | 'UV';

export const knownVRs: ReadonlySet<string> = new Set<VR>([
  'AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW',
  'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV',
]);

export function isVR(value: string): value is VR {
  return knownVRs.has(value);
}

/** VRs whose explicit header has 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
const longLengthVRs: ReadonlySet<string> = new Set([
  'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV',
]);

export function hasLongLength(vr: string): boolean {
  return longLengthVRs.has(vr);
}

/** Text VRs affected by Specific Character Set (PS3.5 6.1.2.3). */
export const charsetVRs: ReadonlySet<string> = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'UC', 'PN']);

/** Character string VRs (everything decoded as text). */
export const stringVRs: ReadonlySet<string> = new Set([
  'AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT',
]);

/** Text VRs whose value is a single value: a backslash is text, not a separator. */
export const singleValueTextVRs: ReadonlySet<string> = new Set(['LT', 'ST', 'UT', 'UR']);

/** Bulk binary VRs: shown truncated, never decoded element by element. */
export const bulkVRs: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);

/** Byte width of one value of a binary numeric VR. */
export const numericWidth: Readonly<Record<string, number>> = {
  US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8, UV: 8, SV: 8, AT: 4, OW: 2, OL: 4, OF: 4, OD: 8, OV: 8,
};
