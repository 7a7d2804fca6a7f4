// The ears, as an option of the face mask: an ear's shape identifies people as
// well, and the face mask's back limit keeps off them. In the face's own frame
// (from the landmarks) the ears lie well behind and beside the eyes; there the
// mask takes what sticks out of the body (the pinna, partly outside the
// skin mask's opening) and a thin layer of skin, never bone or the cranial cavity.
import { bodyDistance, patientToVoxel, voxelToPatient, type SkinMask, type Vec3, type Volume } from '../detect/face';
import type { FaceMask } from './mask';

export interface FaceFrame {
  eyes: Vec3;
  left: Vec3;
  forward: Vec3;
  up: Vec3;
}

export interface EarOptions {
  /** Behind the eyes (mm, along −forward): from, to. */
  behindMm: [number, number];
  /** Height relative to the eyes (mm): from, to. */
  heightMm: [number, number];
  /** To either side of the eyes' centre (mm): from, to. */
  lateralMm: [number, number];
  /** Outside the body: up to this far from it (mm). */
  outsideMm: number;
  /** Inside the body: up to this deep (mm). */
  depthMm: number;
}

export const defaultEarOptions: EarOptions = { behindMm: [50, 130], heightMm: [-55, 30], lateralMm: [45, 110], outsideMm: 12, depthMm: 8 };

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * The ear voxels of `volume` (indices, x fastest). `blocked(i, j, k)` says what must never be
 * taken (CT: bone and the cranial cavity).
 */
export function earVoxels(volume: Volume, frame: FaceFrame, skin: SkinMask, blocked: (i: number, j: number, k: number, value: number) => boolean, options: Partial<EarOptions> = {}): number[] {
  const o = { ...defaultEarOptions, ...options };
  const [nx, ny] = volume.dims;
  const outsideOf = bodyDistance(skin, 1).distance;
  const insideOf = bodyDistance({ ...skin, mask: skin.mask.map((v) => (v ? 0 : 1)) }, 1).distance;
  const cell = Math.min(...skin.factor.map((f, a) => f * volume.spacing[a]!));
  const [gx, gy] = skin.dims;
  const [fx, fy, fz] = skin.factor;
  const out: number[] = [];
  // The voxel box around the region (both sides), then patient coordinates step by step.
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const l of [-o.lateralMm[1], o.lateralMm[1]])
    for (const b of o.behindMm)
      for (const h of o.heightMm) {
        const corner = [0, 1, 2].map((a) => frame.eyes[a]! + frame.left[a]! * l - frame.forward[a]! * b + frame.up[a]! * h) as Vec3;
        const v = patientToVoxel(volume, corner);
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a]!, v[a]!);
          hi[a] = Math.max(hi[a]!, v[a]!);
        }
      }
  const from = lo.map((v) => Math.max(0, Math.floor(v))) as Vec3;
  const to = hi.map((v, a) => Math.min(volume.dims[a]! - 1, Math.ceil(v))) as Vec3;
  const origin = voxelToPatient(volume, 0, 0, 0);
  const step = (i: number, j: number, k: number) => voxelToPatient(volume, i, j, k).map((v, a) => v - origin[a]!) as Vec3;
  const along = (axis: Vec3) => {
    const base = dot(origin.map((v, a) => v - frame.eyes[a]!) as Vec3, axis);
    return [base, dot(step(1, 0, 0), axis), dot(step(0, 1, 0), axis), dot(step(0, 0, 1), axis)] as const;
  };
  const fw = along(frame.forward);
  const upw = along(frame.up);
  const lw = along(frame.left);
  for (let k = from[2]; k <= to[2]; k++)
    for (let j = from[1]; j <= to[1]; j++)
      for (let i = from[0]; i <= to[0]; i++) {
        const behind = -(fw[0] + fw[1] * i + fw[2] * j + fw[3] * k);
        if (behind < o.behindMm[0] || behind > o.behindMm[1]) continue;
        const height = upw[0] + upw[1] * i + upw[2] * j + upw[3] * k;
        if (height < o.heightMm[0] || height > o.heightMm[1]) continue;
        const lateral = Math.abs(lw[0] + lw[1] * i + lw[2] * j + lw[3] * k);
        if (lateral < o.lateralMm[0] || lateral > o.lateralMm[1]) continue;
        const c = (Math.floor(k / fz) * gy + Math.floor(j / fy)) * gx + Math.floor(i / fx);
        const inside = skin.mask[c] === 1;
        if (inside ? insideOf[c]! * cell > o.depthMm : outsideOf[c]! * cell > o.outsideMm) continue;
        const q = (k * ny + j) * nx + i;
        if (blocked(i, j, k, volume.data[q]!)) continue;
        out.push(q);
      }
  return out;
}

/** The face mask with extra voxels (indices into the volume) added. */
export function withVoxels(mask: FaceMask, volume: Volume, extra: readonly number[]): FaceMask {
  if (extra.length === 0) return mask;
  const [nx, ny] = volume.dims;
  const at = (q: number): Vec3 => [q % nx, Math.floor(q / nx) % ny, Math.floor(q / (nx * ny))];
  const min: Vec3 = mask.voxels ? [...mask.min] : [Infinity, Infinity, Infinity];
  const max: Vec3 = mask.voxels ? [...mask.max] : [-1, -1, -1];
  for (const q of extra) {
    const v = at(q);
    for (let a = 0; a < 3; a++) {
      min[a] = Math.min(min[a]!, v[a]!);
      max[a] = Math.max(max[a]!, v[a]!);
    }
  }
  const bx = max[0] - min[0] + 1;
  const by = max[1] - min[1] + 1;
  const cells = new Uint8Array(bx * by * (max[2] - min[2] + 1));
  const ox = mask.max[0] - mask.min[0] + 1;
  const oy = mask.max[1] - mask.min[1] + 1;
  for (let q = 0; q < mask.mask.length && mask.voxels; q++) {
    if (!mask.mask[q]) continue;
    const i = (q % ox) + mask.min[0] - min[0];
    const j = (Math.floor(q / ox) % oy) + mask.min[1] - min[1];
    const k = Math.floor(q / (ox * oy)) + mask.min[2] - min[2];
    cells[(k * by + j) * bx + i] = 1;
  }
  for (const q of extra) {
    const [i, j, k] = at(q);
    cells[((k - min[2]) * by + j - min[1]) * bx + i - min[0]] = 1;
  }
  let voxels = 0;
  for (let q = 0; q < cells.length; q++) voxels += cells[q]!;
  const voxelMm3 = volume.spacing[0] * volume.spacing[1] * volume.spacing[2];
  return { ...mask, min, max, mask: cells, voxels, volumeMm3: voxels * voxelMm3 };
}
