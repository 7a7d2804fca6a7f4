// Public surface of the de-identification engine (PS3.15 Annex E).
// STUB: signatures fixed for the export/CLI work; the engine lands behind them.
import type { DicomFile } from '../dicom';

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
}

/** Per-run secrets and state: same inputs + same secret → same outputs. */
export interface DeidContext {
  /** Secret from the user's local settings; keys UID and pseudonym derivation. */
  secret: string;
}

export type DeidAction = 'removed' | 'emptied' | 'replaced' | 'shifted' | 'cleaned' | 'kept' | 'uid-replaced' | 'added';

/** One line of the audit report. */
export interface AuditEntry {
  /** "(0010,0010)"; nested elements as "(0008,1115)[0].(0020,000E)". */
  path: string;
  keyword: string;
  action: DeidAction;
  /** The profile rule that decided it, e.g. "Basic Profile: X" or "Retain Safe Private". */
  rule: string;
}

/** A value from the inputs that must never appear in an output. */
export interface IdentifyingValue {
  kind: 'name' | 'id' | 'date' | 'address' | 'phone' | 'institution' | 'physician' | 'uid' | 'other';
  value: string;
  /** Where it was found, e.g. "(0010,0010)". */
  source: string;
}

export interface DeidResult {
  file: DicomFile;
  audit: AuditEntry[];
}

export declare const defaultProfile: DeidProfile;
export declare function parseProfile(json: unknown): DeidProfile;
/** De-identifies a copy; the input is never mutated. Pixel bytes are shared, not decoded. */
export declare function deidentify(file: DicomFile, profile: DeidProfile, context: DeidContext): DeidResult;
/** Every identifying value in a file, for the verification pass. */
export declare function collectIdentifiers(file: DicomFile): IdentifyingValue[];
