// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- dcmjs has no types; the reference makes every layer that imports shared/dicom see them.
/// <reference path="./dcmjs.d.ts" />
// Keywords and VRs come from dcmjs's copy of the PS3.6 data dictionary (and its
// private dictionary); results are cached because lookups parse strings.
import dcmjs from 'dcmjs';
import { elementOf, formatTag, groupOf, type Tag } from './tag';
import { isVR, type VR } from './vr';

export interface DictionaryEntry {
  keyword: string;
  /** The VR to use when none is on the wire (implicit VR). */
  vr: VR | undefined;
  vm: string;
}

const { dictionary, nameMap } = dcmjs.data.DicomMetaDictionary;
const byTag = new Map<Tag, DictionaryEntry | null>();
const byPrivate = new Map<string, DictionaryEntry | null>();

/**
 * Dictionary VRs with a choice: US/SS and OB/OW depend on other attributes.
 * Implicit-VR data is read as the unsigned / word form (PS3.5 A.1 for PixelData).
 */
function concreteVR(vr: string): VR | undefined {
  if (isVR(vr)) return vr;
  switch (vr) {
    case 'ox':
    case 'lt':
      return 'OW';
    case 'xs':
      return 'US';
    case 'up':
      return 'UL';
    default:
      return undefined;
  }
}

function entryFrom(raw: { name: string; vr: string; vm: string } | undefined): DictionaryEntry | null {
  if (!raw) return null;
  return { keyword: raw.name.replace(/^RETIRED_/, ''), vr: concreteVR(raw.vr), vm: raw.vm };
}

/** (gggg,0000) in any group: the retired group length, always UL (PS3.5 7.2). */
const groupLength: DictionaryEntry = { keyword: 'GroupLength', vr: 'UL', vm: '1' };

/** The standard dictionary entry of a (public) tag, including repeating groups. */
export function lookupTag(tag: Tag): DictionaryEntry | undefined {
  let entry = byTag.get(tag);
  if (entry === undefined) {
    entry = entryFrom(dictionary[formatTag(tag)]) ?? (elementOf(tag) === 0 ? groupLength : null);
    byTag.set(tag, entry);
  }
  return entry ?? undefined;
}

/** Private dictionary entry for an element reserved by `creator` (PS3.5 7.8.1). */
export function lookupPrivateTag(tag: Tag, creator: string): DictionaryEntry | undefined {
  const low = (elementOf(tag) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  const key = `(${tag.slice(0, 4)},"${creator}",${low})`;
  let entry = byPrivate.get(key);
  if (entry === undefined) {
    entry = entryFrom(dictionary[key]);
    byPrivate.set(key, entry);
  }
  return entry ?? undefined;
}

/** Tag of a standard keyword, e.g. "PatientName" → "00100010". */
export function tagForKeyword(keyword: string): Tag | undefined {
  const raw = nameMap[keyword];
  if (!raw) return undefined;
  return raw.tag.replace(/[(),]/g, '').toUpperCase();
}

/** VR an implicit-VR element should be read with. Group lengths are UL (PS3.5 7.2). */
export function implicitVR(tag: Tag): VR {
  if (elementOf(tag) === 0 ) return 'UL';
  if ((groupOf(tag) & 1) === 1) {
    const element = elementOf(tag);
    if (element >= 0x10 && element <= 0xff) return 'LO';
  }
  return lookupTag(tag)?.vr ?? 'UN';
}
