// "Does this volume's field of view hold a face?" from geometry and content,
// not header words: enough planes, enough extent on every axis, and a body
// whose size is a head's (a chest or pelvis is far wider). Cheap: the skin
// mask's bounds and per-slice widths only. It gates the renders; the detector
// and landmarks decide.
import type { SkinMask } from './skin';
import { voxelToPatient, type Vec3, type Volume } from './volume';

export interface EligibilityOptions {
  minPlanes: number;
  /** Smallest extent (mm) of the volume and of the body on each axis. */
  minExtentMm: number;
  /** Largest body width (mm) left-right or front-back for a head. */
  maxHeadWidthMm: number;
  /** Smallest body volume (cm³). */
  minBodyCm3: number;
}

export const defaultEligibility: EligibilityOptions = { minPlanes: 5, minExtentMm: 60, maxHeadWidthMm: 260, minBodyCm3: 300 };

export interface Eligibility {
  eligible: boolean;
  /** Why not, in words (empty when eligible). */
  reasons: string[];
  /** Volume extent on its axes (mm). */
  extentMm: [number, number, number];
  /** Body extent on the volume's axes (mm). */
  bodyMm: [number, number, number];
  bodyCm3: number;
}

/** Geometry only (before segmentation): planes and extent. */
export function volumeEligibility(volume: Volume, options: Partial<EligibilityOptions> = {}): string[] {
  const o = { ...defaultEligibility, ...options };
  const reasons: string[] = [];
  if (volume.dims[2] < o.minPlanes) reasons.push(`${volume.dims[2]} planes (fewer than ${o.minPlanes})`);
  volume.dims.forEach((n, a) => {
    const mm = n * volume.spacing[a]!;
    if (mm < o.minExtentMm) reasons.push(`field of view ${mm.toFixed(0)} mm on axis ${'xyz'[a]} (under ${o.minExtentMm} mm)`);
  });
  return reasons;
}

export function faceEligibility(volume: Volume, skin: SkinMask, options: Partial<EligibilityOptions> = {}): Eligibility {
  const o = { ...defaultEligibility, ...options };
  const reasons = volumeEligibility(volume, o);
  const extentMm = volume.dims.map((n, a) => n * volume.spacing[a]!) as Eligibility['extentMm'];
  const bodyMm = skin.bounds.map(([lo, hi], a) => (hi >= lo ? (hi - lo + 1) * volume.spacing[a]! : 0)) as Eligibility['bodyMm'];
  const cell = skin.factor.reduce((v, f, a) => v * f * volume.spacing[a]!, 1);
  const bodyCm3 = (skin.voxels * cell) / 1000;
  if (skin.voxels === 0) {
    reasons.push('no body above the skin threshold');
    return { eligible: false, reasons, extentMm, bodyMm, bodyCm3 };
  }
  if (bodyCm3 < o.minBodyCm3) reasons.push(`body ${bodyCm3.toFixed(0)} cm³ (under ${o.minBodyCm3} cm³)`);
  bodyMm.forEach((mm, a) => {
    if (mm < o.minExtentMm) reasons.push(`body ${mm.toFixed(0)} mm on axis ${'xyz'[a]} (under ${o.minExtentMm} mm)`);
  });
  // Left-right and front-back size in patient space (whatever the slice plane): a head is about 15–20 cm.
  const corners: Vec3[] = [];
  for (const i of skin.bounds[0]) for (const j of skin.bounds[1]) for (const k of skin.bounds[2]) corners.push(voxelToPatient(volume, i, j, k));
  for (const [axis, name] of [[0, 'left-right'], [1, 'front-back']] as const) {
    const v = corners.map((c) => c[axis]);
    const mm = Math.max(...v) - Math.min(...v);
    if (mm > o.maxHeadWidthMm) reasons.push(`body ${mm.toFixed(0)} mm ${name} (over a head's ${o.maxHeadWidthMm} mm)`);
  }
  return { eligible: reasons.length === 0, reasons, extentMm, bodyMm, bodyCm3 };
}
