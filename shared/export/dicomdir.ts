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

/**
 * A record of the tree. Instance records, one per file, are encoded as they are made
 * (`bytes`: a few hundred bytes instead of a dataset of small arrays), so the directory's
 * memory does not grow with a dataset per file; their next-record offset is patched in place.
 */
interface Node {
  record?: Dataset;
  bytes?: Uint8Array;
  children: Node[];
}

const explicitLittle = TransferSyntax.ExplicitVRLittleEndian;

/** An instance record's bytes, checked to start with its Offset of the Next Directory Record (the lowest tag, set first). */
function encodedRecord(record: Dataset): Uint8Array {
  const bytes = encodeDataset(record, explicitLittle).slice();
  if (bytes[0] !== 0x04 || bytes[1] !== 0x00 || bytes[2] !== 0x00 || bytes[3] !== 0x14) throw new Error('DICOMDIR record does not start with its next-record offset.');
  return bytes;
}

/** Groups entries into the record tree, in the order the entries come. */
function recordTree(entries: Iterable<DirectoryEntry>, instanceUIDs: string[]): Node[] {
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
    instanceUIDs.push(entry.sopInstanceUID);
    seriesNode.children.push({ bytes: encodedRecord(instance), children: [] });
  }
  return roots;
}

/** Depth first: each record followed by its lower-level entity (PS3.10 8.5 puts no order rule; this is the usual one). */
function flatten(nodes: readonly Node[], out: Node[] = []): Node[] {
  for (const node of nodes) {
    out.push(node);
    flatten(node.children, out);
  }
  return out;
}

function setUL(dataset: Dataset, tag: string, value: number): void {
  setValue(dataset, tag, value, 'UL');
}

/** Fills the offset elements from each record's position in the encoded file. */
function link(nodes: readonly Node[], offsetOf: Map<Node, number>): void {
  nodes.forEach((node, i) => {
    const next = nodes[i + 1];
    const nextOffset = next ? offsetOf.get(next)! : 0;
    if (node.bytes) {
      // An instance record: no lower level (its offset stays 0), the next one's offset in place.
      new DataView(node.bytes.buffer, node.bytes.byteOffset).setUint32(8, nextOffset, true);
      return;
    }
    setUL(node.record!, Tags.OffsetOfNextDirectoryRecord, nextOffset);
    const lower = node.children[0];
    setUL(node.record!, Tags.OffsetOfReferencedLowerLevelDirectoryEntity, lower ? offsetOf.get(lower)! : 0);
    link(node.children, offsetOf);
  });
}

const itemHeader = (tag: number, length: number): Uint8Array => {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint16(2, tag, true);
  view.setUint32(4, length, true);
  return bytes;
};

/** A complete DICOMDIR file for the exported entries (explicit VR little endian, PS3.10 8.6). */
export function buildDicomdir(entries: Iterable<DirectoryEntry>, fileSetID = 'VEIL'): Uint8Array {
  const instanceUIDs: string[] = [];
  const tree = recordTree(entries, instanceUIDs);
  const records = flatten(tree);
  const dataset = createDataset(true);
  setValue(dataset, '00041130', fileSetID, 'CS');
  setUL(dataset, Tags.OffsetOfFirstRootRecord, 0);
  setUL(dataset, '00041202', 0);
  setValue(dataset, '00041212', 0, 'US');
  const instanceUID = uidFromName(`veil-dicomdir:${instanceUIDs.join('|')}`);
  const file = createFile(dataset, {
    sopClassUID: MediaStorageDirectoryStorage,
    sopInstanceUID: instanceUID,
    transferSyntaxUID: explicitLittle,
  });
  if (records.length === 0) {
    setValue(dataset, Tags.DirectoryRecordSequence, new Uint8Array(0), 'SQ');
    return writeDicom(file);
  }
  // The record sequence is the last element; it and its items have undefined length, so the
  // file is the head (up to the sequence's header), each record between an item header and an
  // item delimiter, then the sequence delimiter. Offset elements are fixed-size ULs: filling
  // them in moves nothing, so every offset is known by arithmetic.
  dataset.set(new DataElement(Tags.DirectoryRecordSequence, 'SQ', new Uint8Array(0), []));
  const headLength = writeDicomParts(file).reduce((n, part) => n + part.length, 0) - 8;
  const lengths = records.map((node) => node.bytes?.length ?? encodeDataset(node.record!, explicitLittle).length);
  const offsetOf = new Map<Node, number>();
  let offset = headLength;
  records.forEach((node, i) => {
    offsetOf.set(node, offset);
    offset += 16 + lengths[i];
  });
  link(tree, offsetOf);
  setUL(dataset, Tags.OffsetOfFirstRootRecord, offsetOf.get(tree[0])!);
  setUL(dataset, '00041202', offsetOf.get(tree[tree.length - 1])!);

  const out = new Uint8Array(offset + 8);
  let at = 0;
  const put = (bytes: Uint8Array): void => {
    out.set(bytes, at);
    at += bytes.length;
  };
  for (const part of writeDicomParts(file)) put(part);
  at = headLength;
  const start = itemHeader(0xe000, 0xffffffff);
  const end = itemHeader(0xe00d, 0);
  for (const node of records) {
    put(start);
    put(node.bytes ?? encodeDataset(node.record!, explicitLittle));
    put(end);
  }
  put(itemHeader(0xe0dd, 0));
  return out;
}
