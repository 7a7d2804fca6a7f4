// The PS3.15 Annex E engine: every element of a file (recursively, in every
// sequence item) gets the action of its row in Table E.1-1 under the profile's
// options; the file is copied, never mutated, and pixel data is shared as is.
import {
  DataElement,
  Dataset,
  createDataset,
  createFile,
  formatTag,
  isPrivateTag,
  setValue,
  tagForKeyword,
  Tags,
  type DicomFile,
} from '../dicom';
import { shiftDate, shiftDateTime } from './dates';
import { withDictionaryVR } from './elements';
import { collectIdentifiers, type IdentifyingValue } from './identifiers';
import { basicProfileCode, optionInfo, type DeidProfile, type ProfileOption } from './profile';
import { Pseudonyms } from './pseudonym';
import { safePrivateEntry } from './safePrivate';
import { privateRule, ruleFor, type TableRule } from './table';
import { encodeText, makeScrubber, scrubIndexFor } from './text';
import { isClassLikeUidKeyword } from './uids';

/** Per-run secrets and state: same inputs + same secret → same outputs. */
export interface DeidContext {
  /** Secret from the user's local settings; keys UID and pseudonym derivation. */
  secret: string;
  /**
   * Identifying values from the rest of the export, scrubbed by Clean Descriptors besides the
   * file's own: every patient's names, IDs, addresses, institutions (an operator named in one
   * file turns up in another's StudyDescription), and dates of this file's own patient only
   * (another patient's real date may equal this one's shifted date). UIDs are ignored.
   */
  knownIdentifiers?: readonly IdentifyingValue[];
  /**
   * Names `knownIdentifiers` so that a list arriving as a new array (structured-cloned into a
   * worker) is indexed once. Must change whenever the list does.
   */
  knownIdentifiersKey?: string;
  /**
   * The file's own identifying values (`collectIdentifiers(file)`), when the caller has them
   * already: collecting walks every element, so an export collects once per file, not twice.
   */
  ownIdentifiers?: readonly IdentifyingValue[];
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

export interface DeidResult {
  file: DicomFile;
  audit: AuditEntry[];
  /** Profile options this engine did not apply: pixel work for later checks (never claimed in 0012,0064). */
  deferredOptions: ProfileOption[];
  /** Whole days added to every date (Retain Longitudinal Modified Dates), else undefined. */
  dayShift?: number;
}

type Code = 'X' | 'Z' | 'D' | 'K' | 'C' | 'U';

interface Decision {
  code: Code | 'pass';
  rule: string;
  /** The option whose column decided, if any (what a C means depends on it). */
  option?: ProfileOption;
}

const optionLabel = (option: ProfileOption) => optionInfo[option].meaning.replace(/ Option$/, '');

/**
 * Choices such as X/Z/D depend on the attribute's type in its IOD, which a header alone does
 * not tell. Conservative rule: a dummy (D) for these attributes, Type 1 in the IODs they occur
 * in (emptying them would make the file invalid); otherwise Z when allowed (present but empty
 * is valid for Type 2 and 3), else X.
 */
const typeOneKeywords = [
  'PatientID', 'ContentDate', 'ContentTime', 'AcquisitionDateTime', 'DeviceSerialNumber',
  'ObservationDateTime', 'StartAcquisitionDateTime', 'EndAcquisitionDateTime',
];
const typeOne = new Set(typeOneKeywords.map((k) => tagForKeyword(k)));

const freeTextVRs = new Set(['UT', 'LT', 'ST']);

const pseudonymised = new Set<string>([Tags.PatientName, Tags.PatientID]);

/** Dummy values per VR (PS3.15 E.1.1 "D": a non-zero-length value consistent with the VR). */
const dummies: Record<string, string> = {
  PN: 'ANONYMOUS', LO: 'REMOVED', SH: 'REMOVED', CS: 'REMOVED', LT: 'REMOVED', ST: 'REMOVED', UT: 'REMOVED', UC: 'REMOVED',
  AE: 'REMOVED', DA: '19000101', DT: '19000101000000', TM: '000000', AS: '000Y', DS: '0', IS: '0',
};

/** AE titles and private information in the File Meta Information name devices or carry anything (PS3.10 7.1). */
const metaRemoved = ['00020016', '00020017', '00020018', '00020026', '00020027', '00020028', '00020100', '00020102'];

const implementationVersionName = '00020013';
const veilMeta = createFile(createDataset(), { sopClassUID: '1', sopInstanceUID: '1' }).meta;

const T = {
  PatientIdentityRemoved: '00120062',
  DeidentificationMethod: '00120063',
  DeidentificationMethodCodeSequence: '00120064',
  LongitudinalTemporalInformationModified: '00280303',
  CodeValue: '00080100',
  CodingSchemeDesignator: '00080102',
  CodeMeaning: '00080104',
};

const pseudonymsBySecret = new Map<string, Pseudonyms>();

function pseudonymsFor(secret: string): Pseudonyms {
  let found = pseudonymsBySecret.get(secret);
  if (!found) {
    if (pseudonymsBySecret.size > 8) pseudonymsBySecret.clear();
    found = new Pseudonyms(secret);
    pseudonymsBySecret.set(secret, found);
  }
  return found;
}

class Run {
  readonly audit: AuditEntry[] = [];
  /**
   * Inside Content Sequence and the like (D, or C under Clean Structured Content / Clean
   * Graphics): free text the table does not list (TextValue, UnformattedTextValue…) is a report's
   * body, so it gets a dummy (D) or is scrubbed (C).
   */
  freeText: Decision | undefined;
  readonly dayShift: number | undefined;
  private readonly patientKey: string;
  private scrubber?: (text: string) => string;

