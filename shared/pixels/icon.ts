// Icon thumbnails (Icon Image Sequence, PS3.3 C.7.6.1.1.6): a small picture of the
// image — a face photo, a screenshot with a name — that header anonymisers and
// pixel redaction of the main frame both miss unless they look for it.
import { Dataset, Tags, TransferSyntax, type DicomFile } from '../dicom';
import { isNativeSyntax } from './decode';

export const IconImageSequence = '00880200';

/**
 * The icon as a DicomFile view on the item itself, so pixelInfo, decodeFrame, toDisplay8 and
 * replaceFrames work on it and edits land in the parent. Its pixel data is encapsulated in
 * the parent's syntax or native (PS3.5 A.4 allows both; the octave-dicom face photo is
 * native in an LE file, nibabel's Siemens MR has a J2K palette icon in a J2K file). The
 * view has its own empty meta, so rewriting the icon never changes the parent's syntax.
 */
export function iconImage(file: DicomFile): DicomFile | null {
  const item = file.dataset.items(IconImageSequence)[0];
  const pixels = item?.get(Tags.PixelData);
  if (!item || !pixels) return null;
  let transferSyntaxUID = file.transferSyntaxUID;
  if (!pixels.encapsulated && !isNativeSyntax(transferSyntaxUID)) {
    transferSyntaxUID = item.littleEndian ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ExplicitVRBigEndian;
  }
  return { meta: new Dataset(true), dataset: item, transferSyntaxUID };
}

/** Drop the Icon Image Sequence (PS3.15 E.1-1 lists it X); true if there was one. */
export function removeIcon(file: DicomFile): boolean {
  return file.dataset.delete(IconImageSequence);
}
