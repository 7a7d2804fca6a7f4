// Public surface of Veil's DICOM core. Everything outside shared/dicom imports
// from here only, never from dicom-parser or dcmjs directly.
export { DicomReadError, type DicomReadErrorCode } from './errors';
export { DataElement, Dataset, elementText, valueVR, type EncapsulatedPixels } from './dataset';
export { Tags, formatTag, isPrivateTag, tagOf, type Tag } from './tag';
export { type VR } from './vr';
export { lookupTag, tagForKeyword } from './dictionary';
export { decodeText } from './charset';
export { concatBytes } from './bytes';
export { createDataset, createFile, paddedUtf8, setValue, uidFromName, type ElementValue, type NewFileOptions } from './create';
export { writeDicom, writeDicomParts, encodeDataset } from './writer';
export { readDicom, readFileMeta, isPart10, TransferSyntax, type DicomFile, type ReadOptions } from './reader';
export { headerRows, type HeaderRow } from './headerRows';
export { createStudyIndexBuilder, sortInstances, type StudyIndexBuilder } from './studyIndex';
export { isDicomdir, dicomdirFileIds, dicomdirRecords, type DirectoryRecord } from './dicomdir';