  constructor(
    readonly file: DicomFile,
    readonly profile: DeidProfile,
    readonly options: ReadonlySet<ProfileOption>,
    readonly pseudonyms: Pseudonyms,
    private readonly context: DeidContext,
  ) {
    const ds = file.dataset;
    const text = (tag: string) => {
      const element = ds.get(tag);
      if (!element) return '';
      const { from } = withDictionaryVR(element, ds);
      return from.string(tag);
    };
    // One pseudonym and one date shift per original patient (PS3.15 E.3.6).
    this.patientKey = text(Tags.PatientID) || text(Tags.PatientName) || text(Tags.StudyInstanceUID);
    this.dayShift = options.has('retainLongitudinalModifiedDates') ? pseudonyms.dayShift(this.patientKey) : undefined;
  }

  scrub(text: string): string {
    if (!this.scrubber) {
      const { knownIdentifiers, knownIdentifiersKey, ownIdentifiers } = this.context;
      const shared = knownIdentifiers && knownIdentifiers.length > 0 ? scrubIndexFor(knownIdentifiers, knownIdentifiersKey) : undefined;
      this.scrubber = makeScrubber(ownIdentifiers ?? collectIdentifiers(this.file), shared);
    }
    return this.scrubber(text);
  }

  record(path: string, keyword: string, action: DeidAction, rule: string): void {
    this.audit.push({ path, keyword, action, rule });
  }

  patientName(): string {
    return this.pseudonyms.patientName(this.patientKey);
  }

