// The blur fill: each masked voxel becomes the mean of the original over a
// box `radiusMm` wide on each side. A box this wide mixes skin, fat and air, so
// the face's features melt into a smooth ramp; whether a face can still be
// rebuilt is for the proof to say (a blurred head keeps its outline).
import type { Volume } from '../detect/face';
import type { FaceMask } from './mask';

/** Box means of `volume` over the mask's bounding box (plus nothing else); x fastest over the box. */
export function blurredBox(volume: Volume, mask: FaceMask, radiusMm: number): Float32Array {
  const [nx, ny] = volume.dims;
  const r = volume.spacing.map((s) => Math.max(1, Math.round(radiusMm / s)));
  // The region the means read from: the box grown by the radius, clamped to the volume.
  const lo = mask.min.map((m, a) => Math.max(0, m - r[a]!));
  const hi = mask.max.map((m, a) => Math.min(volume.dims[a]! - 1, m + r[a]!));
  const w = [hi[0]! - lo[0]! + 1, hi[1]! - lo[1]! + 1, hi[2]! - lo[2]! + 1];
  let work = new Float64Array(w[0]! * w[1]! * w[2]!);
  for (let k = 0; k < w[2]!; k++)
    for (let j = 0; j < w[1]!; j++) {
      const src = ((k + lo[2]!) * ny + j + lo[1]!) * nx + lo[0]!;
      const dst = (k * w[1]! + j) * w[0]!;
      for (let i = 0; i < w[0]!; i++) work[dst + i] = volume.data[src + i]!;
    }
  // Separable running means along x, y, z (the window clamped at the region's edges).
  const strides = [1, w[0]!, w[0]! * w[1]!];
  for (let axis = 0; axis < 3; axis++) {
    const n = w[axis]!;
    const stride = strides[axis]!;
    const out = new Float64Array(work.length);
    const prefix = new Float64Array(n + 1);
    for (let start = 0; start < work.length; start++) {
      // Visit each line once: its first element has coordinate 0 along the axis.
      if (Math.floor(start / stride) % n !== 0) continue;
      for (let t = 0; t < n; t++) prefix[t + 1] = prefix[t]! + work[start + t * stride]!;
      for (let t = 0; t < n; t++) {
        const a = Math.max(0, t - r[axis]!);
        const b = Math.min(n - 1, t + r[axis]!);
        out[start + t * stride] = (prefix[b + 1]! - prefix[a]!) / (b - a + 1);
      }
    }
    work = out;
  }
  const bx = mask.max[0] - mask.min[0] + 1;
  const by = mask.max[1] - mask.min[1] + 1;
  const bz = mask.max[2] - mask.min[2] + 1;
  const result = new Float32Array(Math.max(0, bx * by * bz));
  for (let k = 0; k < bz; k++)
    for (let j = 0; j < by; j++)
      for (let i = 0; i < bx; i++) {
        const q = ((k + mask.min[2] - lo[2]!) * w[1]! + j + mask.min[1] - lo[1]!) * w[0]! + i + mask.min[0] - lo[0]!;
        result[(k * by + j) * bx + i] = work[q]!;
      }
  return result;
}
