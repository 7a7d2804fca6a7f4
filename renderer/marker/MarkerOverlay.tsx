// Skin marks on one 2D view (an MPR plane or the stack's slice): a ring around
// each mark whose centre lies within its own half-size (and half a millimetre)
// of the view's plane, placed through the viewport's worldToCanvas so it
// follows zoom, pan and slices. Marks the user kept (rejected for removal) are dashed.
import { useEffect, useState } from 'react';
import { Enums, type Types } from '@cornerstonejs/core';
import { planeDistance, type MarkerMark } from './markerMarks';
import './marker.css';

/** What the overlay uses of a viewport (stack and volume viewports both have it). */
type PlaneView = Pick<Types.IViewport, 'getCamera' | 'worldToCanvas' | 'element'>;

interface Props {
  viewport: PlaneView;
  marks: readonly MarkerMark[];
  rejected: ReadonlySet<string>;
  label: string;
  testId: string;
}

interface Ring {
  id: string;
  x: number;
  y: number;
  r: number;
  kept: boolean;
  painted: boolean;
  detail: string;
}

function ringsOnCanvas(viewport: PlaneView, marks: readonly MarkerMark[], rejected: ReadonlySet<string>): Ring[] {
  const { focalPoint, viewPlaneNormal } = viewport.getCamera();
  if (!focalPoint || !viewPlaneNormal) return [];
  const rings: Ring[] = [];
  for (const m of marks) {
    const half = Math.max(...m.sizeMm) / 2;
    const d = planeDistance(m.position, focalPoint, viewPlaneNormal);
    const painted = m.markerKind === 'painted';
    if (d > half + (painted ? 0 : 0.5)) continue;
    // A painted ball is cut by the plane: its ring is the section, exactly.
    const ringMm = painted ? Math.max(0.5, Math.sqrt(half * half - d * d)) : half + 3;
    // The mark projected onto the plane; its ring at least 6 px and a few mm wider than the mark.
    const s = (m.position[0] - focalPoint[0]) * viewPlaneNormal[0] + (m.position[1] - focalPoint[1]) * viewPlaneNormal[1] + (m.position[2] - focalPoint[2]) * viewPlaneNormal[2];
    const onPlane = m.position.map((v, a) => v - s * viewPlaneNormal[a]!) as Types.Point3;
    const [x, y] = viewport.worldToCanvas(onPlane);
    const { viewUp } = viewport.getCamera();
    const up = viewUp ?? [0, 1, 0];
    const edge = onPlane.map((v, a) => v + ringMm * up[a]!) as Types.Point3;
    const [ex, ey] = viewport.worldToCanvas(edge);
    rings.push({ id: m.id, x, y, r: Math.max(painted ? 3 : 6, Math.hypot(ex - x, ey - y)), kept: rejected.has(m.id), painted, detail: m.detail });
  }
  return rings;
}

export function MarkerOverlay({ viewport, marks, rejected, label, testId }: Props) {
  const [rings, setRings] = useState<Ring[]>(() => ringsOnCanvas(viewport, marks, rejected));
  useEffect(() => {
    const element = viewport.element;
    const update = () => setRings(ringsOnCanvas(viewport, marks, rejected));
    update();
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, update);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, update);
    element.addEventListener(Enums.Events.STACK_NEW_IMAGE, update);
    return () => {
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, update);
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, update);
      element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, update);
    };
  }, [viewport, marks, rejected]);
  return (
    <svg className="marker-overlay" data-testid={testId} data-count={rings.length} role="img" aria-label={`${label}: ${rings.length} mark${rings.length === 1 ? '' : 's'} on the skin in this slice`}>
      {rings.map((ring) => (
        <circle
          key={ring.id}
          className={ring.painted ? 'marker-ring marker-painted' : ring.kept ? 'marker-ring marker-kept' : 'marker-ring'}
          data-testid="marker-ring"
          data-marker={ring.id}
          cx={ring.x.toFixed(1)}
          cy={ring.y.toFixed(1)}
          r={ring.r.toFixed(1)}
        >
          <title>{ring.detail}</title>
        </circle>
      ))}
    </svg>
  );
}
