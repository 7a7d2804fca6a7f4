// Writing a DICOMDIR (Media Storage Directory, PS3.10 8, PS3.3 F) for an export:
// PATIENT > STUDY > SERIES > instance records, linked by byte offsets.
// Key values are copied as raw bytes from the (already de-identified) files, so
// a DICOMDIR never holds anything the exported files do not.
import {
  DataElement,
  Tags,
  createDataset,
  createFile,
  setValue,
  tagForKeyword,
  uidFromName,
  writeDicom,
  writeDicomParts,
  encodeDataset,
  type Dataset,
  type DicomFile,
} from '../dicom';
import { TransferSyntax } from '../dicom';

export const MediaStorageDirectoryStorage = '1.2.840.10008.1.3.10';

/** One exported instance, as the directory needs it. */
export interface DirectoryEntry {
  fileId: string[];
  /** Key elements of the exported file (raw bytes, little-endian-safe string VRs only). */
  keys: Dataset;
  sopClassUID: string;
  sopInstanceUID: string;
  transferSyntaxUID: string;
}

/** Keys copied into each record level (PS3.3 F.5.1–F.5.3 and the instance records of F.5). */
const levelKeys = {
  PATIENT: ['SpecificCharacterSet', 'PatientName', 'PatientID'],
  STUDY: ['SpecificCharacterSet', 'StudyDate', 'StudyTime', 'StudyDescription', 'StudyInstanceUID', 'StudyID', 'AccessionNumber'],
  SERIES: ['SpecificCharacterSet', 'Modality', 'SeriesInstanceUID', 'SeriesNumber'],
} as const;

const instanceKeysByType: Record<string, readonly string[]> = {
  IMAGE: ['SpecificCharacterSet', 'InstanceNumber'],
  'SR DOCUMENT': [
    'SpecificCharacterSet', 'InstanceNumber', 'CompletionFlag', 'VerificationFlag', 'ContentDate', 'ContentTime',
    'VerificationDateTime', 'ConceptNameCodeSequence',
  ],
  'KEY OBJECT DOC': ['SpecificCharacterSet', 'InstanceNumber', 'ContentDate', 'ContentTime', 'ConceptNameCodeSequence'],
  'RT STRUCTURE SET': ['SpecificCharacterSet', 'InstanceNumber', 'StructureSetLabel', 'StructureSetDate', 'StructureSetTime'],
  'RT PLAN': ['SpecificCharacterSet', 'InstanceNumber', 'RTPlanLabel', 'RTPlanDate', 'RTPlanTime'],
  'RT DOSE': ['SpecificCharacterSet', 'InstanceNumber', 'DoseSummationType'],
  WAVEFORM: ['SpecificCharacterSet', 'InstanceNumber', 'ContentDate', 'ContentTime'],
  'ENCAP DOC': ['SpecificCharacterSet', 'InstanceNumber', 'ContentDate', 'ContentTime', 'DocumentTitle', 'MIMETypeOfEncapsulatedDocument'],
};

function instanceKeys(type: string): readonly string[] {
  return instanceKeysByType[type] ?? instanceKeysByType.IMAGE;
}

/** Type 1 keys that must not be empty: a neutral value when the profile removed them. */
const requiredFallback: Record<string, string> = {
  StudyDate: '19000101',
  StudyTime: '000000',
  StudyID: '1',
  SeriesNumber: '1',
  InstanceNumber: '1',
  Modality: 'OT',
  StructureSetLabel: 'UNNAMED',
  RTPlanLabel: 'UNNAMED',
};

/** Keys written only when the file has a value (Type 1C, or 3). */
const optionalKeys = new Set([
  'SpecificCharacterSet', 'CompletionFlag', 'VerificationFlag', 'ContentDate', 'ContentTime', 'VerificationDateTime',
  'ConceptNameCodeSequence', 'DoseSummationType', 'DocumentTitle', 'MIMETypeOfEncapsulatedDocument',
]);

