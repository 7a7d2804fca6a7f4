// Pure geometry of the face region box (patient mm = world): where a slice
// plane cuts it (the MPR outline), the bars of its 3D frame, and a camera that
// looks at it from the front.
import type { Vec3 } from './faceMarks';

export interface Box3 {
  min: Vec3;
  max: Vec3;
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

export function boxCorners({ min, max }: Box3): Vec3[] {
  const corners: Vec3[] = [];
  for (let i = 0; i < 8; i++) corners.push([i & 1 ? max[0] : min[0], i & 2 ? max[1] : min[1], i & 4 ? max[2] : min[2]]);
  return corners;
}

/** The 12 edges as pairs of corner indices (corners differ in one bit). */
const edges: [number, number][] = [];
for (let a = 0; a < 8; a++) for (const bit of [1, 2, 4]) if (!(a & bit)) edges.push([a, a | bit]);

export function boxCentre({ min, max }: Box3): Vec3 {
  return [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
}

/**
 * The polygon where the plane through `point` with normal `normal` cuts the box, its
 * vertices in order around it; empty when the plane misses the box. Works for
 * oblique planes too (crosshairs can rotate the MPR planes).
 */
export function planeBoxSection(box: Box3, point: Vec3, normal: Vec3, epsilon = 1e-6): Vec3[] {
  const length = Math.hypot(...normal);
  if (!(length > 0)) return [];
  const n: Vec3 = [normal[0] / length, normal[1] / length, normal[2] / length];
  const corners = boxCorners(box);
  const distances = corners.map((c) => {
    const d = dot(sub(c, point), n);
    return Math.abs(d) < epsilon ? 0 : d;
  });
  const hits: Vec3[] = [];
  const add = (p: Vec3) => {
    if (!hits.some((h) => Math.hypot(...sub(h, p)) < 1e-6)) hits.push(p);
  };
  corners.forEach((c, i) => distances[i] === 0 && add(c));
  for (const [a, b] of edges) {
    const da = distances[a]!;
    const db = distances[b]!;
    if (da === 0 || db === 0 || da > 0 === db > 0) continue;
    const t = da / (da - db);
    const [ca, cb] = [corners[a]!, corners[b]!];
    add([ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t]);
  }
  if (hits.length < 3) return [];
  // Order by angle around the centroid, in a basis of the plane.
  const centroid = hits.reduce<Vec3>((s, p) => [s[0] + p[0] / hits.length, s[1] + p[1] / hits.length, s[2] + p[2] / hits.length], [0, 0, 0]);
  const helper: Vec3 = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = cross(n, helper);
  const v = cross(n, u);
  return hits
    .map((p) => ({ p, angle: Math.atan2(dot(sub(p, centroid), v), dot(sub(p, centroid), u)) }))
    .sort((a, b) => a.angle - b.angle)
    .map(({ p }) => p);
}

/**
 * The box's 12 edges as square bars `thickness` mm thick, for a solid 3D frame
 * (WebGL draws lines one pixel wide whatever the line width asks). Each bar is 8
 * points and 6 quads; `polys` is in vtk's cell array layout (count, then indices).
 */
export function frameBars(box: Box3, thickness: number): { points: Float32Array; polys: Uint32Array } {
  const half = thickness / 2;
  const points = new Float32Array(12 * 8 * 3);
  const polys = new Uint32Array(12 * 6 * 5);
  const corners = boxCorners(box);
  // Quads of a cuboid whose corners are numbered like boxCorners (bit 0 = x, 1 = y, 2 = z).
  const faces = [
    [0, 2, 6, 4],
    [1, 5, 7, 3],
    [0, 4, 5, 1],
    [2, 3, 7, 6],
    [0, 1, 3, 2],
    [4, 6, 7, 5],
  ];
  edges.forEach(([a, b], bar) => {
    const [ca, cb] = [corners[a]!, corners[b]!];
    const low = ca.map((v, k) => Math.min(v, cb[k]!) - half);
    const high = ca.map((v, k) => Math.max(v, cb[k]!) + half);
    for (let i = 0; i < 8; i++) {
      const at = (bar * 8 + i) * 3;
      points[at] = i & 1 ? high[0]! : low[0]!;
      points[at + 1] = i & 2 ? high[1]! : low[1]!;
      points[at + 2] = i & 4 ? high[2]! : low[2]!;
    }
    faces.forEach((face, f) => {
      const at = (bar * 6 + f) * 5;
      polys[at] = 4;
      face.forEach((corner, k) => (polys[at + 1 + k] = bar * 8 + corner));
    });
  });
  return { points, polys };
}

export interface FaceCamera {
  focalPoint: Vec3;
  position: Vec3;
  viewPlaneNormal: Vec3;
  viewUp: Vec3;
  parallelScale: number;
}

/**
 * A camera in front of the patient (anterior, −Y in LPS), head up, centred on
 * the box and fitting it with a margin, at `distance` mm from the focal point.
 */
export function anteriorCamera(box: Box3, aspect: number, distance: number, margin = 1.3): FaceCamera {
  const focalPoint = boxCentre(box);
  const viewPlaneNormal: Vec3 = [0, -1, 0];
  const width = box.max[0] - box.min[0];
  const height = box.max[2] - box.min[2];
  // parallelScale is half the view's height in world units.
  const parallelScale = (Math.max(height, width / Math.max(aspect, 1e-3)) / 2) * margin;
  return {
    focalPoint,
    position: [focalPoint[0], focalPoint[1] - distance, focalPoint[2]],
    viewPlaneNormal,
    viewUp: [0, 0, 1],
    parallelScale,
  };
}
