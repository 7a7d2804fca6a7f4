// The benchmark corpus: the DICOM core's real test corpus plus the Cranium series.
import { statSync } from 'node:fs';
import { fixtures } from '../fixtures/paths';
import { corpusFiles, walk } from '../unit/dicom/corpus';

/** Real files that are DICOM by name (the caller drops what does not parse). */
export function benchCorpus(): string[] {
  const named = corpusFiles()
    .filter((file) => file.isDicomByName)
    .map((file) => file.path);
  return [...named, ...walk(fixtures.craniumDicom)].filter((path) => statSync(path).size > 0);
}
