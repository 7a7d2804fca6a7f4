// The body's outer surface as a mask: CT by a Hounsfield threshold (air vs
// skin), MR by a threshold above the background noise. Only the body is kept:
// an opening (erode, keep the largest component, grow back inside the
// threshold) cuts away the head holder, table, cushions and noise, which touch
// the body through thin contacts at most.
import type { Volume } from './volume';

export interface SkinOptions {
  /** Modality-unit threshold; default: −300 HU for CT, estimated from the background for MR and others. */
  threshold?: number;
  /** Radius (mm) of the opening that separates the body from thin attached structures. */
  openingMm: number;
}

export const defaultSkinOptions: SkinOptions = { openingMm: 4 };

export interface SkinMask {
  /** 1 inside the body (holes filled slice by slice), x fastest like the volume. */
  mask: Uint8Array;
  dims: [number, number, number];
  threshold: number;
  /** Voxels in the mask. */
  voxels: number;
  /** Index bounds of the mask: [min, max] per axis, inclusive. */
  bounds: [[number, number], [number, number], [number, number]];
}

/** CT air/skin boundary: fat is about −100 HU, air −1000; −300 sits clear of both and of noise. */
export const ctSkinThreshold = -300;

/**
 * A threshold above the background: Otsu's split of the histogram separates
 * background from tissue; the background class's mean + 3 SD is where its
 * noise ends (skin and fat are dim in many sequences, so Otsu itself is too high).
 */
export function backgroundThreshold(volume: Volume): number {
  const { data } = volume;
  let max = -Infinity;
  let min = Infinity;
  for (let p = 0; p < data.length; p += 7) {
    const v = data[p]!;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const bins = 256;
  const hist = new Float64Array(bins);
  const width = (max - min) / bins || 1;
  for (let p = 0; p < data.length; p += 3) hist[Math.max(0, Math.min(bins - 1, Math.floor((data[p]! - min) / width)))]++;
  const total = hist.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (let b = 0; b < bins; b++) sum += b * hist[b]!;
  let w0 = 0;
  let sum0 = 0;
  let best = 0;
  let split = 0;
  for (let b = 0; b < bins; b++) {
    w0 += hist[b]!;
    if (w0 === 0 || w0 === total) continue;
    sum0 += b * hist[b]!;
    const m0 = sum0 / w0;
    const m1 = (sum - sum0) / (total - w0);
    const between = w0 * (total - w0) * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      split = b;
    }
  }
  let n = 0;
  let s1 = 0;
  let s2 = 0;
  for (let b = 0; b <= split; b++) {
    const v = min + (b + 0.5) * width;
    n += hist[b]!;
    s1 += hist[b]! * v;
    s2 += hist[b]! * v * v;
  }
  const mean = s1 / n;
  const sd = Math.sqrt(Math.max(0, s2 / n - mean * mean));
  return Math.min(min + (split + 1) * width, mean + 3 * sd);
}

export function skinThreshold(volume: Volume): number {
  return volume.modality === 'CT' ? ctSkinThreshold : backgroundThreshold(volume);
}

/** Binary erosion (grow = false) or dilation (grow = true) by a box, one axis at a time. */
function boxFilter(mask: Uint8Array, dims: readonly number[], radius: readonly number[], grow: boolean): Uint8Array {
  let src = mask;
  const [nx, ny, nz] = dims as [number, number, number];
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const r = radius[axis]!;
    if (r <= 0) continue;
    const n = dims[axis]!;
    const stride = strides[axis]!;
    const dst = new Uint8Array(src.length);
    const line = new Int32Array(n + 1);
    const others = axis === 0 ? [ny, nz, nx, nx * ny] : axis === 1 ? [nx, nz, 1, nx * ny] : [nx, ny, 1, nx];
    const [na, nb, sa, sb] = others as [number, number, number, number];
    for (let b = 0; b < nb; b++)
      for (let a = 0; a < na; a++) {
        const base = a * sa + b * sb;
        line[0] = 0;
        for (let i = 0; i < n; i++) line[i + 1] = line[i]! + src[base + i * stride]!;
        for (let i = 0; i < n; i++) {
          const lo = Math.max(0, i - r);
          const hi = Math.min(n, i + r + 1);
          const ones = line[hi]! - line[lo]!;
          // Outside the volume counts as background for erosion only where the window is cut.
          dst[base + i * stride] = grow ? (ones > 0 ? 1 : 0) : ones === hi - lo ? 1 : 0;
        }
      }
    src = dst;
  }
  return src;
}

