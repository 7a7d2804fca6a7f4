// A series' middle slice (or a given instance and frame), rendered off-screen by
// Cornerstone into a small canvas; `children` draw over it (e.g. boxes).
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { imageLoader, utilities } from '@cornerstonejs/core';
import type { InstanceSummary, SeriesSummary } from '../../shared/api/contract';
import { imageIdsForInstance } from '../cornerstone/imageIds';
import { initCornerstone } from '../cornerstone/init';
import { queueThumbnail } from './thumbnailQueue';

export function SeriesThumbnail({
  series,
  instance,
  frame,
  children,
}: {
  series: SeriesSummary;
  instance?: InstanceSummary;
  frame?: number;
  children?: ReactNode;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'none'>('loading');

  useEffect(() => {
    let live = true;
    const viewable = series.instances.filter((instance) => instance.hasPixels);
    const middle = instance ?? viewable[Math.floor(viewable.length / 2)];
    if (!middle) {
      setState('none');
      return;
    }
    queueThumbnail(async () => {
      if (!live || !canvas.current) return;
      const target = canvas.current;
      await initCornerstone();
      const ids = await imageIdsForInstance(middle);
      const imageId = ids[frame ?? Math.floor(ids.length / 2)] ?? ids[0];
      const image = await imageLoader.loadAndCacheImage(imageId);
      // A constant image (e.g. all-zero pixels) has no window to speak of: show it black, not white.
      if (image.minPixelValue === image.maxPixelValue && !image.color) {
        paintBlack(target);
        return;
      }
      await utilities.loadImageToCanvas({ canvas: target, imageId, thumbnail: true });
    }).then(
      () => live && setState('ready'),
      () => live && setState('none'),
    );
    return () => {
      live = false;
    };
  }, [series, instance, frame]);

  return (
    <div className="thumbnail" data-state={state}>
      <canvas ref={canvas} width={256} height={256} aria-hidden="true" />
      {state === 'none' && <span className="thumbnail-none">no image</span>}
      {state === 'ready' && children}
    </div>
  );
}

function paintBlack(canvas: HTMLCanvasElement | null): void {
  const context = canvas?.getContext('2d');
  if (!canvas || !context) return;
  context.fillStyle = '#000';
  context.fillRect(0, 0, canvas.width, canvas.height);
}
