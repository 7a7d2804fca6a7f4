// Public surface of the de-identification engine (PS3.15 Annex E). See README.md.
export {
  allOptions,
  defaultProfile,
  optionInfo,
  parseProfile,
  ProfileError,
  type DeidProfile,
  type ProfileOption,
} from './profile';
export { deidentify, type AuditEntry, type DeidAction, type DeidContext, type DeidResult } from './deidentify';
export { collectIdentifiers, dateSpellings, isSearchable, type IdentifyingValue } from './identifiers';
export { ruleFor, allRules, type TableRule, type BasicAction } from './table';
export { safePrivateElements } from './safePrivate';
export { sha256, hmacSha256, toHex } from './sha256';
export { claimPixelOption } from './pixelClaims';
