// Reading an element the way the table means it.
import { DataElement, Dataset, isPrivateTag, lookupTag } from '../dicom';

const textVRs = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);

/**
 * A public text attribute stored as UN (explicit UN, PS3.5 6.2.2) is judged and rewritten as its
 * dictionary VR: read as UN its UIDs, dates and names would not be seen. The element is viewed
 * through a one-element dataset whose parent gives the character set.
 */
export function withDictionaryVR(element: DataElement, source: Dataset): { element: DataElement; from: Dataset } {
  if (element.vr !== 'UN' || element.items || isPrivateTag(element.tag)) return { element, from: source };
  const vr = lookupTag(element.tag)?.vr;
  if (!vr || !textVRs.has(vr)) return { element, from: source };
  const view = new DataElement(element.tag, vr, element.bytes);
  const from = new Dataset(source.littleEndian);
  from.parent = source;
  from.set(view);
  return { element: view, from };
}