/** Directory Record Type by SOP Class UID prefix (PS3.3 F.5, Table F.4-1); default IMAGE. */
const recordTypeBySopClass: Array<[prefix: string, type: string]> = [
  ['1.2.840.10008.5.1.4.1.1.88.59', 'KEY OBJECT DOC'],
  ['1.2.840.10008.5.1.4.1.1.88.', 'SR DOCUMENT'],
  ['1.2.840.10008.5.1.4.1.1.481.3', 'RT STRUCTURE SET'],
  ['1.2.840.10008.5.1.4.1.1.481.5', 'RT PLAN'],
  ['1.2.840.10008.5.1.4.1.1.481.8', 'RT PLAN'],
  ['1.2.840.10008.5.1.4.1.1.481.2', 'RT DOSE'],
  ['1.2.840.10008.5.1.4.1.1.481.4', 'RT TREAT RECORD'],
  ['1.2.840.10008.5.1.4.1.1.481.6', 'RT TREAT RECORD'],
  ['1.2.840.10008.5.1.4.1.1.481.7', 'RT TREAT RECORD'],
  ['1.2.840.10008.5.1.4.1.1.9.', 'WAVEFORM'],
  ['1.2.840.10008.5.1.4.1.1.11.', 'PRESENTATION'],
  ['1.2.840.10008.5.1.4.1.1.104.', 'ENCAP DOC'],
  ['1.2.840.10008.5.1.4.1.1.66.2', 'FIDUCIAL'],
  ['1.2.840.10008.5.1.4.1.1.66.1', 'REGISTRATION'],
  ['1.2.840.10008.5.1.4.1.1.66.3', 'REGISTRATION'],
  ['1.2.840.10008.5.1.4.1.1.66', 'RAW DATA'],
  ['1.2.840.10008.5.1.4.1.1.67', 'VALUE MAP'],
  ['1.2.840.10008.5.1.4.1.1.68.', 'SURFACE'],
];

export function recordTypeFor(sopClassUID: string): string {
  return recordTypeBySopClass.find(([prefix]) => sopClassUID.startsWith(prefix))?.[1] ?? 'IMAGE';
}

const stringKeyTags = new Map<string, string>();
for (const keyword of new Set([...Object.values(levelKeys), ...Object.values(instanceKeysByType)].flat())) {
  const tag = tagForKeyword(keyword);
  if (tag) stringKeyTags.set(keyword, tag);
}

/** The directory's view of an exported file: its File ID and key elements. */
export function directoryEntry(file: DicomFile, fileId: string[]): DirectoryEntry {
  const keys = createDataset(true);
  for (const tag of stringKeyTags.values()) {
    const element = file.dataset.get(tag);
    if (element && element.skippedLength === undefined) {
      const copy = keyCopy(element);
      if (copy) keys.set(copy);
    }
  }
  // SR: the record's Verification DateTime is the latest observer's (PS3.3 F.5.24, 1C when VERIFIED).
  if (!keys.has('0040A030')) {
    const times = file.dataset.items('0040A073').map((observer) => observer.string('0040A030')).filter(Boolean).sort();
    if (times.length > 0) setValue(keys, '0040A030', times[times.length - 1], 'DT');
  }
  return {
    fileId,
    keys,
    sopClassUID: file.dataset.string(Tags.SOPClassUID) || file.meta.string(Tags.MediaStorageSOPClassUID),
    sopInstanceUID: file.dataset.string(Tags.SOPInstanceUID) || file.meta.string(Tags.MediaStorageSOPInstanceUID),
    transferSyntaxUID: file.transferSyntaxUID,
  };
}

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

/**
 * A key element in the DICOMDIR's own encoding. String VRs are byte-order independent;
 * DA/TM written ACR-NEMA style ("2001.03.16", "09:11:56") are brought to PS3.5 form;
 * code sequences are copied item by item, strings only.
 */
