// How a box is named and coloured, the same in the overlay and the box list.
import type { BoxRef, PlannedBox } from './planState';

/** Colour class: identifying text red, technical amber, drawn by the user blue. */
export type BoxClass = 'identifying' | 'technical' | 'user' | 'detected';

export function boxClass(box: PlannedBox): BoxClass {
  if (box.origin === 'user') return 'user';
  return box.textClass ?? 'detected';
}

const originWords: Record<PlannedBox['origin'], string> = {
  'burned-in-text': 'Text',
  'skin-marker': 'Skin marker',
  face: 'Face',
  user: 'Drawn box',
};

/** What the box covers: the text read there, else where it came from (privacy mode: never the text). */
export function boxLabel(box: PlannedBox, hideText = false): string {
  if (hideText) return box.textClass ? `${originWords[box.origin]} (${box.textClass})` : originWords[box.origin];
  return box.text?.trim() || originWords[box.origin];
}

const classWords: Record<BoxClass, string> = {
  identifying: 'identifying text',
  technical: 'technical text',
  user: 'drawn by you',
  detected: 'detected',
};

export function classWord(box: PlannedBox): string {
  return classWords[boxClass(box)];
}

/** A stable key for React lists and test ids: "file:3", "signature:0:1". */
export function refKey(ref: BoxRef): string {
  return ref.owner === 'file' ? `file:${ref.index}` : `signature:${ref.signature}:${ref.index}`;
}