  patientId(): string {
    return this.pseudonyms.patientId(this.patientKey);
  }
}

function decide(run: Run, source: Dataset, element: DataElement, keyword: string): Decision {
  const { tag, vr } = element;
  if (tag.endsWith('0000')) return { code: 'X', rule: 'Group length (retired, PS3.5 7.2): stale once values change' };
  if (isPrivateTag(tag)) return decidePrivate(run, source, element);
  const group = parseInt(tag.slice(0, 4), 16);
  if (group >= 0x5000 && group <= 0x50ff) return { code: 'X', rule: 'Basic Profile: X (curve data (50XX,XXXX), retired)' };
  if (group >= 0x6000 && group <= 0x601e) {
    // (60XX,3000) is X, or C under Clean Graphics; a bitmap cannot be cleaned without OCR, so
    // the whole overlay plane goes (a plane without its data would be invalid).
    return { code: 'X', rule: `${run.options.has('cleanGraphics') ? 'Clean Graphics: C' : 'Basic Profile: X'} (overlay plane removed whole)` };
  }
  const rule = ruleFor(tag);
  if (rule && pseudonymised.has(tag)) {
    // Z or Z/D in the table; "Z" allows a dummy consistent with the VR (PS3.15 E.1.1), and a
    // per-patient pseudonym keeps a researcher's studies of one person together.
    return { code: 'D', rule: `Basic Profile: ${rule.basic} → D` };
  }
  if (rule) return resolve(run, rule, tag, element.items !== undefined && /^Referenced/.test(keyword));
  // PS3.15 E.1.1: attributes not in the table are kept; three safety nets for what the table cannot foresee.
  if (vr === 'UI' && !isClassLikeUidKeyword(keyword)) {
    return run.options.has('retainUIDs') ? { code: 'pass', rule: '' } : { code: 'U', rule: 'Basic Profile: U (instance UID not listed in E.1-1)' };
  }
  if (vr === 'DA' || vr === 'DT') {
    if (run.options.has('retainLongitudinalModifiedDates')) {
      return { code: 'C', rule: 'Retain Longitudinal Temporal Information Modified Dates: C (date not listed in E.1-1)', option: 'retainLongitudinalModifiedDates' };
    }
    if (run.options.has('retainLongitudinalFullDates')) return { code: 'pass', rule: '' };
    return { code: 'Z', rule: 'Veil: date not listed in E.1-1 emptied (dates identify)' };
  }
  if (vr === 'PN') return { code: 'Z', rule: 'Veil: person name not listed in E.1-1 emptied' };
  if (run.freeText && freeTextVRs.has(vr)) return { ...run.freeText, rule: `${run.freeText.rule} (free text inside)` };
  return { code: 'pass', rule: '' };
}

function decidePrivate(run: Run, source: Dataset, element: DataElement): Decision {
  if (run.options.has('retainSafePrivate')) {
    const entry = safePrivateEntry(source, element.tag, element.vr, element.bytes);
    if (entry) return { code: 'K', rule: `Retain Safe Private: ${entry.keyword} (${entry.why})`, option: 'retainSafePrivate' };
  }
  return { code: 'X', rule: `Basic Profile: ${privateRule.basic} (private attribute)` };
}

function resolve(run: Run, rule: TableRule, tag: string, isReference: boolean): Decision {
  let chosen: Decision | undefined;
  for (const option of run.profile.options) {
    const action = rule.options[option];
    // A retaining option wins over a cleaning one: keeping was asked for explicitly.
    if (action && (!chosen || (action === 'K' && chosen.code === 'C'))) {
      chosen = { code: action, rule: `${optionLabel(option)}: ${action}`, option };
    }
  }
  if (chosen) return chosen;
  const basic = rule.basic;
  if (basic.length === 1) return { code: basic as Code, rule: `Basic Profile: ${basic}` };
  if (basic === 'X/Z/U*') return { code: 'U', rule: 'Basic Profile: X/Z/U* → U (references kept, their UIDs replaced)' };
  // A reference sequence's "dummy" is itself with every UID inside replaced: valid where it is
  // Type 1C (e.g. Enhanced MR's Referenced Performed Procedure Step) and as safe as Z.
  const code: Code = basic.includes('D') && (typeOne.has(tag) || isReference) ? 'D' : basic.includes('Z') ? 'Z' : 'X';
  return { code, rule: `Basic Profile: ${basic} → ${code}` };
}

function copyOf(element: DataElement, bytes = element.bytes, items = element.items): DataElement {
  const copy = new DataElement(element.tag, element.vr, bytes, items, element.encapsulated, element.skippedLength);
  copy.undefinedLength = element.undefinedLength;
  return copy;
}

function asciiBytes(text: string, vr: string): Uint8Array {
  return encodeText(text, vr, []) ?? new Uint8Array(0);
}

function cleanDataset(run: Run, source: Dataset, parent: Dataset | undefined, path: string): Dataset {
  const out = new Dataset(source.littleEndian);
  out.parent = parent;
  out.undefinedLength = source.undefinedLength;
  const keptPrivateBlocks = new Set<string>();
  const creators: DataElement[] = [];
  for (const original of source) {
    const { tag } = original;
    const at = `${path}${formatTag(tag)}`;
    if (isPrivateTag(tag) && !tag.endsWith('0000') && /^.{4}00[1-9A-F][0-9A-F]$/.test(tag)) {
      creators.push(original); // decided once the block's elements are
      continue;
    }
    const { element, from } = withDictionaryVR(original, source);
    const keyword = source.keyword(tag);
    const decision = decide(run, from, element, keyword);
    const result = apply(run, decision, from, element, out, at, keyword);
    if (result) {
      out.set(result);
      if (isPrivateTag(tag)) keptPrivateBlocks.add(`${tag.slice(0, 4)}00${tag.slice(4, 6)}`);
    }
  }
  for (const creator of creators) {
    const at = `${path}${formatTag(creator.tag)}`;
    if (keptPrivateBlocks.has(creator.tag)) {
      out.set(copyOf(creator));
      run.record(at, 'PrivateCreator', 'kept', 'Retain Safe Private: creator of a retained element');
    } else {
      run.record(at, 'PrivateCreator', 'removed', `Basic Profile: ${privateRule.basic} (private attribute)`);
    }
  }
  return out;
}

function cleanItems(run: Run, element: DataElement, parent: Dataset, at: string, freeText?: Decision): Dataset[] {
  const outer = run.freeText;
  if (freeText) run.freeText = freeText;
  try {
    return (element.items ?? []).map((item, i) => cleanDataset(run, item, parent, `${at}[${i}].`));
  } finally {
    run.freeText = outer;
  }
}

/** The output element for one decision, or undefined when it is removed. Records the audit line. */
function apply(run: Run, decision: Decision, source: Dataset, element: DataElement, out: Dataset, at: string, keyword: string): DataElement | undefined {
  const { vr } = element;
  const { code, rule } = decision;
  switch (code) {
    case 'pass':
      return element.items ? copyOf(element, element.bytes, cleanItems(run, element, out, at)) : copyOf(element);
    case 'X':
      run.record(at, keyword, 'removed', rule);
      return undefined;
    case 'Z':
      run.record(at, keyword, 'emptied', rule);
      return copyOf(element, new Uint8Array(0), element.items ? [] : undefined);
    case 'K':
      run.record(at, keyword, 'kept', rule);
      return element.items ? copyOf(element, element.bytes, cleanItems(run, element, out, at)) : copyOf(element);
    case 'U':
      return replaceUids(run, source, element, out, at, keyword, rule);
    case 'D':
      return dummy(run, source, element, out, at, keyword, rule);
    case 'C':
      if (element.items) {
        run.record(at, keyword, 'cleaned', rule);
        return copyOf(element, element.bytes, cleanItems(run, element, out, at, { code: 'C', rule, option: decision.option }));
      }
      if (decision.option === 'retainLongitudinalModifiedDates' || decision.option === 'retainLongitudinalFullDates') {
        return shiftDates(run, source, element, at, keyword, rule);
      }
      if (['LO', 'SH', 'ST', 'LT', 'UT', 'UC', 'CS'].includes(vr)) return scrubText(run, source, element, at, keyword, rule);
      return dummy(run, source, element, out, at, keyword, rule);
  }
}

function replaceUids(run: Run, source: Dataset, element: DataElement, out: Dataset, at: string, keyword: string, rule: string): DataElement | undefined {
  if (element.items) return copyOf(element, element.bytes, cleanItems(run, element, out, at));
  const values = source.strings(element.tag);
  if (values.length === 0) return copyOf(element);
  run.record(at, keyword, 'uid-replaced', rule);
  return copyOf(element, asciiBytes(values.map((uid) => run.pseudonyms.uid(uid)).join('\\'), 'UI'));
}

function dummy(run: Run, source: Dataset, element: DataElement, out: Dataset, at: string, keyword: string, rule: string): DataElement | undefined {
  const { tag, vr } = element;
  if (element.items) {
    // A dummy sequence: the same items, each element cleaned by its own rule and free text replaced.
    run.record(at, keyword, 'cleaned', rule);
    return copyOf(element, element.bytes, cleanItems(run, element, out, at, { code: 'D', rule }));
  }
  if (tag === Tags.PatientName || tag === Tags.PatientID) {
    run.record(at, keyword, 'replaced', `${rule} (pseudonym per patient, keyed by the secret)`);
    return copyOf(element, asciiBytes(tag === Tags.PatientName ? run.patientName() : run.patientId(), vr));
  }
  if (vr === 'UI') return replaceUids(run, source, element, out, at, keyword, rule);
  const text = dummies[vr];
  if (text === undefined) {
    run.record(at, keyword, 'emptied', `${rule} (no meaningful dummy for VR ${vr})`);
    return copyOf(element, new Uint8Array(0));
  }
  run.record(at, keyword, 'replaced', rule);
  return copyOf(element, asciiBytes(text, vr));
}

function shiftDates(run: Run, source: Dataset, element: DataElement, at: string, keyword: string, rule: string): DataElement | undefined {
  const { vr } = element;
  const days = run.dayShift;
  if (days === undefined || (vr !== 'DA' && vr !== 'DT')) {
    // Full dates, or a TM (a whole-day shift leaves times of day as they are).
    run.record(at, keyword, 'kept', days === undefined ? rule : `${rule} (whole-day shift keeps times of day)`);
    return copyOf(element);
  }
  const values = source.strings(element.tag);
  const shifted = values.map((v) => (vr === 'DA' ? shiftDate(v, days) : shiftDateTime(v, days)));
  if (shifted.some((v) => v === undefined)) {
    run.record(at, keyword, 'emptied', `${rule} (not a full date, cannot be shifted)`);
    return copyOf(element, new Uint8Array(0));
  }
  run.record(at, keyword, 'shifted', `${rule} (${days} days)`);
  return copyOf(element, asciiBytes(shifted.join('\\'), vr));
}

function scrubText(run: Run, source: Dataset, element: DataElement, at: string, keyword: string, rule: string): DataElement | undefined {
  const text = source.string(element.tag);
  const scrubbed = run.scrub(text);
  if (scrubbed === text) {
    run.record(at, keyword, 'kept', `${rule} (nothing identifying found)`);
    return copyOf(element);
  }
  // A code string cannot hold the scrub mark (PS3.5 6.2 CS repertoire): it goes whole.
  const bytes = element.vr === 'CS' ? undefined : encodeText(scrubbed, element.vr, source.characterSets());
  if (!bytes) {
    const why = element.vr === 'CS' ? 'identifying value in a code string' : 'cleaned text not encodable in the character set';
    run.record(at, keyword, 'removed', `${rule} (${why})`);
    return undefined;
  }
  run.record(at, keyword, 'cleaned', rule);
  return copyOf(element, bytes);
}

function cleanMeta(run: Run, meta: Dataset): Dataset {
  const out = new Dataset(meta.littleEndian);
  for (const element of meta) {
    const at = formatTag(element.tag);
    const keyword = meta.keyword(element.tag);
    if (metaRemoved.includes(element.tag) && !(element.vr === 'AE' && run.options.has('retainDeviceIdentity'))) {
      run.record(at, keyword, 'removed', 'File Meta Information: AE titles, addresses and private information (PS3.10 7.1)');
    } else if (element.tag === Tags.ImplementationClassUID || element.tag === implementationVersionName) {
      // The file is written by Veil (PS3.7 D.3.3.2); the original writer's UID can equal an InstanceCreatorUID.
      run.record(at, keyword, 'replaced', 'File Meta Information: written by Veil (PS3.10 7.1)');
      out.set(copyOf(element, veilMeta.get(element.tag)!.bytes));
    } else if (element.tag === Tags.MediaStorageSOPInstanceUID && !run.options.has('retainUIDs')) {
      out.set(replaceUids(run, meta, element, out, at, keyword, 'Basic Profile: U (follows SOP Instance UID)')!);
    } else {
      out.set(copyOf(element));
    }
  }
  return out;
}

function record(run: Run, dataset: Dataset, tag: string, value: string | Dataset[], vr?: 'CS' | 'LO' | 'SQ'): void {
  setValue(dataset, tag, value, vr);
  run.record(formatTag(tag), dataset.keyword(tag), 'added', 'PS3.15 E.1.1: record that and how the identity was removed');
}

/** Writes (0012,0062-0064) and (0028,0303) (PS3.15 E.1.1, PS3.3 C.7.1.1, C.7.6.1): exactly what was applied. */
function markDeidentified(run: Run, dataset: Dataset): void {
  const applied = run.profile.options.filter((o) => !optionInfo[o].pixel);
  const codes = [basicProfileCode, ...applied.map((o) => optionInfo[o])];
  record(run, dataset, T.PatientIdentityRemoved, 'YES', 'CS');
  record(run, dataset, T.DeidentificationMethod, ['Veil: PS3.15 Basic Application Level Confidentiality Profile', ...applied.map(optionLabel)].map((s) => s.slice(0, 64)).join('\\'), 'LO');
  const items = codes.map(({ code, meaning }) => {
    const item = createDataset(dataset.littleEndian);
    setValue(item, T.CodeValue, code, 'SH');
    setValue(item, T.CodingSchemeDesignator, 'DCM', 'SH');
    setValue(item, T.CodeMeaning, meaning, 'LO');
    return item;
  });
  record(run, dataset, T.DeidentificationMethodCodeSequence, items, 'SQ');
  const temporal = run.options.has('retainLongitudinalModifiedDates') ? 'MODIFIED' : run.options.has('retainLongitudinalFullDates') ? 'UNMODIFIED' : 'REMOVED';
  record(run, dataset, T.LongitudinalTemporalInformationModified, temporal, 'CS');
}

/** De-identifies a copy; the input is never mutated. Pixel bytes are shared, not decoded. */
export function deidentify(file: DicomFile, profile: DeidProfile, context: DeidContext): DeidResult {
  const options = new Set(profile.options);
  const run = new Run(file, profile, options, pseudonymsFor(context.secret), context);
  const dataset = cleanDataset(run, file.dataset, undefined, '');
  markDeidentified(run, dataset);
  const meta = cleanMeta(run, file.meta);
  return {
    file: { preamble: file.preamble ? new Uint8Array(128) : undefined, meta, dataset, transferSyntaxUID: file.transferSyntaxUID },
    audit: run.audit,
    deferredOptions: profile.options.filter((o) => optionInfo[o].pixel),
    dayShift: run.dayShift,
  };
}
