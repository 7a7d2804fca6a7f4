// The paint tool over a view: while "Paint a mark" is on, a click (or a
// drag: a region every radius along the stroke) adds a painted region where
// `pick` says — the plane under the cursor on a 2D view, the skin under it in
// 3D. The layer sits over the canvas and takes the pointer, so the view's
// own tools (rotate, page) rest while painting.
import { useRef, type PointerEvent } from 'react';
import type { Types } from '@cornerstonejs/core';
import { useMarkerFindings } from './MarkerFindingsContext';
import type { Vec3 } from './markerMarks';
import './marker.css';

/** What the layer uses of a view (stack, MPR plane or 3D viewport). */
export type PaintView = Pick<Types.IViewport, 'element' | 'canvasToWorld'>;

interface Props<V extends PaintView> {
  seriesInstanceUID: string;
  viewport: () => V | undefined;
  pick: (viewport: V, canvas: [number, number]) => Vec3 | null;
  from: '3d' | 'slice';
  testId: string;
}

export function PaintLayer<V extends PaintView>({ seriesInstanceUID, viewport, pick, from, testId }: Props<V>) {
  const findings = useMarkerFindings();
  const stroke = useRef<{ last: Vec3 | null } | null>(null);
  if (!findings?.painting) return null;
  const { addPainted, paintRadiusMm, painted } = findings;
  const count = painted.filter((r) => r.seriesInstanceUID === seriesInstanceUID).length;

  const paintAt = (event: PointerEvent<HTMLDivElement>) => {
    const view = viewport();
    if (!view || !stroke.current) return;
    const rect = view.element.getBoundingClientRect();
    const at = pick(view, [event.clientX - rect.left, event.clientY - rect.top]);
    if (!at) return;
    const last = stroke.current.last;
    // Along a stroke, regions a radius apart overlap into one band.
    if (last && Math.hypot(at[0] - last[0], at[1] - last[1], at[2] - last[2]) < paintRadiusMm) return;
    stroke.current.last = at;
    addPainted(seriesInstanceUID, at, from);
  };

  return (
    <div
      className="paint-layer"
      data-testid={testId}
      data-painted={count}
      title={`Paint a mark: click or drag on the ${from === '3d' ? 'skin' : 'image'} (radius ${paintRadiusMm} mm)`}
      onPointerDown={(event) => {
        if (event.button !== 0) return;
        event.currentTarget.setPointerCapture(event.pointerId);
        stroke.current = { last: null };
        paintAt(event);
      }}
      onPointerMove={(event) => {
        if (stroke.current) paintAt(event);
      }}
      onPointerUp={() => (stroke.current = null)}
      onPointerCancel={() => (stroke.current = null)}
    />
  );
}