function keyCopy(element: DataElement): DataElement | undefined {
  if (element.items) {
    const items = element.items.map((item) => {
      const copy = createDataset(true);
      for (const inner of item) {
        const innerCopy = keyCopy(inner);
        if (innerCopy) copy.set(innerCopy);
      }
      return copy;
    });
    return new DataElement(element.tag, 'SQ', new Uint8Array(0), items);
  }
  if (!textVRs.has(element.vr)) return undefined;
  if (element.vr === 'DA' || element.vr === 'TM') {
    const text = ascii(element.bytes).replace(/[\0 ]+$/, '');
    const fixed = element.vr === 'DA' ? text.replace(/[.\-/]/g, '') : text.replace(/:/g, '');
    if (fixed !== text) return new DataElement(element.tag, element.vr, padded(fixed));
  }
  // A copy: a subarray would keep the whole file (pixel data included) alive.
  return new DataElement(element.tag, element.vr, element.bytes.slice());
}

const textVRs = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

function padded(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length + (text.length % 2)).fill(0x20);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** A DICOMDIR can list only composite instances with their identifying UIDs (PS3.3 F.5). */
export function isListable(entry: DirectoryEntry): boolean {
  const has = (tag: string) => (entry.keys.get(tag)?.bytes.length ?? 0) > 0;
  return !!entry.sopClassUID && !!entry.sopInstanceUID && has(Tags.StudyInstanceUID) && has(Tags.SeriesInstanceUID);
}

function record(type: string, keywords: readonly string[], source: Dataset): Dataset {
  const item = createDataset(true);
  setValue(item, Tags.OffsetOfNextDirectoryRecord, 0, 'UL');
  // Retired but still Type 1 for dciodvfy; FFFFH = in use (PS3.3 F.3.2.2).
  setValue(item, '00041410', 0xffff, 'US');
  setValue(item, Tags.OffsetOfReferencedLowerLevelDirectoryEntity, 0, 'UL');
  setValue(item, Tags.DirectoryRecordType, type, 'CS');
  for (const keyword of keywords) {
    const tag = stringKeyTags.get(keyword);
    if (!tag) continue;
    const element = source.get(tag);
    if (element && (element.bytes.length > 0 || (element.items?.length ?? 0) > 0)) {
      if (element.items) for (const child of element.items) child.parent = item;
      item.set(element);
    }
    else if (requiredFallback[keyword] !== undefined) setValue(item, keyword, requiredFallback[keyword]);
    else if (!optionalKeys.has(keyword)) setValue(item, keyword, new Uint8Array(0));
  }
  return item;
}

interface Node {
  record: Dataset;
  children: Node[];
}

/** Groups entries into the record tree, in the order the entries come. */
function recordTree(entries: readonly DirectoryEntry[]): Node[] {
  const roots: Node[] = [];
  const patients = new Map<string, Node>();
  const studies = new Map<string, Node>();
  const series = new Map<string, Node>();
  for (const entry of entries) {
    const [root, p, st, se] = entry.fileId;
    const patientKey = `${root}/${p}`;
    const studyKey = `${patientKey}/${st}`;
    const seriesKey = `${studyKey}/${se}`;
    let patient = patients.get(patientKey);
    if (!patient) {
      patient = { record: record('PATIENT', levelKeys.PATIENT, entry.keys), children: [] };
      patients.set(patientKey, patient);
      roots.push(patient);
    }
    let study = studies.get(studyKey);
    if (!study) {
      study = { record: record('STUDY', levelKeys.STUDY, entry.keys), children: [] };
      studies.set(studyKey, study);
      patient.children.push(study);
    }
    let seriesNode = series.get(seriesKey);
    if (!seriesNode) {
      seriesNode = { record: record('SERIES', levelKeys.SERIES, entry.keys), children: [] };
      series.set(seriesKey, seriesNode);
      study.children.push(seriesNode);
    }
    const type = recordTypeFor(entry.sopClassUID);
    const instance = record(type, instanceKeys(type), entry.keys);
    setValue(instance, Tags.ReferencedFileID, entry.fileId, 'CS');
    setValue(instance, '00041510', entry.sopClassUID, 'UI');
    setValue(instance, '00041511', entry.sopInstanceUID, 'UI');
    setValue(instance, '00041512', entry.transferSyntaxUID, 'UI');
    seriesNode.children.push({ record: instance, children: [] });
  }
  return roots;
}

