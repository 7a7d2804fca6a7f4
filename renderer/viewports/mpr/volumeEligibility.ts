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

export type VolumeEligibility =
  | {
      eligible: true;
      /** Indexes into the pixel-bearing instances, ordered along the slice normal. */
      sliceOrder: number[];
      /** Instances with pixels, in `sliceOrder`. */
      instances: InstanceSummary[];
      /** Mean distance between neighbouring slices, in mm. */
      sliceSpacing: number;
      /** Columns × rows × slices. */
      dimensions: Vec3;
    }
  | { eligible: false; code: IneligibleCode; reason: string };

function refuse(code: IneligibleCode, reason: string): VolumeEligibility {
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

export function volumeEligibility(series: SeriesSummary): VolumeEligibility {
  const withPixels = series.instances.filter((instance) => instance.hasPixels);
  if (withPixels.some((instance) => instance.numberOfFrames > 1)) {
    // Per-frame positions live in the functional groups (PS3.3 C.7.6.16), which
    // the series summary does not carry; stacking frames blindly could lie.
    return refuse(
      'multi-frame',
      'This series stores its images as one multi-frame object without per-slice positions Veil can use, so it cannot be shown as a 3D volume.',
    );
  }
  if (withPixels.length < MIN_SLICES) {
    return refuse(
      'too-few-slices',
      `A 3D volume needs at least ${MIN_SLICES} slices; this series has ${withPixels.length} image${withPixels.length === 1 ? '' : 's'}.`,
    );
  }

  const first = withPixels[0];
  for (const instance of withPixels) {
    if (!instance.imagePositionPatient || !instance.imageOrientationPatient || !instance.rows || !instance.columns) {
      return refuse('no-geometry', 'Some images do not say where they lie in the body (no Image Position/Orientation), so they cannot be stacked into a volume.');
    }
    if (instance.rows !== first.rows || instance.columns !== first.columns) {
      return refuse('mixed-size', 'The images of this series have different sizes, so they cannot be stacked into a volume.');
    }
    if (!sameOrientation(instance.imageOrientationPatient, first.imageOrientationPatient!)) {
      return refuse('mixed-orientation', 'The images of this series are not parallel (different orientations, e.g. a localizer), so they cannot be stacked into a volume.');
    }
  }

  const iop = first.imageOrientationPatient!;
  const normal = cross([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]);
  const distances = withPixels.map((instance) => dot(instance.imagePositionPatient!, normal));
  const sliceOrder = distances.map((_, i) => i).sort((a, b) => distances[a] - distances[b]);

  const gaps: number[] = [];
  for (let k = 1; k < sliceOrder.length; k += 1) {
    const previous = withPixels[sliceOrder[k - 1]].imagePositionPatient!;
    const current = withPixels[sliceOrder[k]].imagePositionPatient!;
    const step = sub(current, previous);
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

  return {
    eligible: true,
    sliceOrder,
    instances: sliceOrder.map((i) => withPixels[i]),
    sliceSpacing: mean,
    dimensions: [first.columns!, first.rows!, withPixels.length],
  };
}
