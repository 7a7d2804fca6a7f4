// The field the ray-caster renders: the body (values above the skin threshold,
// gated by the coarse body mask) with each slice's holes filled, as a signed
// distance to the slice's outline (mm, clamped, stored in a byte). Rendering
// this instead of the raw values closes eyelids and nostrils that MR shows
// dark and ignores noise outside the body; interpolating distances between
// slices is shape-based interpolation, so 7 mm slices give a smooth surface
// rather than terraces, and its gradient is a smooth normal. Iso level 128.
import { fillHoles2d } from './fill';
import { type SkinMask } from './skin';
import type { Volume } from './volume';

export interface SurfaceField {
  /** The volume's shape and order: a byte distance field, or the values themselves. */
  field: Uint8Array | Int16Array | Float32Array;
  dims: [number, number, number];
  /** Level of the surface in `field`. */
  iso: number;
  /** Whether the renderer must keep only hits inside the body mask (the raw values are not gated). */
  gated: boolean;
}

/** Largest distance (mm) kept either side of the outline. */
const clampMm = 12;

/**
 * Chamfer (3-4) distance of every pixel to the nearest pixel of the other
 * class, in pixels (PS: Borgefors 1986), then the signed byte field.
 */
function signedDistance2d(binary: Uint8Array, nx: number, ny: number, pixelMm: number, out: Uint8Array, d: Float32Array): void {
  const big = 1e6;
  for (let p = 0; p < nx * ny; p++) d[p] = big;
  // A pixel next to the other class is at distance 1 (3 in chamfer units).
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      const b = binary[p];
      if ((x > 0 && binary[p - 1] !== b) || (x < nx - 1 && binary[p + 1] !== b) || (y > 0 && binary[p - nx] !== b) || (y < ny - 1 && binary[p + nx] !== b)) d[p] = 3;
    }
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++) {
      const p = y * nx + x;
      let m = d[p]!;
      let c: number;
      if (x > 0 && (c = d[p - 1]! + 3) < m) m = c;
      if (y > 0) {
        if ((c = d[p - nx]! + 3) < m) m = c;
        if (x > 0 && (c = d[p - nx - 1]! + 4) < m) m = c;
        if (x < nx - 1 && (c = d[p - nx + 1]! + 4) < m) m = c;
      }
      d[p] = m;
    }
  for (let y = ny - 1; y >= 0; y--)
    for (let x = nx - 1; x >= 0; x--) {
      const p = y * nx + x;
      let m = d[p]!;
      let c: number;
      if (x < nx - 1 && (c = d[p + 1]! + 3) < m) m = c;
      if (y < ny - 1) {
        if ((c = d[p + nx]! + 3) < m) m = c;
        if (x < nx - 1 && (c = d[p + nx + 1]! + 4) < m) m = c;
        if (x > 0 && (c = d[p + nx - 1]! + 4) < m) m = c;
      }
      d[p] = m;
    }
  const toByte = 127 / clampMm;
  for (let p = 0; p < nx * ny; p++) {
    // The outline lies half a pixel from the pixels next to it.
    const mm = (d[p]! / 3 - 0.5) * pixelMm;
    const signed = binary[p] ? mm : -mm;
    out[p] = Math.max(0, Math.min(255, Math.round(128 + Math.max(-clampMm, Math.min(clampMm, signed)) * toByte)));
  }
}

/** [1 2 1] / 4 along one axis, in place through a line buffer. */
function binomial(field: Uint8Array, dims: readonly number[], axis: number): void {
  const [nx, ny, nz] = dims as [number, number, number];
  const n = dims[axis]!;
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const [na, nb, sa, sb] = (axis === 0 ? [ny, nz, nx, nx * ny] : axis === 1 ? [nx, nz, 1, nx * ny] : [nx, ny, 1, nx]) as [number, number, number, number];
  const line = new Uint8Array(n);
  for (let b = 0; b < nb; b++)
    for (let a = 0; a < na; a++) {
      const base = a * sa + b * sb;
      for (let i = 0; i < n; i++) line[i] = field[base + i * stride]!;
      for (let i = 0; i < n; i++) {
        const l = line[i > 0 ? i - 1 : i]!;
        const r = line[i < n - 1 ? i + 1 : i]!;
        field[base + i * stride] = (l + 2 * line[i]! + r + 2) >> 2;
      }
    }
}

/**
 * How the surface is built: `distance` (filled slices, signed distance: closed
 * eyelids, shape-based between thick slices) or `values` (the values' own
 * isosurface inside the body: open orbits and nostrils, the finest detail).
 */
export type SurfaceMode = 'distance' | 'values';

export function surfaceField(volume: Volume, skin: SkinMask, mode: SurfaceMode = 'distance'): SurfaceField {
  if (mode === 'values') return valueField(volume, skin);
  const { data, dims, spacing } = volume;
  const [nx, ny, nz] = dims;
  const [fx, fy, fz] = skin.factor;
  const [gx, gy] = skin.dims;
  const plane = nx * ny;
  const field = new Uint8Array(data.length);
  const column = Int32Array.from({ length: nx }, (_, i) => Math.floor(i / fx));
  const outside = new Uint8Array(plane);
  const stack = new Int32Array(plane);
  const binary = new Uint8Array(plane);
  const distance = new Float32Array(plane);
  const threshold = skin.threshold;
  // Nostrils are under ~2 cm across.
  const gapPx = Math.round(20 / Math.min(spacing[0], spacing[1]));
  for (let k = 0; k < nz; k++) {
    const gz = Math.floor(k / fz) * gy * gx;
    const slice = field.subarray(k * plane, (k + 1) * plane);
    binary.fill(0);
    for (let j = 0; j < ny; j++) {
      const gRow = gz + Math.floor(j / fy) * gx;
      const row = j * nx;
      const src = k * plane + row;
      for (let i = 0; i < nx; i++) if (data[src + i]! > threshold && skin.mask[gRow + column[i]!]) binary[row + i] = 1;
    }
    // A slice without body is all outside (the field stays 0).
    if (!binary.includes(1)) continue;
    fillHoles2d(binary, nx, ny, outside, stack, gapPx);
    signedDistance2d(binary, nx, ny, Math.min(spacing[0], spacing[1]), slice, distance);
  }
  // One light in-plane blur takes the chamfer's pixel steps off the normals.
  binomial(field, dims, 0);
  binomial(field, dims, 1);
  return { field, dims: [...dims], iso: 128, gated: false };
}

/** The values themselves: the renderer gates them with the body mask. */
function valueField(volume: Volume, skin: SkinMask): SurfaceField {
  return { field: volume.data, dims: [...volume.dims], iso: skin.threshold, gated: true };
}