/** The largest 6-connected component of `mask` (in place: other voxels set to 0); returns its size. */
export function keepLargestComponent(mask: Uint8Array, dims: readonly number[]): number {
  const [nx, ny, nz] = dims as [number, number, number];
  const label = new Int32Array(mask.length);
  const stack = new Int32Array(mask.length);
  let bestLabel = 0;
  let bestSize = 0;
  let next = 0;
  const plane = nx * ny;
  for (let seed = 0; seed < mask.length; seed++) {
    if (!mask[seed] || label[seed]) continue;
    next++;
    let top = 0;
    stack[top++] = seed;
    label[seed] = next;
    let size = 0;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const x = p % nx;
      const y = ((p - x) / nx) % ny;
      const z = (p - x - y * nx) / plane;
      if (x > 0 && mask[p - 1] && !label[p - 1]) (label[p - 1] = next), (stack[top++] = p - 1);
      if (x < nx - 1 && mask[p + 1] && !label[p + 1]) (label[p + 1] = next), (stack[top++] = p + 1);
      if (y > 0 && mask[p - nx] && !label[p - nx]) (label[p - nx] = next), (stack[top++] = p - nx);
      if (y < ny - 1 && mask[p + nx] && !label[p + nx]) (label[p + nx] = next), (stack[top++] = p + nx);
      if (z > 0 && mask[p - plane] && !label[p - plane]) (label[p - plane] = next), (stack[top++] = p - plane);
      if (z < nz - 1 && mask[p + plane] && !label[p + plane]) (label[p + plane] = next), (stack[top++] = p + plane);
    }
    if (size > bestSize) {
      bestSize = size;
      bestLabel = next;
    }
  }
  for (let p = 0; p < mask.length; p++) mask[p] = label[p] === bestLabel && bestLabel ? 1 : 0;
  return bestSize;
}

/** Fills each slice's holes: what the slice border cannot reach through background is body. */
function fillSliceHoles(mask: Uint8Array, dims: readonly number[]): void {
  const [nx, ny, nz] = dims as [number, number, number];
  const plane = nx * ny;
  const outside = new Uint8Array(plane);
  const stack = new Int32Array(plane);
  for (let z = 0; z < nz; z++) {
    const slice = mask.subarray(z * plane, (z + 1) * plane);
    outside.fill(0);
    let top = 0;
    const push = (p: number) => {
      if (!slice[p] && !outside[p]) {
        outside[p] = 1;
        stack[top++] = p;
      }
    };
    for (let x = 0; x < nx; x++) push(x), push((ny - 1) * nx + x);
    for (let y = 0; y < ny; y++) push(y * nx), push(y * nx + nx - 1);
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % nx;
      if (x > 0) push(p - 1);
      if (x < nx - 1) push(p + 1);
      if (p >= nx) push(p - nx);
      if (p < plane - nx) push(p + nx);
    }
    for (let p = 0; p < plane; p++) if (!outside[p]) slice[p] = 1;
  }
}

export function segmentSkin(volume: Volume, options: Partial<SkinOptions> = {}): SkinMask {
  const { openingMm } = { ...defaultSkinOptions, ...options };
  const threshold = options.threshold ?? skinThreshold(volume);
  const { data, dims, spacing } = volume;
  const above = new Uint8Array(data.length);
  for (let p = 0; p < data.length; p++) above[p] = data[p]! > threshold ? 1 : 0;
  // Thick slices (MR at 7 mm) are not eroded across: one slice is already thicker than the radius.
  const radius = spacing.map((s) => (s > openingMm ? 0 : Math.max(1, Math.round(openingMm / s))));
  const core = boxFilter(above, dims, radius, false);
  keepLargestComponent(core, dims);
  const mask = boxFilter(core, dims, radius, true);
  for (let p = 0; p < mask.length; p++) mask[p] &= above[p]!;
  keepLargestComponent(mask, dims);
  fillSliceHoles(mask, dims);
  const [nx, ny] = dims;
  const bounds: SkinMask['bounds'] = [
    [Infinity, -1],
    [Infinity, -1],
    [Infinity, -1],
  ];
  let voxels = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    voxels++;
    const x = p % nx;
    const y = Math.floor(p / nx) % ny;
    const z = Math.floor(p / (nx * ny));
    const b = bounds;
    if (x < b[0][0]) b[0][0] = x;
    if (x > b[0][1]) b[0][1] = x;
    if (y < b[1][0]) b[1][0] = y;
    if (y > b[1][1]) b[1][1] = y;
    if (z < b[2][0]) b[2][0] = z;
    if (z > b[2][1]) b[2][1] = z;
  }
  return { mask, dims: [...dims], threshold, voxels, bounds };
}
