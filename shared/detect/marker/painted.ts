// Regions the user painted on the skin (scars and marks the detector does not
// find): a ball around a centre, kept to the skin shell — body-side voxels
// within `shellMm` of the outside air, not bone (CT) — so painting never
// reaches the skull or the brain. Filled like a marker (the onion peel of
// `redact.ts`, from the surrounding soft tissue only); nothing outside the
// region changes.
import { segmentSkin, type SkinMask } from '../face/skin';
import { patientToVoxel, voxelToPatient, type Vec3, type Volume } from '../face/volume';
import { squaredDistance } from './distance';
import { bodyShell, cellIndex, type BodyShell } from './geometry';
import { peelFill, redactOptionsFor, sliceChanges, type SliceChanges } from './redact';

export interface PaintedRegion {
  /** LPS mm. */
  centre: Vec3;
  radiusMm: number;
}

export interface PaintOptions {
  /** How deep below the outside air the region reaches (mm). */
  shellMm: number;
  skin?: SkinMask;
}

export const defaultPaintOptions: PaintOptions = { shellMm: 6 };

export interface PaintedResult {
  region: PaintedRegion;
  /** Voxels of the region (in the shell). */
  indices: Uint32Array;
  /** Of those, voxels whose value changed. */
  changed: number;
  /** Slices (volume index) it changed. */
  slices: number[];
}

export interface PaintedFill {
  volume: Volume;
  regions: PaintedResult[];
  changes: Map<number, SliceChanges>;
  voxels: number;
}

/** The region's voxels in the skin shell (volume indices, x fastest). */
export function paintedVoxels(volume: Volume, region: PaintedRegion, options: Partial<PaintOptions> & { shell?: BodyShell } = {}): Uint32Array {
  const o = { ...defaultPaintOptions, ...options };
  const shell = options.shell ?? bodyShell(volume, o.skin ?? segmentSkin(volume));
  const threshold = shell.skin.threshold;
  const dense = redactOptionsFor(volume).denseAbove;
  const [nx, ny, nz] = volume.dims;
  const centre = patientToVoxel(volume, region.centre);
  // A box around the ball, wide enough to see the outside air within the shell's depth of any of its voxels.
  const lo = [0, 1, 2].map((a) => Math.max(0, Math.floor(centre[a]! - (region.radiusMm + o.shellMm) / volume.spacing[a]!) - 1));
  const hi = [0, 1, 2].map((a) => Math.min(volume.dims[a]! - 1, Math.ceil(centre[a]! + (region.radiusMm + o.shellMm) / volume.spacing[a]!) + 1));
  if (lo.some((v, a) => v > hi[a]!)) return new Uint32Array(0);
  const box = [hi[0]! - lo[0]! + 1, hi[1]! - lo[1]! + 1, hi[2]! - lo[2]! + 1] as const;
  const air = new Uint8Array(box[0] * box[1] * box[2]);
  for (let k = 0; k < box[2]; k++)
    for (let j = 0; j < box[1]; j++)
      for (let i = 0; i < box[0]; i++) {
        const [x, y, z] = [lo[0]! + i, lo[1]! + j, lo[2]! + k];
        // Outside air: below the threshold on or beyond the body's rim (not sinuses or airways).
        if (volume.data[(z * ny + y) * nx + x]! <= threshold && shell.inside[cellIndex(shell, x, y, z)]! <= 1) air[(k * box[1] + j) * box[0] + i] = 1;
      }
  const depth = squaredDistance(air, box, volume.spacing);
  const out: number[] = [];
  const r2 = region.radiusMm ** 2;
  const s2 = o.shellMm ** 2;
  for (let k = 0; k < box[2]; k++)
    for (let j = 0; j < box[1]; j++)
      for (let i = 0; i < box[0]; i++) {
        const [x, y, z] = [lo[0]! + i, lo[1]! + j, lo[2]! + k];
        if (z >= nz) continue;
        const p = voxelToPatient(volume, x, y, z);
        if ((p[0] - region.centre[0]) ** 2 + (p[1] - region.centre[1]) ** 2 + (p[2] - region.centre[2]) ** 2 > r2) continue;
        if (depth[(k * box[1] + j) * box[0] + i]! > s2) continue;
        const q = (z * ny + y) * nx + x;
        const v = volume.data[q]!;
        // Soft tissue of the body: not air, not bone, not the holder or table outside the body mask.
        if (v <= threshold || v >= dense || shell.inside[cellIndex(shell, x, y, z)]! < 1) continue;
        out.push(q);
      }
  return Uint32Array.from(out);
}

/** Fills the painted regions in a copy of the volume; voxels outside them keep their values. */
export function fillPaintedRegions(volume: Volume, regions: readonly PaintedRegion[], options: Partial<PaintOptions> = {}): PaintedFill {
  const skin = options.skin ?? segmentSkin(volume);
  const shell = bodyShell(volume, skin);
  const plane = volume.dims[0] * volume.dims[1];
  const perRegion = regions.map((region) => ({ region, indices: paintedVoxels(volume, region, { ...options, skin, shell }) }));
  const todo = new Map<number, number>();
  for (const r of perRegion) for (const p of r.indices) todo.set(p, 1);
  const out: Volume = { ...volume, data: volume.data.slice() };
  // From soft tissue: the air over the skin and the bone under it are not copied in.
  peelFill(out, todo, { airBelow: skin.threshold, denseAbove: redactOptionsFor(volume).denseAbove, waitForSoft: true });
  const { changes, voxels } = sliceChanges(volume, out, todo.keys());
  const results = perRegion.map(({ region, indices }) => {
    const slices = new Set<number>();
    let changed = 0;
    for (const p of indices) {
      if (out.data[p] === volume.data[p]) continue;
      changed++;
      slices.add(Math.floor(p / plane));
    }
    return { region, indices, changed, slices: [...slices].sort((a, b) => a - b) };
  });
  return { volume: out, regions: results, changes, voxels };
}
