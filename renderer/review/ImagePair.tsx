// One frame of an instance side by side: as it is (with the plan's boxes
// outlined when overlays are on) and as the export will write it (boxes to
// redact filled black, kept boxes left as they are). The picture is rendered
// once by Cornerstone off-screen, like the study browser's thumbnails.
import { useEffect, useRef, useState } from 'react';
import { utilities } from '@cornerstonejs/core';
import type { InstanceSummary } from '../../shared/api/contract';
import { queueThumbnail } from '../browser/thumbnailQueue';
import { imageIdsForInstance } from '../cornerstone/imageIds';
import { initCornerstone } from '../cornerstone/init';
import { boxClass } from '../redact/labels';
import type { EffectiveBox } from '../redact/planState';
import { usePrivacyMode } from './PrivacyMode';

interface Props {
  instance: InstanceSummary;
  /** Boxes on the frame shown (frame 0, the pixel data). */
  boxes: EffectiveBox[];
  overlays: boolean;
}

export function ImagePair({ instance, boxes, overlays }: Props) {
  const before = useRef<HTMLCanvasElement>(null);
  const after = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'none'>('loading');
  const privacy = usePrivacyMode();
  const columns = instance.columns ?? 256;
  const rows = instance.rows ?? 256;

  useEffect(() => {
    let live = true;
    setState('loading');
    if (!instance.hasPixels) {
      setState('none');
      return;
    }
    queueThumbnail(async () => {
      if (!live || !before.current) return;
      await initCornerstone();
      const [imageId] = await imageIdsForInstance(instance);
      // Full resolution (the canvas is columns × rows), so the text and the boxes line up.
      await utilities.loadImageToCanvas({ canvas: before.current, imageId });
    }).then(
      () => live && setState('ready'),
      () => live && setState('none'),
    );
    return () => {
      live = false;
    };
  }, [instance]);

  // The "after" picture: the same pixels with every box to redact filled, as the export does.
  useEffect(() => {
    const source = before.current;
    const target = after.current?.getContext('2d');
    if (state !== 'ready' || !source || !target) return;
    target.drawImage(source, 0, 0, columns, rows);
    target.fillStyle = '#000';
    for (const { box } of boxes) if (box.redact) target.fillRect(box.x, box.y, box.width, box.height);
  }, [state, boxes, columns, rows]);

  const filled = boxes.filter((b) => b.box.redact).length;
  return (
    <div className="review-pair" data-testid="image-pair" data-state={state} data-overlays={overlays ? 'on' : 'off'} data-filled={filled}>
      <figure>
        <figcaption>Now</figcaption>
        <div className="review-stage">
          <canvas ref={before} width={columns} height={rows} data-testid="image-before" aria-label="The image as it is" role="img" />
          {privacy.hidden && <PrivacyCover boxes={boxes} columns={columns} rows={rows} />}
          {overlays && <BoxOutlines boxes={boxes} columns={columns} rows={rows} side="before" />}
        </div>
      </figure>
      <figure>
        <figcaption>In the export</figcaption>
        <div className="review-stage">
          <canvas ref={after} width={columns} height={rows} data-testid="image-after" aria-label="The image as the export writes it" role="img" />
          {overlays && <BoxOutlines boxes={boxes.filter((b) => !b.box.redact)} columns={columns} rows={rows} side="after" />}
        </div>
      </figure>
      {state === 'none' && <p className="privacy-muted">No picture to show for this file.</p>}
    </div>
  );
}

/** Privacy mode: text that may identify is covered on the "now" picture too (screenshots). */
function PrivacyCover({ boxes, columns, rows }: { boxes: EffectiveBox[]; columns: number; rows: number }) {
  return (
    <svg className="review-overlay" data-testid="privacy-cover" viewBox={`0 0 ${columns} ${rows}`} preserveAspectRatio="none" aria-hidden="true">
      {boxes
        .filter(({ box }) => box.textClass !== 'technical')
        .map(({ box }, index) => (
          <rect key={index} x={box.x} y={box.y} width={box.width} height={box.height} fill="#000" />
        ))}
    </svg>
  );
}

function BoxOutlines({ boxes, columns, rows, side }: { boxes: EffectiveBox[]; columns: number; rows: number; side: 'before' | 'after' }) {
  return (
    <svg className="review-overlay" data-testid={`overlay-${side}`} viewBox={`0 0 ${columns} ${rows}`} preserveAspectRatio="none" aria-hidden="true">
      {boxes.map(({ box }, index) => (
        <rect
          key={index}
          className={`review-box review-box-${boxClass(box)}`}
          data-redact={box.redact}
          x={box.x}
          y={box.y}
          width={box.width}
          height={box.height}
          strokeDasharray={box.redact ? undefined : '6 4'}
        />
      ))}
    </svg>
  );
}
