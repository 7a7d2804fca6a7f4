// Profiles (PS3.15 E.2, E.3): the Basic Profile plus a set of options, saved as
// JSON files the user can edit. Each option maps to the table column that
// overrides the Basic action and to its CID 7050 code (PS3.16).

/** PS3.15 E.3 options, named after the standard's table columns. */
export type ProfileOption =
  | 'cleanPixelData'
  | 'cleanRecognizableVisualFeatures'
  | 'cleanGraphics'
  | 'cleanStructuredContent'
  | 'cleanDescriptors'
  | 'retainLongitudinalFullDates'
  | 'retainLongitudinalModifiedDates'
  | 'retainPatientCharacteristics'
  | 'retainDeviceIdentity'
  | 'retainInstitutionIdentity'
  | 'retainUIDs'
  | 'retainSafePrivate';

/** A profile as saved to / loaded from a JSON file. */
export interface DeidProfile {
  name: string;
  options: ProfileOption[];
  /**
   * Under Clean Pixel Data, burned-in text read as technical (kV, mA, W/L, orientation, scale):
   * kept (default: it helps reading the image and names no one) or filled like the rest.
   */
  technicalText?: 'keep' | 'redact';
}

export interface OptionInfo {
  /** Column of the PS3.15 E.1-1 table (innolitics naming) holding this option's action; none for pixel options. */
  column?: string;
  /** CID 7050 code value (DCM), PS3.16. */
  code: string;
  meaning: string;
  /**
   * Pixel options need the pixel checks of later issues; this engine only records them and
   * never claims their codes (113101, 113102).
   */
  pixel?: boolean;
}

export const optionInfo: Readonly<Record<ProfileOption, OptionInfo>> = {
  cleanPixelData: { code: '113101', meaning: 'Clean Pixel Data Option', pixel: true },
  cleanRecognizableVisualFeatures: { code: '113102', meaning: 'Clean Recognizable Visual Features Option', pixel: true },
  cleanGraphics: { column: 'cleanGraphOpt', code: '113103', meaning: 'Clean Graphics Option' },
  cleanStructuredContent: { column: 'cleanStructContOpt', code: '113104', meaning: 'Clean Structured Content Option' },
  cleanDescriptors: { column: 'cleanDescOpt', code: '113105', meaning: 'Clean Descriptors Option' },
  retainLongitudinalFullDates: {
    column: 'rtnLongFullDatesOpt',
    code: '113106',
    meaning: 'Retain Longitudinal Temporal Information Full Dates Option',
  },
  retainLongitudinalModifiedDates: {
    column: 'rtnLongModifDatesOpt',
    code: '113107',
    meaning: 'Retain Longitudinal Temporal Information Modified Dates Option',
  },
  retainPatientCharacteristics: { column: 'rtnPatCharsOpt', code: '113108', meaning: 'Retain Patient Characteristics Option' },
  retainDeviceIdentity: { column: 'rtnDevIdOpt', code: '113109', meaning: 'Retain Device Identity Option' },
  retainUIDs: { column: 'rtnUIDsOpt', code: '113110', meaning: 'Retain UIDs Option' },
  retainSafePrivate: { column: 'rtnSafePrivOpt', code: '113111', meaning: 'Retain Safe Private Option' },
  retainInstitutionIdentity: { column: 'rtnInstIdOpt', code: '113112', meaning: 'Retain Institution Identity Option' },
};

export const basicProfileCode = { code: '113100', meaning: 'Basic Application Confidentiality Profile' } as const;

export const allOptions = Object.keys(optionInfo) as ProfileOption[];

/** Veil's default (issue 3): Basic + Clean Descriptors + Retain Longitudinal Modified Dates. */
export const defaultProfile: DeidProfile = {
  name: 'Veil default',
  options: ['cleanDescriptors', 'retainLongitudinalModifiedDates'],
};

/** Options that contradict each other (PS3.15 E.3.6: dates are either kept or shifted). */
const exclusive: ReadonlyArray<readonly [ProfileOption, ProfileOption]> = [
  ['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates'],
];

export class ProfileError extends Error {
  override name = 'ProfileError';
}

/** Validates a parsed profile JSON strictly: unknown keys or options are errors, not ignored. */
export function parseProfile(json: unknown): DeidProfile {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw new ProfileError(`Profile is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ProfileError('Profile must be a JSON object like {"name": "...", "options": [...]}.');
  }
  const record = json as Record<string, unknown>;
  const known = new Set(['name', 'options', 'description', 'technicalText']);
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new ProfileError(`Profile has unknown key(s): ${unknown.join(', ')} (allowed: name, options, description, technicalText).`);
  }
  const { technicalText } = record;
  if (technicalText !== undefined && technicalText !== 'keep' && technicalText !== 'redact') {
    throw new ProfileError('Profile "technicalText" must be "keep" or "redact" when present.');
  }
  const { name, options } = record;
  if (typeof name !== 'string' || name.trim() === '') throw new ProfileError('Profile "name" must be a non-empty string.');
  if (!Array.isArray(options)) throw new ProfileError('Profile "options" must be an array of option names.');
  if (record.description !== undefined && typeof record.description !== 'string') {
    throw new ProfileError('Profile "description" must be a string when present.');
  }
  const seen = new Set<ProfileOption>();
  for (const option of options) {
    if (typeof option !== 'string' || !(option in optionInfo)) {
      throw new ProfileError(`Unknown profile option ${JSON.stringify(option)}; known options: ${allOptions.join(', ')}.`);
    }
    if (seen.has(option as ProfileOption)) throw new ProfileError(`Profile option "${option}" is listed twice.`);
    seen.add(option as ProfileOption);
  }
  for (const [a, b] of exclusive) {
    if (seen.has(a) && seen.has(b)) throw new ProfileError(`Profile options "${a}" and "${b}" exclude each other.`);
  }
  return {
    name: name.trim(),
    options: allOptions.filter((option) => seen.has(option)),
    ...(technicalText !== undefined ? { technicalText } : {}),
  };
}
