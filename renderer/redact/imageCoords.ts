// Image pixels ↔ the viewport's canvas (CSS pixels), through the viewport's own
// geometry, so boxes follow zoom, pan and flips. Image coordinates here are
// pixel edges: (0, 0) is the top-left corner of the first pixel, whose centre
// is index (0, 0) in Cornerstone's image data.
import type { Types } from '@cornerstonejs/core';

export type ImagePoint = [number, number];

export function imageToCanvas(viewport: Types.IStackViewport, point: ImagePoint): Types.Point2 | null {
  const data = viewport.getImageData();
  const world = data?.imageData?.indexToWorld?.([point[0] - 0.5, point[1] - 0.5, 0]);
  return world ? viewport.worldToCanvas(world as Types.Point3) : null;
}

export function canvasToImage(viewport: Types.IStackViewport, point: Types.Point2): ImagePoint | null {
  const data = viewport.getImageData();
  const worldToIndex = data?.imageData?.worldToIndex?.bind(data.imageData);
  if (!worldToIndex) return null;
  const index = worldToIndex(viewport.canvasToWorld(point));
  return [index[0] + 0.5, index[1] + 0.5];
}

/** The canvas rectangle covering an image rectangle (axis-aligned: the stack view is never rotated by a fraction of a turn). */
export function canvasRectOf(
  viewport: Types.IStackViewport,
  rect: { x: number; y: number; width: number; height: number },
): { left: number; top: number; width: number; height: number } | null {
  const corners = [
    imageToCanvas(viewport, [rect.x, rect.y]),
    imageToCanvas(viewport, [rect.x + rect.width, rect.y + rect.height]),
  ];
  if (corners.some((c) => !c)) return null;
  const [a, b] = corners as Types.Point2[];
  return { left: Math.min(a[0], b[0]), top: Math.min(a[1], b[1]), width: Math.abs(a[0] - b[0]), height: Math.abs(a[1] - b[1]) };
}
