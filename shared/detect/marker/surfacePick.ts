// Picking a point on the body's surface from a view ray (the 3D view's "Paint
// a mark"): the ray is marched through the volume and stops at the first
// place it enters values above the skin threshold for at least `minRunMm`
// (a lone noisy voxel or a thin sheet is not skin), refined to where the
// value crosses the threshold. Pure: the viewer passes its camera's ray in LPS.
import { patientToVoxel, type Vec3, type Volume } from '../face/volume';

export interface SurfacePickOptions {
  /** Modality units (CT: −300 HU, the skin mask's threshold). */
  threshold: number;
  /** The values must stay above the threshold this far along the ray (mm). */
  minRunMm?: number;
  /** March step (mm); default half the finest voxel spacing. */
  stepMm?: number;
  /** Extra gate on a hit (fractional voxel indices), e.g. "in the body mask" to skip the table. */
  accept?: (i: number, j: number, k: number) => boolean;
}

/** Trilinear value at fractional voxel indices (clamped to the volume). */
export function sampleAt(volume: Volume, i: number, j: number, k: number): number {
  const [nx, ny, nz] = volume.dims;
  const x = Math.min(nx - 1, Math.max(0, i));
  const y = Math.min(ny - 1, Math.max(0, j));
  const z = Math.min(nz - 1, Math.max(0, k));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const z0 = Math.floor(z);
  const x1 = Math.min(nx - 1, x0 + 1);
  const y1 = Math.min(ny - 1, y0 + 1);
  const z1 = Math.min(nz - 1, z0 + 1);
  const [fx, fy, fz] = [x - x0, y - y0, z - z0];
  const d = volume.data;
  const at = (a: number, b: number, c: number) => d[(c * ny + b) * nx + a]!;
  const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
  const c00 = lerp(at(x0, y0, z0), at(x1, y0, z0), fx);
  const c10 = lerp(at(x0, y1, z0), at(x1, y1, z0), fx);
  const c01 = lerp(at(x0, y0, z1), at(x1, y0, z1), fx);
  const c11 = lerp(at(x0, y1, z1), at(x1, y1, z1), fx);
  return lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz);
}

/** The ray's parameter range (mm from `origin`) inside the volume's box, or null if it misses. */
function clip(volume: Volume, start: Vec3, step: Vec3): [number, number] | null {
  let lo = 0;
  let hi = Infinity;
  for (let a = 0; a < 3; a++) {
    const min = -0.5;
    const max = volume.dims[a]! - 0.5;
    if (Math.abs(step[a]!) < 1e-12) {
      if (start[a]! < min || start[a]! > max) return null;
      continue;
    }
    const t0 = (min - start[a]!) / step[a]!;
    const t1 = (max - start[a]!) / step[a]!;
    lo = Math.max(lo, Math.min(t0, t1));
    hi = Math.min(hi, Math.max(t0, t1));
  }
  return hi > lo ? [lo, hi] : null;
}

/** First surface point (LPS mm) along the ray from `origin` in `direction`, or null if the ray meets none. */
export function pickSurface(volume: Volume, origin: Vec3, direction: Vec3, options: SurfacePickOptions): Vec3 | null {
  const length = Math.hypot(...direction);
  if (!(length > 0) || !origin.every(Number.isFinite)) return null;
  const dir = direction.map((v) => v / length) as Vec3;
  const start = patientToVoxel(volume, origin);
  const ahead = patientToVoxel(volume, [origin[0] + dir[0], origin[1] + dir[1], origin[2] + dir[2]]);
  // Voxel indices per mm along the ray.
  const perMm = [ahead[0] - start[0], ahead[1] - start[1], ahead[2] - start[2]] as Vec3;
  const range = clip(volume, start, perMm);
  if (!range) return null;
  const stepMm = options.stepMm ?? Math.min(...volume.spacing) / 2;
  const runSteps = Math.max(1, Math.ceil((options.minRunMm ?? 2) / stepMm));
  const at = (t: number): Vec3 => [start[0] + perMm[0] * t, start[1] + perMm[1] * t, start[2] + perMm[2] * t];
  const value = (t: number) => sampleAt(volume, ...at(t));
  let previous = value(range[0]);
  for (let t = range[0] + stepMm; t <= range[1]; t += stepMm) {
    const v = value(t);
    if (v > options.threshold && previous <= options.threshold) {
      let solid = true;
      for (let n = 1; n <= runSteps && solid; n++) if (value(Math.min(range[1], t + n * stepMm)) <= options.threshold) solid = false;
      // Where the value crosses the threshold between the two samples.
      const hit = t - stepMm * ((v - options.threshold) / (v - previous));
      if (solid && (!options.accept || options.accept(...at(hit)))) {
        return [origin[0] + dir[0] * hit, origin[1] + dir[1] * hit, origin[2] + dir[2] * hit];
      }
    }
    previous = v;
  }
  return null;
}
