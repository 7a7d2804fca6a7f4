// The face region on one MPR view: the polygon where the view's slice plane
// cuts the region box, drawn in SVG over the viewport through its own
// worldToCanvas (it follows zoom, pan, slices and rotated crosshairs). Nothing
// is drawn on slices outside the box.
import { useEffect, useState } from 'react';
import { Enums, type Types } from '@cornerstonejs/core';
import type { FaceRegion, Vec3 } from './faceMarks';
import { regionBox } from './faceFrame3d';
import { planeBoxSection } from './regionGeometry';
import './face.css';

interface Props {
  viewport: Types.IVolumeViewport;
  region: FaceRegion;
  /** Names the view for screen readers ("Axial"). */
  label: string;
  testId: string;
}

/** The section's outline in canvas pixels, or null when the slice misses the region. */
function sectionOnCanvas(viewport: Types.IVolumeViewport, region: FaceRegion): Types.Point2[] | null {
  const { focalPoint, viewPlaneNormal } = viewport.getCamera();
  if (!focalPoint || !viewPlaneNormal) return null;
  const section = planeBoxSection(regionBox(region), focalPoint as Vec3, viewPlaneNormal as Vec3);
  if (section.length < 3) return null;
  return section.map((point) => viewport.worldToCanvas(point as Types.Point3));
}

export function FaceRegionOverlay({ viewport, region, label, testId }: Props) {
  const [outline, setOutline] = useState<Types.Point2[] | null>(() => sectionOnCanvas(viewport, region));

  // Recomputed whenever the view renders or its camera moves (slice, zoom, pan, rotation).
  useEffect(() => {
    const element = viewport.element;
    const update = () => setOutline(sectionOnCanvas(viewport, region));
    update();
    element.addEventListener(Enums.Events.CAMERA_MODIFIED, update);
    element.addEventListener(Enums.Events.IMAGE_RENDERED, update);
    return () => {
      element.removeEventListener(Enums.Events.CAMERA_MODIFIED, update);
      element.removeEventListener(Enums.Events.IMAGE_RENDERED, update);
    };
  }, [viewport, region]);

  const inside = outline !== null;
  return (
    <svg
      className="face-region-overlay"
      data-testid={testId}
      data-inside={inside}
      role="img"
      aria-label={inside ? `${label} view: this slice crosses the face region` : `${label} view: this slice is outside the face region`}
    >
      {outline && (
        <polygon
          className="face-region-outline"
          data-testid={`${testId}-outline`}
          points={outline.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}
        />
      )}
    </svg>
  );
}
