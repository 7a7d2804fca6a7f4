// The seed corpus: the real scans of test/fixtures (DATA.md), in a fixed order.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fixtures } from '../fixtures/paths';
import { corpusRoots } from '../unit/dicom/corpus';

/** Larger seeds cost time per input without reaching new code. */
const MAX_SEED_BYTES = 8 * 1024 * 1024;
/** Series contribute a few slices, not all: one slice's code paths are another's. */
const PER_SERIES_FOLDER = 3;

const folders = [...corpusRoots, fixtures.craniumDicom];

/** Folders of one series' slices. */
const seriesFolders = [fixtures.craniumDicom, fixtures.daikonBrain];

function walk(folder: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(folder).sort();
  } catch {
    return;
  }
  const files: string[] = [];
  for (const name of entries) {
    const full = path.join(folder, name);
    const stat = statSync(full);
    if (stat.isDirectory()) walk(full, out);
    else if (stat.isFile() && stat.size > 0 && stat.size <= MAX_SEED_BYTES && !/\.(json|txt|md|nii|gz|py|pyc)$/i.test(name)) files.push(full);
  }
  out.push(...(seriesFolders.includes(folder) ? files.slice(0, PER_SERIES_FOLDER) : files));
}

/** Seed files as paths relative to the fixtures root, sorted. */
export function seedCorpus(): string[] {
  const out: string[] = [];
  for (const folder of folders) walk(folder, out);
  return [...new Set(out)].map((f) => path.relative(fixtures.root, f)).sort();
}
