// Synthetic skin markers in a real scan: no public scan has tattoos, so known
// shapes (dots, rings, short lines) are placed in the real Cranium CT's skin
// and just outside it, at seeded random surface points, with partial volume:
// each voxel takes the fraction of its box (slice thickness included) that the
// shape covers, so a 1 mm dot in 1.5 mm slices is smeared as a scanner would.
import { inBody, patientToVoxel, voxelToPatient, type SkinMask, type Vec3, type Volume } from '../../../../shared/detect/face';
import { seededRandom } from '../../../../shared/deface';

export type ShapeKind = 'dot' | 'ring' | 'line';

export interface PlacedMarker {
  shape: ShapeKind;
  /** Centre (LPS mm). */
  centre: Vec3;
  /** Dot diameter, ring wire or line thickness (mm): what a scanner must resolve. */
  thicknessMm: number;
  /** Largest extent (mm). */
  extentMm: number;
  hu: number;
  /** In the skin (centre below the surface) or on it from outside. */
  place: 'skin' | 'outside';
  /** Voxel indices the insertion changed (by more than 1 HU). */
  changed: number[];
}

/** A small seeded generator. */
export const random = seededRandom;

const add = (a: Vec3, b: Vec3, s = 1): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
const dotp = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const crossp = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(...a) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};

export interface SurfacePoint {
  /** Surface voxel's centre (LPS mm). */
  at: Vec3;
  /** Outward unit normal (LPS). */
  normal: Vec3;
}

/**
 * Surface voxels of the body (above the skin threshold, in the mask, next to
 * outside air), away from the volume's faces, with an outward normal from
 * the body's mass around them.
 */
export function surfacePoints(volume: Volume, skin: SkinMask, edgeMm = 8): SurfacePoint[] {
  const [nx, ny, nz] = volume.dims;
  const { data, spacing } = volume;
  const thr = skin.threshold;
  const body = (i: number, j: number, k: number) => data[(k * ny + j) * nx + i]! > thr && inBody(skin, i, j, k);
  const air = (i: number, j: number, k: number) => data[(k * ny + j) * nx + i]! <= thr && !inBody(skin, i, j, k);
  const e = spacing.map((s) => Math.ceil(edgeMm / s));
  const points: SurfacePoint[] = [];
  // Thick slices (MR at 7 mm): the normal from the slice itself, or the far neighbours' slices would dominate.
  const r = [3, 3, spacing[2] > 2.5 ? 0 : 2];
  for (let k = e[2]!; k < nz - e[2]!; k++)
    for (let j = e[1]!; j < ny - e[1]!; j++)
      for (let i = e[0]!; i < nx - e[0]!; i++) {
        if (!body(i, j, k)) continue;
        if (!(air(i - 1, j, k) || air(i + 1, j, k) || air(i, j - 1, k) || air(i, j + 1, k) || air(i, j, k - 1) || air(i, j, k + 1))) continue;
        let g: Vec3 = [0, 0, 0];
        for (let dz = -r[2]!; dz <= r[2]!; dz++)
          for (let dy = -r[1]!; dy <= r[1]!; dy++)
            for (let dx = -r[0]!; dx <= r[0]!; dx++)
              if (body(i + dx, j + dy, k + dz)) g = add(g, [dx * spacing[0], dy * spacing[1], dz * spacing[2]], -1);
        const local = unit(g);
        if (Math.hypot(...g) === 0) continue;
        // Voxel axes → LPS.
        const normal = unit([0, 1, 2].map((a) => volume.axes[0][a]! * local[0] + volume.axes[1][a]! * local[1] + volume.axes[2][a]! * local[2]) as Vec3);
        points.push({ at: voxelToPatient(volume, i, j, k), normal });
      }
  return points;
}

/** A shape as "is this LPS point inside", with a bounding radius (mm) around its centre. */
interface Shape {
  centre: Vec3;
  radius: number;
  inside(p: Vec3): boolean;
}

function dotShape(centre: Vec3, diameter: number): Shape {
  const r2 = (diameter / 2) ** 2;
  return { centre, radius: diameter / 2, inside: (p) => (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2 + (p[2] - centre[2]) ** 2 <= r2 };
}

/** A torus: ring radius `major` in the plane normal to `axis`, wire radius `minor`. */
function ringShape(centre: Vec3, axis: Vec3, major: number, minor: number): Shape {
  return {
    centre,
    radius: major + minor,
    inside: (p) => {
      const d: Vec3 = [p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]];
      const h = dotp(d, axis);
      const q = Math.sqrt(Math.max(0, dotp(d, d) - h * h)) - major;
      return q * q + h * h <= minor * minor;
    },
  };
}

function lineShape(centre: Vec3, direction: Vec3, length: number, thickness: number): Shape {
  const r2 = (thickness / 2) ** 2;
  return {
    centre,
    radius: length / 2 + thickness / 2,
    inside: (p) => {
      const d: Vec3 = [p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]];
      const t = Math.max(-length / 2, Math.min(length / 2, dotp(d, direction)));
      const c = add(centre, direction, t);
      return (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2 <= r2;
    },
  };
}

