// Turns indexed files into Cornerstone image ids. Bytes come only through
// VeilApi.readFile; each file is registered once with the wadouri file manager
// (`dicomfile:N`) and its metadata is parsed up front so volume viewports can
// read geometry before any pixels load.
import { wadouri } from '@cornerstonejs/dicom-image-loader';
import { utilities as metadataUtilities } from '@cornerstonejs/metadata';
import type { FileId, InstanceSummary, SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';

const baseIdByFile = new Map<FileId, Promise<string>>();

function registerFile(fileId: FileId): Promise<string> {
  let baseId = baseIdByFile.get(fileId);
  if (!baseId) {
    baseId = (async () => {
      const bytes = await getVeilApi().readFile(fileId);
      const id = wadouri.fileManager.add(new Blob([bytes], { type: 'application/dicom' }));
      await metadataUtilities.addDicomPart10Instance(id, bytes);
      return id;
    })();
    baseIdByFile.set(fileId, baseId);
    // A failed read must not poison later attempts.
    baseId.catch(() => baseIdByFile.delete(fileId));
  }
  return baseId;
}

/** Image ids of one instance: one per frame (`?frame=N`, 1-based) when multi-frame. */
export async function imageIdsForInstance(instance: InstanceSummary): Promise<string[]> {
  const baseId = await registerFile(instance.fileId);
  if (instance.numberOfFrames <= 1) return [baseId];
  return Array.from({ length: instance.numberOfFrames }, (_, i) => `${baseId}?frame=${i + 1}`);
}

/** Image ids of a series in display order (instances as sorted by the index). */
export async function imageIdsForSeries(series: SeriesSummary): Promise<string[]> {
  const viewable = series.instances.filter((instance) => instance.hasPixels);
  const perInstance = await Promise.all(viewable.map(imageIdsForInstance));
  return perInstance.flat();
}

/**
 * Drops the file manager's copies of every registered file (a new source was
 * opened). Indices are never reused, so stale cache entries cannot collide.
 */
export async function forgetRegisteredFiles(): Promise<void> {
  const ids = await Promise.allSettled(baseIdByFile.values());
  baseIdByFile.clear();
  for (const id of ids) {
    if (id.status === 'fulfilled') wadouri.fileManager.remove(Number(id.value.slice('dicomfile:'.length)));
  }
}
