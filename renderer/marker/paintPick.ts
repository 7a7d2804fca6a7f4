// Where a click paints: on a 2D view, the point under the cursor in the
// view's plane; in the 3D view, the first skin along the view ray through the
// cursor (`shared/detect/marker/surfacePick`), in the volume Cornerstone
// renders (its voxels as the engine's Volume, made once per volume).
import { cache, type Types } from '@cornerstonejs/core';
import { backgroundThreshold, ctSkinThreshold, type Volume } from '../../shared/detect/face';
import { pickSurface } from '../../shared/detect/marker/surfacePick';
import type { Vec3 } from './markerMarks';

type Point2 = [number, number];

/** The point under the cursor on a 2D view's plane (LPS mm). */
export function planePoint(viewport: Pick<Types.IViewport, 'canvasToWorld'>, canvas: Point2): Vec3 | null {
  const world = viewport.canvasToWorld(canvas);
  return world.every(Number.isFinite) ? [world[0], world[1], world[2]] : null;
}

const volumes = new WeakMap<Types.IImageVolume, { volume: Volume; threshold: number }>();

/** A Cornerstone volume as the engine's Volume (shared memory when the voxels are Int16 or Float32), and its skin threshold. */
export function engineVolume(image: Types.IImageVolume): { volume: Volume; threshold: number } | null {
  const known = volumes.get(image);
  if (known) return known;
  const scalars = image.voxelManager?.getCompleteScalarDataArray?.();
  if (!scalars || scalars.length === 0) return null;
  const data = scalars instanceof Int16Array || scalars instanceof Float32Array ? scalars : Float32Array.from(scalars as ArrayLike<number>);
  const d = image.direction;
  const modality = String((image.metadata as { Modality?: unknown }).Modality ?? '').toUpperCase();
  const volume: Volume = {
    data,
    dims: [image.dimensions[0], image.dimensions[1], image.dimensions[2]],
    spacing: [image.spacing[0], image.spacing[1], image.spacing[2]],
    origin: [image.origin[0], image.origin[1], image.origin[2]],
    axes: [
      [d[0], d[1], d[2]],
      [d[3], d[4], d[5]],
      [d[6], d[7], d[8]],
    ],
    modality,
  };
  const entry = { volume, threshold: modality === 'CT' ? ctSkinThreshold : backgroundThreshold(volume) };
  volumes.set(image, entry);
  return entry;
}

const unit = (v: Vec3): Vec3 => {
  const n = Math.hypot(...v) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
};

/** The first skin along the view ray through the cursor in a 3D view (LPS mm), or null where the ray meets no skin. */
export function surfacePoint(viewport: Types.IVolumeViewport, canvas: Point2): Vec3 | null {
  const volumeId = viewport.getVolumeId();
  const image = volumeId ? cache.getVolume(volumeId) : undefined;
  const engine = image ? engineVolume(image) : null;
  const { position, focalPoint, parallelProjection } = viewport.getCamera();
  if (!engine || !position || !focalPoint) return null;
  const world = viewport.canvasToWorld(canvas) as unknown as Vec3;
  const eye = position as unknown as Vec3;
  // Parallel projection: every ray is parallel to the camera's axis; perspective: from the eye through the point.
  const direction = parallelProjection ? unit([focalPoint[0] - eye[0], focalPoint[1] - eye[1], focalPoint[2] - eye[2]]) : unit([world[0] - eye[0], world[1] - eye[1], world[2] - eye[2]]);
  const origin: Vec3 = parallelProjection ? [world[0] - direction[0] * 5000, world[1] - direction[1] * 5000, world[2] - direction[2] * 5000] : eye;
  return pickSurface(engine.volume, origin, direction, { threshold: engine.threshold });
}
