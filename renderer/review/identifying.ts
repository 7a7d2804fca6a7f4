// Which header values privacy mode hides: anything the confidentiality profile
// touches (PS3.15 Table E.1-1 rows other than K), names, dates, UIDs and
// private elements (vendors put names anywhere). Pure, for the header panel
// and the review's diff table alike.
import { ruleFor } from '../../shared/deid';

const alwaysHidden = new Set(['PN', 'DA', 'DT', 'UI']);

/** True when the element's value may identify someone (tag "(gggg,eeee)"). */
export function isIdentifyingElement(tag: string, vr: string, isPrivate: boolean): boolean {
  if (isPrivate || alwaysHidden.has(vr)) return true;
  const rule = ruleFor(tag.replace(/[(),]/g, '').toUpperCase());
  return rule !== undefined && rule.basic !== 'K';
}

export const hiddenValue = '•••';
