// The identifying values of a file (issue 3 verification pass): everything an
// output must never contain, in the spellings people and systems use. Also the
// dictionary Clean Descriptors scrubs free text with (PS3.15 E.3.5).
import { isPrivateTag, lookupTag, type DataElement, type Dataset, type DicomFile } from '../dicom';
import { withDictionaryVR } from './elements';
import type { DeidProfile } from './profile';
import { ruleFor } from './table';
import { isClassLikeUidKeyword, isWellKnownUid } from './uids';

/** A value from the inputs that must never appear in an output. */
export interface IdentifyingValue {
  kind: 'name' | 'id' | 'date' | 'address' | 'phone' | 'institution' | 'physician' | 'uid' | 'other';
  value: string;
  /** Where it was found, e.g. "(0010,0010)". */
  source: string;
}

type Kind = IdentifyingValue['kind'];

const byKeyword: Record<string, Kind> = {
  PatientID: 'id',
  OtherPatientIDs: 'id',
  IssuerOfPatientID: 'id',
  AccessionNumber: 'id',
  StudyID: 'id',
  AdmissionID: 'id',
  MedicalRecordLocator: 'id',
  RequestedProcedureID: 'id',
  ScheduledProcedureStepID: 'id',
  PerformedProcedureStepID: 'id',
  PlacerOrderNumberImagingServiceRequest: 'id',
  FillerOrderNumberImagingServiceRequest: 'id',
  ClinicalTrialSubjectID: 'id',
  MilitaryRank: 'other',
  PatientBirthDate: 'date',
  StudyDate: 'date',
  SeriesDate: 'date',
  AcquisitionDate: 'date',
  ContentDate: 'date',
  AcquisitionDateTime: 'date',
  PatientAddress: 'address',
  PersonAddress: 'address',
  ReferringPhysicianAddress: 'address',
  ReferringPhysicianTelephoneNumbers: 'phone',
  ResponsibleOrganization: 'institution',
  // A serial number names one machine, and so a site (kept under Retain Device Identity).
  DeviceSerialNumber: 'other',
  InstitutionAddress: 'address',
  RegionOfResidence: 'address',
  PatientTelephoneNumbers: 'phone',
  PersonTelephoneNumbers: 'phone',
  InstitutionName: 'institution',
  InstitutionalDepartmentName: 'institution',
};

/** Longitudinal dates: kept under Retain Longitudinal Full Dates, so not searched for then. */
const studyDates = new Set(['StudyDate', 'SeriesDate', 'AcquisitionDate', 'ContentDate', 'AcquisitionDateTime']);
const physicianName = /Physician|Operator|Observer|Reviewer|Author|Performing|Reading|Requesting|Referring|Creator|Verifying/;

/**
 * Tokens too short or too common to search for without false positives (a verification that
 * fails every file proves nothing): fewer than 3 characters (2 for CJK and other non-Latin
 * scripts, where a 2-character name is whole), digit-only values shorter than 5 digits
 * (indistinguishable from measurements), and placeholder words that template-made files put
 * in name fields ("Enter text", "name here", "n.a."), which also occur in coded concept names.
 */
const commonTokens = new Set([
  'ANONYMOUS', 'ANONYMIZED', 'ANON', 'UNKNOWN', 'NONE', 'N/A', 'N.A.', 'NULL', 'TEST', 'PATIENT', 'DOCTOR', 'PHANTOM',
  'MR', 'MRS', 'MS', 'DR', 'MD', 'PHD', 'JR', 'SR', 'II', 'III', 'THE', 'AND', 'VEIL', 'REMOVED',
  'ENTER', 'TEXT', 'HERE', 'NAME', 'OPERATOR', 'PHYSICIAN', 'OBSERVER', 'VERIFYING',
]);

/** isSearchable's answers: the same values (names, date spellings) recur in every file of a patient. */
const searchable = new Map<string, boolean>();

