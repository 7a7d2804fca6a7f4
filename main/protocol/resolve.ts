// Maps an app:// URL to a file under the renderer build, refusing anything
// that would leave it. Pure (no Electron, no I/O) so it is tested directly.
import path from 'node:path';
import { isInside } from '../app/containment';
import { APP_HOST, APP_SCHEME } from './scheme';

export type AppRequestTarget =
  | { kind: 'file'; filePath: string }
  | { kind: 'forbidden'; reason: string };

const DEFAULT_DOCUMENT = 'index.html';

/**
 * Resolves `url` against `rootDir`. Each path segment is percent-decoded on its
 * own, so an encoded separator or dot segment (`..%2f`, `%2e%2e`, `%5c`) can
 * never become a path step; the resolved path must still lie inside the root.
 */
export function resolveAppRequest(
  rootDir: string,
  url: string,
  pathApi: path.PlatformPath = path,
): AppRequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'forbidden', reason: 'malformed URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return { kind: 'forbidden', reason: 'not the app origin' };
  }

  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'forbidden', reason: 'malformed percent-encoding' };
    }
    if (!isPlainSegment(segment)) return { kind: 'forbidden', reason: `refused path segment ${JSON.stringify(raw)}` };
    segments.push(segment);
  }
  if (segments.length === 0) segments.push(DEFAULT_DOCUMENT);

  const root = pathApi.resolve(rootDir);
  const filePath = pathApi.resolve(root, ...segments);
  if (!isInside(root, filePath, pathApi)) return { kind: 'forbidden', reason: 'outside the app folder' };
  return { kind: 'file', filePath };
}

function isPlainSegment(segment: string): boolean {
  if (segment === '.' || segment === '..') return false;
  // Separators of any platform, NUL, and drive letters ("C:") could redirect
  // the resolved path; none occurs in a Vite build's file names.
  if (/[/\\\0]/.test(segment)) return false;
  if (/^[a-zA-Z]:/.test(segment)) return false;
  return true;
}
