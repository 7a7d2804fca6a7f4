// Path containment, the one check behind every "never leave this folder" rule.
import path from 'node:path';

/** True when `candidate` lies strictly inside `root` (both absolute, resolved). */
export function isInside(root: string, candidate: string, pathApi: path.PlatformPath = path): boolean {
  const relative = pathApi.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !pathApi.isAbsolute(relative);
}
