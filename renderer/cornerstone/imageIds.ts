// Turns indexed files into Cornerstone image ids. Bytes come only through
// VeilApi.readFile; each file is registered once with the wadouri file manager
// (`dicomfile:N`). Metadata is parsed up front when asked (volume viewports
// need every slice's geometry before any pixels load, and the frames of a
// multi-frame file share one parse); otherwise the loader parses each file as
// its image is first shown, so a stack's first picture comes sooner.
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { utilities as metadataUtilities } from '@cornerstonejs/metadata';
import type { FileId, InstanceSummary, SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';

interface RegisteredFile {
  baseId: string;
  blob: Blob;
  /** Set once the file's metadata has been parsed into Cornerstone's store. */
  parsed?: Promise<void>;
}

const registered = new Map<FileId, Promise<RegisteredFile>>();

function registerFile(fileId: FileId): Promise<RegisteredFile> {
  let entry = registered.get(fileId);
  if (!entry) {
    entry = (async () => {
      const bytes = await getVeilApi().readFile(fileId);
      const blob = new Blob([bytes], { type: 'application/dicom' });
      return { baseId: wadouri.fileManager.add(blob), blob };
    })();
    registered.set(fileId, entry);
    // A failed read must not poison later attempts.
    entry.catch(() => registered.delete(fileId));
  }
  return entry;
}

async function parseMetadata(file: RegisteredFile): Promise<void> {
  file.parsed ??= (async () => {
    await metadataUtilities.addDicomPart10Instance(file.baseId, await file.blob.arrayBuffer());
  })();
  return file.parsed;
}

export interface ImageIdOptions {
  /** Parse metadata before returning (default: only for multi-frame files). */
  parseMetadata?: boolean;
}

/** Image ids of one instance: one per frame (`?frame=N`, 1-based) when multi-frame. */
export async function imageIdsForInstance(instance: InstanceSummary, options: ImageIdOptions = {}): Promise<string[]> {
  const file = await registerFile(instance.fileId);
  if (options.parseMetadata ?? instance.numberOfFrames > 1) await parseMetadata(file);
  const { baseId } = file;
  if (instance.numberOfFrames <= 1) return [baseId];
  return Array.from({ length: instance.numberOfFrames }, (_, i) => `${baseId}?frame=${i + 1}`);
}

/**
 * Image ids of a series in display order (instances as sorted by the index),
 * metadata parsed for every file unless `parseMetadata: false`.
 */
export async function imageIdsForSeries(series: SeriesSummary, options: ImageIdOptions = { parseMetadata: true }): Promise<string[]> {
  const viewable = series.instances.filter((instance) => instance.hasPixels);
  const perInstance = await Promise.all(viewable.map((instance) => imageIdsForInstance(instance, options)));
  return perInstance.flat();
}

/**
 * Drops the file manager's copies of every registered file (a new source was
 * opened). Indices are never reused, so stale cache entries cannot collide.
 */
export async function forgetRegisteredFiles(): Promise<void> {
  const files = await Promise.allSettled(registered.values());
  registered.clear();
  for (const file of files) {
    if (file.status === 'fulfilled') wadouri.fileManager.remove(Number(file.value.baseId.slice('dicomfile:'.length)));
  }
}
