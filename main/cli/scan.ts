// `veil scan`: header-only reads of every input, the engine's identifying
// values turned into findings, grouped per series (shared/export/scan.ts).
import { collectIdentifiers } from '../../shared/deid';
import { DicomReadError, Tags, readDicom } from '../../shared/dicom';
import { ScanCollector, headerFindings, type ScanDocument } from '../../shared/export';
import { collectInputFiles } from '../files/collect';
import { readFailureReason, readOriginal } from '../files/readOnly';

export async function scanInputs(inputs: readonly string[], options: { includeValues?: boolean } = {}): Promise<ScanDocument> {
  const collector = new ScanCollector();
  const { files, skipped } = await collectInputFiles(inputs);
  for (const s of skipped) collector.skip(s.displayPath, s.reason);
  for (const input of files) {
    try {
      const file = readDicom(await readOriginal(input), { headerOnly: true });
      if (file.dataset.has(Tags.DirectoryRecordSequence)) {
        collector.skip(input, 'a DICOMDIR (the index of a medium), not an image');
        continue;
      }
      collector.addFile(input, file, headerFindings(input, collectIdentifiers(file), options.includeValues));
    } catch (error) {
      collector.skip(input, error instanceof DicomReadError ? `not readable as DICOM: ${error.message}` : readFailureReason(error));
    }
  }
  return collector.document();
}
