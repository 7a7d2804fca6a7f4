// One streaming volume per series, shared by the MPR and 3D views: switching
// between them reuses the cached voxels instead of decoding the series again.
import { cache, eventTarget, Enums, metaData, volumeLoader, type Types } from '@cornerstonejs/core';
import type { SeriesSummary } from '../../../shared/api/contract';
import { imageIdsForSeries } from '../../cornerstone/imageIds';
import { initCornerstone } from '../../cornerstone/init';
import { sliceStackEligibility, type Refusal, type SliceGeometry, type VolumeEligibility } from './volumeEligibility';
import { releaseVolumeTexture } from './volumeEngine';

export interface VolumeLoadProgress {
  loaded: number;
  total: number;
}

/**
 * Cache id of a series' volume. No ':' in it: Cornerstone reads text before a
 * colon as a loader scheme; without one it falls back to the streaming loader.
 */
const volumeIdPrefix = 'veil-volume-';

export function volumeIdForSeries(series: SeriesSummary): string {
  return `${volumeIdPrefix}${series.seriesInstanceUID.replace(/[^0-9A-Za-z.-]/g, '_')}`;
}

/**
 * Keeps one series volume in memory: the views show one series at a time, and
 * a head CT is tens of megabytes (more once several series have been looked at).
 */
function evictOtherSeriesVolumes(keep: string): void {
  for (const volume of cache.getVolumes()) {
    if (!volume.volumeId.startsWith(volumeIdPrefix) || volume.volumeId === keep) continue;
    releaseVolumeTexture(volume);
    cache.removeVolumeLoadObject(volume.volumeId);
  }
}

/** The frames of a multi-frame object turned out not to form a volume. */
export class VolumeRefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
    this.name = 'VolumeRefusedError';
  }
}

/** Per-frame geometry as parsed by Cornerstone's metadata providers. */
function frameGeometry(imageId: string): SliceGeometry {
  const plane = metaData.get('imagePlaneModule', imageId) as
    | { rows?: number; columns?: number; imagePositionPatient?: number[]; imageOrientationPatient?: number[] }
    | undefined;
  return {
    rows: plane?.rows,
    columns: plane?.columns,
    imagePositionPatient: plane?.imagePositionPatient,
    imageOrientationPatient: plane?.imageOrientationPatient,
  };
}

/**
 * Image ids of the eligible slices in order along the normal. For one
 * multi-frame object the frames' own positions decide; a refusal throws
 * `VolumeRefusedError`.
 */
async function orderedImageIds(series: SeriesSummary, eligible: Extract<VolumeEligibility, { eligible: true }>): Promise<string[]> {
  const imageIds = await imageIdsForSeries({ ...series, instances: eligible.instances });
  if (!eligible.perFrame) return imageIds;
  const stack = sliceStackEligibility(imageIds.map(frameGeometry), 'frames');
  if (!stack.eligible) throw new VolumeRefusedError(stack);
  return stack.sliceOrder.map((i) => imageIds[i]);
}

/**
 * Creates (or finds in the cache) the series' volume from its geometry; pixels
 * stream in afterwards (see `streamVolume`). The slices are handed over in
 * order along the normal.
 */
export async function createSeriesVolume(
  series: SeriesSummary,
  eligible: Extract<VolumeEligibility, { eligible: true }>,
): Promise<{ volumeId: string; volume: Types.IImageVolume }> {
  await initCornerstone();
  const volumeId = volumeIdForSeries(series);
  evictOtherSeriesVolumes(volumeId);
  const cached = cache.getVolume(volumeId);
  if (cached) return { volumeId, volume: cached };
  const imageIds = await orderedImageIds(series, eligible);
  const volume = await volumeLoader.createAndCacheVolume(volumeId, { imageIds });
  return { volumeId, volume };
}

interface StreamingStatus {
  loadStatus?: { loaded?: boolean; loading?: boolean };
  load?: (callback?: () => void) => void;
}

function framesOf(volume: Types.IImageVolume): number {
  return volume.imageIds?.length ?? volume.dimensions[2];
}

/**
 * Starts (or joins) loading the volume's pixels and resolves when every slice
 * has arrived (or failed). Progress comes from volume events because
 * `load(callback)` ignores callbacks passed while a load is already running
 * (the other view, or React StrictMode's second effect, may have started it).
 */
export function streamVolume(
  volume: Types.IImageVolume,
  onProgress: (progress: VolumeLoadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const streaming = volume as unknown as StreamingStatus;
  const total = framesOf(volume);
  if (streaming.loadStatus?.loaded || !streaming.load) {
    onProgress({ loaded: total, total });
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    let loaded = 0;
    const finish = () => {
      eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
      eventTarget.removeEventListener(Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, onCompleted);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const onModified = (event: Event) => {
      const detail = (event as CustomEvent<{ volumeId: string; framesProcessed: number; numberOfFrames: number }>).detail;
      if (detail.volumeId !== volume.volumeId) return;
      loaded = Math.max(loaded, detail.framesProcessed);
      onProgress({ loaded, total });
    };
    const onCompleted = (event: Event) => {
      const detail = (event as CustomEvent<{ volumeId: string }>).detail;
      if (detail.volumeId !== volume.volumeId) return;
      onProgress({ loaded: total, total });
      finish();
    };
    eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_MODIFIED, onModified);
    eventTarget.addEventListener(Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, onCompleted);
    signal?.addEventListener('abort', finish);
    onProgress({ loaded, total });
    streaming.load!();
    // The load may have finished synchronously (every slice already cached).
    if (streaming.loadStatus?.loaded) {
      onProgress({ loaded: total, total });
      finish();
    }
  });
}
