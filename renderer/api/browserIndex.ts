// Browser mode: index picked files with the shared DICOM core, as main does in
// Electron. Bytes stay in this tab; nothing is uploaded anywhere.
import type { FileId, OpenResult, ProgressEvent } from '../../shared/api/contract';
import { createStudyIndexBuilder, dicomdirFileIds, isDicomdir } from '../../shared/dicom';

/** Something the stand-in can read bytes from: a picked File or fetched bytes. */
export type ByteSource = File | ArrayBuffer;

export interface SourceFile {
  path: string;
  bytes: ByteSource;
}

export interface IndexedSource {
  result: OpenResult;
  /** Every file that was indexed, by the id handed out in `result`. */
  files: Map<FileId, ByteSource>;
}

let nextFileId = 0;

/** A fresh copy each time: callers may transfer the buffer to a worker. */
export async function readBytes(source: ByteSource): Promise<ArrayBuffer> {
  return source instanceof ArrayBuffer ? source.slice(0) : source.arrayBuffer();
}

export async function indexSource(
  source: string,
  inputs: SourceFile[],
  report: (event: ProgressEvent) => void,
): Promise<IndexedSource> {
  const builder = createStudyIndexBuilder();
  const files = new Map<FileId, ByteSource>();
  const paths = new Set(inputs.map((input) => normalise(input.path)));
  const total = inputs.length;
  for (const [done, input] of inputs.entries()) {
    report({ done, total, message: `Reading ${input.path}` });
    const bytes = new Uint8Array(await readBytes(input.bytes));
    if (isDicomdir(bytes)) {
      // PS3.10 8.6: a DICOMDIR only points at files; index those files themselves.
      const missing = dicomdirFileIds(bytes).filter((parts) => !paths.has(siblingPath(input.path, parts)));
      builder.skip({
        displayPath: input.path,
        reason:
          missing.length === 0
            ? 'DICOMDIR: its referenced files are read directly'
            : `DICOMDIR: ${missing.length} referenced file(s) are not in what was opened (open the whole folder)`,
      });
    } else {
      const fileId = `b${nextFileId++}`;
      builder.add(fileId, input.path, bytes);
      files.set(fileId, input.bytes);
    }
    // Let the progress indicator paint on long folders.
    if (done % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  report({ done: total, total, message: 'Done' });
  const result = builder.result(source);
  const kept = new Set(result.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((r) => r.instances.map((i) => i.fileId)))));
  for (const id of files.keys()) if (!kept.has(id)) files.delete(id);
  return { result, files };
}

function normalise(path: string): string {
  return path.replace(/\\/g, '/').toUpperCase();
}

/** Path of a DICOMDIR-referenced file relative to the DICOMDIR's own folder. */
function siblingPath(dicomdirPath: string, parts: string[]): string {
  const folder = dicomdirPath.replace(/\\/g, '/').split('/').slice(0, -1);
  return normalise([...folder, ...parts].join('/'));
}
