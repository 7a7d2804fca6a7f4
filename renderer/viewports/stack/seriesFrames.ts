// A series as the stack viewport sees it: one entry per displayable frame.
import { useEffect, useState } from 'react';
import type { InstanceSummary, SeriesSummary } from '../../../shared/api/contract';
import { imageIdsForInstance } from '../../cornerstone/imageIds';

export interface SeriesFrames {
  imageIds: string[];
  /** The instance each image id belongs to (same order as imageIds). */
  instances: InstanceSummary[];
}

export function useSeriesFrames(series: SeriesSummary): { frames: SeriesFrames | null; error: string | null } {
  const [frames, setFrames] = useState<SeriesFrames | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setFrames(null);
    setError(null);
    const viewable = series.instances.filter((instance) => instance.hasPixels);
    Promise.all(viewable.map((instance) => imageIdsForInstance(instance))).then(
      (perInstance) => {
        if (!live) return;
        setFrames({
          imageIds: perInstance.flat(),
          instances: perInstance.flatMap((ids, i) => ids.map(() => viewable[i])),
        });
      },
      (cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)),
    );
    return () => {
      live = false;
    };
  }, [series]);
  return { frames, error };
}
