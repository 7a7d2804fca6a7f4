// A tag is "GGGGEEEE": upper-case hex of group and element (PS3.5 7.1).
export type Tag = string;

export function tagOf(group: number, element: number): Tag {
  return (((group << 16) | element) >>> 0).toString(16).padStart(8, "0").toUpperCase();
}

/** The value of one hex digit's character code (0–9, A–F, a–f); NaN for anything else. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : NaN;
}

/** Four hex digits from `at` (parseInt and slice cost more: every element asks, often several times). */
function hex4(tag: Tag, at: number): number {
  return (
    hexDigit(tag.charCodeAt(at)) * 4096 + hexDigit(tag.charCodeAt(at + 1)) * 256 + hexDigit(tag.charCodeAt(at + 2)) * 16 + hexDigit(tag.charCodeAt(at + 3))
  );
}

export function groupOf(tag: Tag): number {
  return tag.length === 8 ? hex4(tag, 0) : parseInt(tag.slice(0, 4), 16);
}

export function elementOf(tag: Tag): number {
  return tag.length === 8 ? hex4(tag, 4) : parseInt(tag.slice(4), 16);
}

/** "(0010,0010)", the form dcmdump and the standard print. */
export function formatTag(tag: Tag): string {
  return `(${tag.slice(0, 4)},${tag.slice(4)})`;
}

/** Odd groups are private (PS3.5 7.8); groups 0001/0003/0005/0007/FFFF are not usable. */
export function isPrivateTag(tag: Tag): boolean {
  // The group's last hex digit decides.
  return (hexDigit(tag.charCodeAt(3)) & 1) === 1;
}

/** (gggg,0010-00FF) in a private group names the creator of a block (PS3.5 7.8.1). */
export function isPrivateCreator(tag: Tag): boolean {
  if (!isPrivateTag(tag)) return false;
  const element = elementOf(tag);
  return element >= 0x10 && element <= 0xff;
}

/** The creator element that reserves the block of a private data element. */
export function privateCreatorTagFor(tag: Tag): Tag | undefined {
  if (!isPrivateTag(tag)) return undefined;
  const block = elementOf(tag) >> 8;
  if (block < 0x10) return undefined;
  return tagOf(groupOf(tag), block);
}

export const Tags = {
  FileMetaInformationGroupLength: '00020000',
  MediaStorageSOPClassUID: '00020002',
  MediaStorageSOPInstanceUID: '00020003',
  TransferSyntaxUID: '00020010',
  ImplementationClassUID: '00020012',
  DirectoryRecordSequence: '00041220',
  OffsetOfNextDirectoryRecord: '00041400',
  OffsetOfReferencedLowerLevelDirectoryEntity: '00041420',
  DirectoryRecordType: '00041430',
  ReferencedFileID: '00041500',
  OffsetOfFirstRootRecord: '00041200',
  SpecificCharacterSet: '00080005',
  SOPClassUID: '00080016',
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  AccessionNumber: '00080050',
  Modality: '00080060',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  BodyPartExamined: '00180015',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  NumberOfFrames: '00280008',
  Rows: '00280010',
  Columns: '00280011',
  PixelData: '7FE00010',
  FloatPixelData: '7FE00008',
  DoubleFloatPixelData: '7FE00009',
  Item: 'FFFEE000',
  ItemDelimitation: 'FFFEE00D',
  SequenceDelimitation: 'FFFEE0DD',
} as const;
