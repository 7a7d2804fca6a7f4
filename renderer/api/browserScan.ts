// Browser mode's privacy scan: the same engine as `veil scan` (shared/deid's
// collector, shared/export's document), run in this tab on the opened files.
import type { FileId, ScanDocument } from '../../shared/api/contract';
import { collectIdentifiers } from '../../shared/deid';
import { readDicom, Tags } from '../../shared/dicom';
import { ScanCollector, headerFindings } from '../../shared/export';

export async function scanInBrowser(
  fileIds: readonly FileId[],
  read: (fileId: FileId) => Promise<ArrayBuffer>,
  displayPath: (fileId: FileId) => string,
  options: { pixels?: boolean } = {},
): Promise<ScanDocument> {
  const collector = new ScanCollector();
  for (const [index, fileId] of fileIds.entries()) {
    const name = displayPath(fileId);
    try {
      const file = readDicom(new Uint8Array(await read(fileId)), { headerOnly: true });
      if (file.dataset.has(Tags.DirectoryRecordSequence)) {
        collector.skip(name, 'a DICOMDIR (the index of a medium), not an image');
        continue;
      }
      collector.addFile(name, file, headerFindings(name, collectIdentifiers(file)));
      // OCR runs in the desktop app (main process); here the pixels stay unread, and the user is told.
      if (options.pixels && file.dataset.has(Tags.PixelData)) collector.uncheck(name, 'burned-in text is read in the Veil desktop app, not in the browser');
    } catch (error) {
      collector.skip(name, error instanceof Error ? error.message : String(error));
    }
    // Keep the page responsive on big series.
    if (index % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return collector.document();
}
