// Node-side helpers of the patient journey spec, loaded through tsx
// (`tsImport`): shared/deid imports its rules table as JSON, which
// Playwright's own loader cannot.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectIdentifiers, isSearchable } from '../../shared/deid';
import { DicomReadError, readDicom } from '../../shared/dicom';

/** Every searchable identifying value (not UIDs) in the DICOM files under `dir`, DICOMDIRs included. */
export function identifyingValuesUnder(dir: string): string[] {
  const values = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    let file;
    try {
      file = readDicom(new Uint8Array(readFileSync(join(entry.parentPath, entry.name))), { headerOnly: true });
    } catch (error) {
      if (error instanceof DicomReadError) continue;
      throw error;
    }
    for (const id of collectIdentifiers(file)) if (id.kind !== 'uid' && isSearchable(id.value)) values.add(id.value);
  }
  return [...values];
}