/** Depth first: each record followed by its lower-level entity (PS3.10 8.5 puts no order rule; this is the usual one). */
function flatten(nodes: readonly Node[], out: Dataset[] = []): Dataset[] {
  for (const node of nodes) {
    out.push(node.record);
    flatten(node.children, out);
  }
  return out;
}

function setUL(dataset: Dataset, tag: string, value: number): void {
  setValue(dataset, tag, value, 'UL');
}

/** Fills the offset elements from each record's position in the encoded file. */
function link(nodes: readonly Node[], offsetOf: Map<Dataset, number>): void {
  nodes.forEach((node, i) => {
    const next = nodes[i + 1];
    setUL(node.record, Tags.OffsetOfNextDirectoryRecord, next ? offsetOf.get(next.record)! : 0);
    const lower = node.children[0];
    setUL(node.record, Tags.OffsetOfReferencedLowerLevelDirectoryEntity, lower ? offsetOf.get(lower.record)! : 0);
    link(node.children, offsetOf);
  });
}

/** A complete DICOMDIR file for the exported entries (explicit VR little endian, PS3.10 8.6). */
export function buildDicomdir(entries: readonly DirectoryEntry[], fileSetID = 'VEIL'): Uint8Array {
  const tree = recordTree(entries);
  const records = flatten(tree);
  const dataset = createDataset(true);
  setValue(dataset, '00041130', fileSetID, 'CS');
  setUL(dataset, Tags.OffsetOfFirstRootRecord, 0);
  setUL(dataset, '00041202', 0);
  setValue(dataset, '00041212', 0, 'US');
  if (records.length > 0) setValue(dataset, Tags.DirectoryRecordSequence, records, 'SQ');
  else setValue(dataset, Tags.DirectoryRecordSequence, new Uint8Array(0), 'SQ');
  const instanceUID = uidFromName(`veil-dicomdir:${entries.map((e) => e.sopInstanceUID).join('|')}`);
  const file = createFile(dataset, {
    sopClassUID: MediaStorageDirectoryStorage,
    sopInstanceUID: instanceUID,
    transferSyntaxUID: TransferSyntax.ExplicitVRLittleEndian,
  });

  // Offsets are UL (fixed width), so a first encoding tells every record's position.
  // Record offsets by arithmetic, not by parsing a draft (which held every record twice):
  // the record sequence is the last element, its items and itself of undefined length
  // (item header 8 + item delimiter 8 bytes, sequence delimiter 8), and the offset
  // elements are fixed-size ULs, so filling them in moves nothing.
  const draftLength = writeDicomParts(file).reduce((n, part) => n + part.length, 0);
  const lengths = records.map((recordDataset) => encodeDataset(recordDataset, TransferSyntax.ExplicitVRLittleEndian).length);
  let offset = draftLength - (records.length > 0 ? 8 : 0) - lengths.reduce((n, length) => n + 16 + length, 0);
  const offsetOf = new Map<Dataset, number>();
  records.forEach((recordDataset, i) => {
    offsetOf.set(recordDataset, offset);
    offset += 16 + lengths[i];
  });
  link(tree, offsetOf);
  if (tree.length > 0) {
    setUL(dataset, Tags.OffsetOfFirstRootRecord, offsetOf.get(tree[0].record)!);
    setUL(dataset, '00041202', offsetOf.get(tree[tree.length - 1].record)!);
  }
  return writeDicom(file);
}
