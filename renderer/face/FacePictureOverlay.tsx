// Faces on the stack view's frame: boxes where a face was found in a picture (a
// photograph, a capture of a 3D render), and for a slice of a volume whose face
// can be rebuilt, the outline where the slice's plane cuts the face region.
// Drawn through the viewport's geometry like the redaction boxes, and never in
// the way of them (no pointer events).
import type { Types } from '@cornerstonejs/core';
import type { InstanceSummary } from '../../shared/api/contract';
import { canvasRectOf } from '../redact/imageCoords';
import { useSeriesFaces } from './FaceFindingsContext';
import type { FaceRegion, PictureFaceMark, Vec3 } from './faceMarks';
import { regionBox } from './faceFrame3d';
import { planeBoxSection } from './regionGeometry';
import './face.css';
import { useViewportRedraw } from '../viewports/useViewportRedraw';

interface Props {
  viewport: Types.IStackViewport;
  seriesInstanceUID: string;
  instance: InstanceSummary;
  /** 0-based frame of the instance on screen. */
  frame: number;
}

/** The marks drawn on this frame: faces in its pixels (an icon thumbnail is not on screen). */
export function picturesOnFrame(marks: readonly PictureFaceMark[], sopInstanceUID: string, frame: number): PictureFaceMark[] {
  return marks.filter((m) => m.image === 'pixels' && m.sopInstanceUID === sopInstanceUID && m.frame === frame);
}

/** Where the slice's own plane (its position and orientation) cuts the face region; empty when it misses it. */
export function sliceSection(instance: InstanceSummary, region: FaceRegion): Vec3[] {
  const position = instance.imagePositionPatient;
  const orientation = instance.imageOrientationPatient;
  if (!position || !orientation) return [];
  const [rx, ry, rz, cx, cy, cz] = orientation;
  const normal: Vec3 = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
  return planeBoxSection(regionBox(region), position, normal);
}

export function FacePictureOverlay({ viewport, seriesInstanceUID, instance, frame }: Props) {
  const { pictures, volume, regionShown } = useSeriesFaces(seriesInstanceUID);
  useViewportRedraw(viewport);

  const shown = picturesOnFrame(pictures, instance.sopInstanceUID, frame);
  // Multi-frame volumes have no per-frame position here: the MPR view outlines those.
  const section = volume?.region && regionShown && instance.numberOfFrames <= 1 ? sliceSection(instance, volume.region) : [];
  if (shown.length === 0 && section.length === 0) return null;
  return (
    <svg
      className="face-picture-overlay"
      data-testid="face-picture-overlay"
      data-count={shown.length}
      role="img"
      aria-label={
        shown.length > 0
          ? `${shown.length === 1 ? 'A face is' : `${shown.length} faces are`} visible in this picture, outlined in red`
          : 'This slice crosses the region of the face that can be rebuilt in 3D, outlined in red'
      }
    >
      {section.length > 0 && (
        <polygon
          className="face-region-outline"
          data-testid="stack-face-outline"
          points={section
            .map((point) => viewport.worldToCanvas(point as Types.Point3))
            .map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`)
            .join(' ')}
        />
      )}
      {shown.map((mark, index) => {
        const [x, y, width, height] = mark.box;
        const canvas = canvasRectOf(viewport, { x, y, width, height });
        if (!canvas) return null;
        return (
          <g key={index} className="face-picture-box" data-testid="face-picture-box" data-rect={mark.box.join(',')}>
            <rect className="face-region-outline" x={canvas.left} y={canvas.top} width={canvas.width} height={canvas.height} />
            <text className="face-region-label" x={canvas.left} y={canvas.top >= 14 ? canvas.top - 3 : canvas.top + canvas.height + 12}>
              Face
            </text>
          </g>
        );
      })}
    </svg>
  );
}