export function isSearchable(token: string): boolean {
  let answer = searchable.get(token);
  if (answer === undefined) {
    answer = searchableNow(token);
    if (searchable.size >= 20000) searchable.clear();
    searchable.set(token, answer);
  }
  return answer;
}

function searchableNow(token: string): boolean {
  const t = token.trim();
  if (commonTokens.has(t.toUpperCase())) return false;
  if (/^\d+$/.test(t)) return t.length >= 5;
  const latin = /^[\u0000-\u024f]*$/.test(t);
  // Count letters and digits only: "S R" is two initials, which binary data and
  // other text match by chance, not a searchable name.
  const significant = t.replace(/[\s\p{P}^]/gu, '');
  return significant.length >= (latin ? 3 : 2);
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The usual spellings of a full date (PS3.5 DA and what people type in free text). */
export function dateSpellings(yyyymmdd: string): string[] {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return [];
  const [, y, mo, d] = m;
  const month = monthNames[Number(mo) - 1];
  const numeric = [`${y}${mo}${d}`, `${y}-${mo}-${d}`, `${y}.${mo}.${d}`, `${y}/${mo}/${d}`, `${d}.${mo}.${y}`, `${d}/${mo}/${y}`, `${mo}/${d}/${y}`, `${d}-${mo}-${y}`];
  if (!month) return numeric;
  const mon = month.slice(0, 3);
  const day = String(Number(d));
  return [...numeric, `${day} ${month} ${y}`, `${day} ${mon} ${y}`, `${month} ${day}, ${y}`, `${month} ${day} ${y}`, `${mon} ${day} ${y}`, `${d}-${mon}-${y}`, `${d}${mon}${y}`];
}

function nameParts(value: string): string[] {
  const out = [value];
  for (const group of value.split('=')) {
    if (group === '') continue;
    out.push(group, group.replace(/\^+/g, ' ').trim());
    // CJK names are written family-given without a space (王小東).
    if (!/^[\u0000-\u024f]*$/.test(group)) out.push(group.replace(/\^+/g, ''));
    // Family, given, middle; prefix and suffix (Dr, Jr) are not identifying on their own.
    for (const component of group.split('^').slice(0, 3)) {
      out.push(component);
      for (const word of component.split(/[\s,]+/)) out.push(word);
    }
  }
  return out;
}

function addressParts(value: string): string[] {
  return [value, ...value.split(/[,;^\n\r]+/)].filter((part) => part.trim().length >= 4);
}

function phoneParts(value: string): string[] {
  const digits = value.replace(/\D/g, '');
  return digits.length >= 6 ? [value, digits] : [value];
}

/** byKeyword by tag, cached: the same few hundred tags recur in every file. */
const kindByTag = new Map<string, Kind | null>();
function kindOfTag(tag: string): Kind | undefined {
  let kind = kindByTag.get(tag);
  if (kind === undefined) {
    kind = byKeyword[lookupTag(tag)?.keyword ?? ''] ?? null;
    kindByTag.set(tag, kind);
  }
  return kind ?? undefined;
}

type Add = (kind: Kind, values: readonly string[], source: string) => void;

function collect(dataset: Dataset, path: string, options: ReadonlySet<string>, add: Add): void {
  for (const element of dataset) {
    const { tag, vr } = element;
    if (element.items) {
      const source = `${path}(${tag.slice(0, 4)},${tag.slice(4)})`;
      element.items.forEach((item, i) => collect(item, `${source}[${i}].`, options, add));
      continue;
    }
    // Most elements can yield nothing: no keyword, path or view is made for them.
    if (vr !== 'UI' && vr !== 'PN' && vr !== 'UN' && (isPrivateTag(tag) || kindOfTag(tag) === undefined)) continue;
    const source = `${path}(${tag.slice(0, 4)},${tag.slice(4)})`;
    const keyword = dataset.keyword(tag);
    const view = withDictionaryVR(element, dataset);
    collectElement(view.from, view.element, keyword, source, options, add);
  }
}

/**
 * What a value of one kind stands for, trimmed, searchable and each once (by upper case), as
 * `collectIdentifiers` lists them: the same dates and names recur in every file of a series.
 */
const spelled = new Map<string, readonly string[]>();

function spellingsOf(kind: Kind, value: string): readonly string[] {
  const key = `${kind}\0${value}`;
  let out = spelled.get(key);
  if (!out) {
    const parts =
      kind === 'date' ? dateSpellings(value.slice(0, 8))
      : kind === 'name' || kind === 'physician' ? nameParts(value)
      : kind === 'address' ? addressParts(value)
      : kind === 'phone' ? phoneParts(value)
      : [value];
    out = searchableOnce(kind, parts);
    if (spelled.size >= 20000) spelled.clear();
    spelled.set(key, out);
  }
  return out;
}

function searchableOnce(kind: Kind, parts: readonly string[]): string[] {
  const upper = new Set<string>();
  const out: string[] = [];
  for (const part of parts) {
    const value = part.trim();
    if (kind !== 'uid' && !isSearchable(value)) continue;
    const key = value.toUpperCase();
    if (upper.has(key)) continue;
    upper.add(key);
    out.push(value);
  }
  return out;
}

function collectElement(dataset: Dataset, element: DataElement, keyword: string, source: string, options: ReadonlySet<string>, add: Add): void {
  const { vr, tag } = element;
  if (element.skippedLength !== undefined || element.encapsulated) return;
  if (vr === 'UI') {
    if (options.has('retainUIDs') || isPrivateTag(tag) || isClassLikeUidKeyword(keyword)) return;
    const rule = ruleFor(tag);
    if (rule && !rule.basic.includes('U') && tag !== '00020003') return;
    // Only real UIDs: a placeholder such as "0" would match any number.
    const uids = dataset.strings(tag).filter((uid) => /^\d+(\.\d+){2,}$/.test(uid) && !isWellKnownUid(uid));
    add('uid', uids.length > 1 ? searchableOnce('uid', uids) : uids, source);
    return;
  }
  if (vr === 'PN') {
    const kind: Kind = physicianName.test(keyword) ? 'physician' : 'name';
    addEach(kind, dataset.strings(tag), source, add);
    return;
  }
  const kind = byKeyword[keyword];
  if (!kind || isPrivateTag(tag)) return;
  if (kind === 'institution' && options.has('retainInstitutionIdentity')) return;
  if (keyword === 'InstitutionAddress' && options.has('retainInstitutionIdentity')) return;
  if (keyword === 'DeviceSerialNumber' && options.has('retainDeviceIdentity')) return;
  if (studyDates.has(keyword) && options.has('retainLongitudinalFullDates')) return;
  addEach(kind, dataset.strings(tag), source, add);
}

function addEach(kind: Kind, values: readonly string[], source: string, add: Add): void {
  if (values.length === 1) return add(kind, spellingsOf(kind, values[0]), source);
  // Several values of one element: what two of them stand for is listed once.
  add(kind, searchableOnce(kind, values.flatMap((value) => spellingsOf(kind, value))), source);
}

/**
 * Every identifying value in a file, for the verification pass and Clean Descriptors. With a
 * profile, values the profile keeps on purpose (institution under Retain Institution Identity,
 * study dates under Retain Full Dates, UIDs under Retain UIDs) are left out.
 */
export function collectIdentifiers(file: DicomFile, profile?: DeidProfile): IdentifyingValue[] {
  const out: IdentifyingValue[] = [];
  // Every place a value is stored is a finding (a PatientID repeated in a nested sequence is
  // two); consumers that search for values (verification, scrubbing) dedupe them themselves.
  // Each element is one source, so values need listing once per element only (spellingsOf).
  const add: Add = (kind, values, source) => {
    for (const value of values) out.push({ kind, value, source });
  };
  const options = new Set<string>(profile?.options ?? []);
  collect(file.meta, '', options, add);
  collect(file.dataset, '', options, add);
  return out;
}