/** Blends a shape into the volume with partial volume (sub-samples over each voxel's box); returns changed voxels. */
function paint(volume: Volume, shape: Shape, hu: number): number[] {
  const [nx, ny, nz] = volume.dims;
  const c = patientToVoxel(volume, shape.centre);
  const reach = volume.spacing.map((s) => Math.ceil(shape.radius / s) + 1);
  const sub = [4, 4, 6];
  const changed: number[] = [];
  for (let k = Math.max(0, Math.floor(c[2]) - reach[2]!); k <= Math.min(nz - 1, Math.ceil(c[2]) + reach[2]!); k++)
    for (let j = Math.max(0, Math.floor(c[1]) - reach[1]!); j <= Math.min(ny - 1, Math.ceil(c[1]) + reach[1]!); j++)
      for (let i = Math.max(0, Math.floor(c[0]) - reach[0]!); i <= Math.min(nx - 1, Math.ceil(c[0]) + reach[0]!); i++) {
        let hits = 0;
        for (let a = 0; a < sub[0]!; a++)
          for (let b = 0; b < sub[1]!; b++)
            for (let d = 0; d < sub[2]!; d++)
              if (shape.inside(voxelToPatient(volume, i - 0.5 + (a + 0.5) / sub[0]!, j - 0.5 + (b + 0.5) / sub[1]!, k - 0.5 + (d + 0.5) / sub[2]!))) hits++;
        if (!hits) continue;
        const f = hits / (sub[0]! * sub[1]! * sub[2]!);
        const p = (k * ny + j) * nx + i;
        const old = volume.data[p]!;
        const value = Math.round(old + f * (hu - old));
        if (Math.abs(value - old) > 1) changed.push(p);
        volume.data[p] = value;
      }
  return changed;
}

export interface PlacementOptions {
  count: number;
  seed: number;
  /** Shapes to draw from (equal odds). */
  shapes: ShapeKind[];
  /** Minimum distance between marker centres (mm). */
  spacingMm: number;
}

/**
 * Places `count` markers into a copy of `volume`: dots 1–6 mm of 300–3000 HU
 * (outside the skin, metal: ≥ 1000 HU), rings (piercings: 1–1.5 mm wire, 3–5 mm
 * radius, through the skin surface), short lines (4–10 mm, 1–2.5 mm thick, in
 * the skin).
 */
export function placeMarkers(volume: Volume, skin: SkinMask, surface: readonly SurfacePoint[], options: PlacementOptions): { volume: Volume; markers: PlacedMarker[] } {
  const rnd = random(options.seed);
  const copy: Volume = { ...volume, data: volume.data.slice() };
  const markers: PlacedMarker[] = [];
  const uniform = (a: number, b: number) => a + (b - a) * rnd();
  let tries = 0;
  while (markers.length < options.count && tries++ < options.count * 50) {
    const s = surface[Math.floor(rnd() * surface.length)]!;
    if (markers.some((m) => Math.hypot(m.centre[0] - s.at[0], m.centre[1] - s.at[1], m.centre[2] - s.at[2]) < options.spacingMm)) continue;
    const shape = options.shapes[Math.floor(rnd() * options.shapes.length)]!;
    // A tangent direction: any unit vector perpendicular to the normal.
    const helper: Vec3 = Math.abs(s.normal[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
    const t1 = unit(crossp(s.normal, helper));
    const t2 = crossp(s.normal, t1);
    const angle = uniform(0, Math.PI);
    const tangent = unit(add([t1[0] * Math.cos(angle), t1[1] * Math.cos(angle), t1[2] * Math.cos(angle)], t2, Math.sin(angle)));
    let placed: { shape: Shape; thickness: number; extent: number; hu: number; place: PlacedMarker['place'] };
    if (shape === 'dot') {
      const diameter = uniform(1, 6);
      const outside = rnd() < 0.3;
      const hu = outside ? uniform(1000, 3000) : uniform(300, 3000);
      // In the skin: centre 0.5–2 mm deep (a wide dot bulges out, as a pressed BB); outside: resting on the skin.
      const depth = outside ? -(diameter / 2 + uniform(0, 0.3)) : uniform(0.5, 2);
      placed = { shape: dotShape(add(s.at, s.normal, -depth), diameter), thickness: diameter, extent: diameter, hu, place: outside ? 'outside' : 'skin' };
    } else if (shape === 'ring') {
      const major = uniform(3, 5);
      const minor = uniform(0.5, 0.75);
      // Through the skin: the ring's plane holds the normal, its centre on the surface.
      placed = { shape: ringShape(s.at, tangent, major, minor), thickness: 2 * minor, extent: 2 * (major + minor), hu: uniform(1000, 3000), place: 'outside' };
    } else {
      const length = uniform(4, 10);
      const thickness = uniform(1, 2.5);
      placed = { shape: lineShape(add(s.at, s.normal, -uniform(0.5, 1.5)), tangent, length, thickness), thickness, extent: length + thickness, hu: uniform(300, 3000), place: 'skin' };
    }
    const changed = paint(copy, placed.shape, placed.hu);
    markers.push({ shape, centre: placed.shape.centre, thicknessMm: placed.thickness, extentMm: placed.extent, hu: placed.hu, place: placed.place, changed });
  }
  return { volume: copy, markers };
}
