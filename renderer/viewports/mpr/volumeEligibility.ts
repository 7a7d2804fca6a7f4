// Can a series be stacked into one regular volume for MPR / 3D? Pure geometry
// over the header summary, so the views can refuse early with a clear reason
// instead of letting the volume loader throw (or silently render a sheared or
// stretched volume).
//
// A volume needs parallel, equally sized slices stacked along their normal at
// an even spacing: Image Plane module, PS3.3 C.7.6.2 (Image Position /
// Orientation (Patient) define each slice's plane in patient space).
import type { InstanceSummary, SeriesSummary } from '../../../shared/api/contract';

type Vec3 = [number, number, number];

export const MIN_SLICES = 3;
/** Direction cosines that differ by more than this are "not parallel". */
const ORIENTATION_TOLERANCE = 1e-3;
/** Allowed relative spread of slice gaps before we call the stack uneven. */
const SPACING_TOLERANCE = 0.05;
/** In-plane shift between neighbours (gantry tilt) allowed, as a share of the gap. */
const SHEAR_TOLERANCE = 0.05;

export type IneligibleCode =
  | 'too-few-slices'
  | 'multi-frame'
  | 'no-geometry'
  | 'mixed-size'
  | 'mixed-orientation'
  | 'duplicate-position'
  | 'uneven-spacing'
  | 'sheared';

export type Refusal = { eligible: false; code: IneligibleCode; reason: string };

/** Where one slice (an instance, or a frame of a multi-frame object) lies. */
export interface SliceGeometry {
  rows?: number;
  columns?: number;
  imagePositionPatient?: readonly number[];
  imageOrientationPatient?: readonly number[];
}

export type StackEligibility =
  | {
      eligible: true;
      /** Indexes into the given slices, ordered along the slice normal. */
      sliceOrder: number[];
      /** Mean distance between neighbouring slices, in mm. */
      sliceSpacing: number;
      /** Columns × rows × slices. */
      dimensions: Vec3;
    }
  | Refusal;

export type VolumeEligibility =
  | {
      eligible: true;
      /** Instances with pixels, in slice order (one instance when `perFrame`). */
      instances: InstanceSummary[];
      /**
       * One enhanced multi-frame object: its per-frame positions (functional
       * groups, PS3.3 C.7.6.16) are not in the summary, so the frames must be
       * checked with `sliceStackEligibility` once their metadata is parsed.
       */
      perFrame: boolean;
    }
  | Refusal;

function refuse(code: IneligibleCode, reason: string): Refusal {
  return { eligible: false, code, reason };
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function length(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

function sameOrientation(a: readonly number[], b: readonly number[]): boolean {
  return a.every((value, i) => Math.abs(value - b[i]) <= ORIENTATION_TOLERANCE);
}

/** Can these slices be stacked into one regular volume? Pure geometry. */
export function sliceStackEligibility(slices: readonly SliceGeometry[], unit = 'slices'): StackEligibility {
  if (slices.length < MIN_SLICES) {
    return refuse('too-few-slices', `A 3D volume needs at least ${MIN_SLICES} slices; this series has ${slices.length} ${slices.length === 1 ? unit.replace(/s$/, '') : unit}.`);
  }

  const first = slices[0];
  for (const slice of slices) {
    if (!slice.imagePositionPatient || !slice.imageOrientationPatient || !slice.rows || !slice.columns) {
      return refuse('no-geometry', 'Some images do not say where they lie in the body (no Image Position/Orientation), so they cannot be stacked into a volume.');
    }
    if (slice.rows !== first.rows || slice.columns !== first.columns) {
      return refuse('mixed-size', 'The images of this series have different sizes, so they cannot be stacked into a volume.');
    }
    if (!sameOrientation(slice.imageOrientationPatient, first.imageOrientationPatient!)) {
      return refuse('mixed-orientation', 'The images of this series are not parallel (different orientations, e.g. a localizer), so they cannot be stacked into a volume.');
    }
  }

  const iop = first.imageOrientationPatient!;
  const normal = cross([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]);
  const position = (slice: SliceGeometry): Vec3 => {
    const [x, y, z] = slice.imagePositionPatient!;
    return [x, y, z];
  };
  const distances = slices.map((slice) => dot(position(slice), normal));
  const sliceOrder = distances.map((_, i) => i).sort((a, b) => distances[a] - distances[b]);

  const gaps: number[] = [];
  for (let k = 1; k < sliceOrder.length; k += 1) {
    const step = sub(position(slices[sliceOrder[k]]), position(slices[sliceOrder[k - 1]]));
    const gap = dot(step, normal);
    if (gap < 1e-3) {
      return refuse('duplicate-position', 'Several images lie at the same position (e.g. several echoes or time points), so they do not form one volume.');
    }
    const inPlaneShift = length(sub(step, [normal[0] * gap, normal[1] * gap, normal[2] * gap]));
    if (inPlaneShift > SHEAR_TOLERANCE * gap) {
      return refuse('sheared', 'The slices are shifted against each other (tilted gantry), which Veil cannot yet show as a volume without distortion.');
    }
    gaps.push(gap);
  }

  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const spread = Math.max(...gaps) - Math.min(...gaps);
  if (spread > SPACING_TOLERANCE * mean) {
    return refuse(
      'uneven-spacing',
      `The slices are unevenly spaced (${Math.min(...gaps).toFixed(2)}–${Math.max(...gaps).toFixed(2)} mm; missing slices?), so a volume would be distorted.`,
    );
  }

  return { eligible: true, sliceOrder, sliceSpacing: mean, dimensions: [first.columns!, first.rows!, slices.length] };
}

/**
 * Series-level check from the header summary. Single-frame slices are checked
 * now; one multi-frame object passes with `perFrame` (its frames are checked
 * after loading their metadata); several multi-frame objects are refused.
 */
export function volumeEligibility(series: SeriesSummary): VolumeEligibility {
  const withPixels = series.instances.filter((instance) => instance.hasPixels);
  const multiFrame = withPixels.filter((instance) => instance.numberOfFrames > 1);
  if (multiFrame.length === 1 && withPixels.length === 1 && multiFrame[0].numberOfFrames >= MIN_SLICES) {
    return { eligible: true, instances: multiFrame, perFrame: true };
  }
  if (multiFrame.length > 0) {
    return refuse('multi-frame', 'This series mixes several multi-frame objects (or frames and single images), so Veil cannot stack it into one volume.');
  }
  const stack = sliceStackEligibility(withPixels, 'images');
  if (!stack.eligible) return stack;
  return { eligible: true, instances: stack.sliceOrder.map((i) => withPixels[i]), perFrame: false };
}
