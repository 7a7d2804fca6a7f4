// 26-connected components of the voxels a predicate accepts, inside a region
// of interest. Every accepted voxel is visited once (the skull too), but only
// components that stay small keep their voxel list: a marker is small, bone
// and head holders are not.
import type { Volume } from '../face/volume';

export interface Component {
  /** Volume voxel indices (x fastest). */
  indices: Uint32Array;
  /** Voxel index bounds: [min, max] per axis, inclusive. */
  bounds: [[number, number], [number, number], [number, number]];
  /** An accepted neighbour lay outside the region: the structure goes on beyond it. */
  truncated: boolean;
}

export interface ComponentLimits {
  /** Largest extent (voxels) per axis a kept component may reach. */
  maxExtent: [number, number, number];
  maxVoxels: number;
}

/**
 * Components of voxels with `accept(p)` true and `inRegion(i, j, k)` true; those
 * exceeding the limits are visited but not returned.
 */
export function smallComponents(
  volume: Volume,
  accept: (p: number) => boolean,
  inRegion: (i: number, j: number, k: number) => boolean,
  limits: ComponentLimits,
): Component[] {
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const visited = new Uint8Array(nx * ny * nz);
  let stack = new Int32Array(1 << 16);
  const found: Component[] = [];
  const list: number[] = [];
  for (let seed = 0; seed < visited.length; seed++) {
    if (visited[seed] || !accept(seed)) continue;
    const si = seed % nx;
    const sj = ((seed - si) / nx) % ny;
    const sk = Math.floor(seed / plane);
    if (!inRegion(si, sj, sk)) continue;
    visited[seed] = 1;
    let top = 0;
    stack[top++] = seed;
    list.length = 0;
    let big = false;
    let truncated = false;
    let x0 = si, x1 = si, y0 = sj, y1 = sj, z0 = sk, z1 = sk;
    while (top > 0) {
      const p = stack[--top]!;
      const x = p % nx;
      const y = ((p - x) / nx) % ny;
      const z = (p - x - y * nx) / plane;
      if (!big) {
        list.push(p);
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
        if (list.length > limits.maxVoxels || x1 - x0 >= limits.maxExtent[0] || y1 - y0 >= limits.maxExtent[1] || z1 - z0 >= limits.maxExtent[2]) big = true;
      }
      for (let dz = -1; dz <= 1; dz++) {
        const Z = z + dz;
        if (Z < 0 || Z >= nz) continue;
        for (let dy = -1; dy <= 1; dy++) {
          const Y = y + dy;
          if (Y < 0 || Y >= ny) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const X = x + dx;
            if (X < 0 || X >= nx) continue;
            const q = (Z * ny + Y) * nx + X;
            if (visited[q] || !accept(q)) continue;
            if (!inRegion(X, Y, Z)) {
              truncated = true;
              continue;
            }
            visited[q] = 1;
            if (top === stack.length) {
              const grown = new Int32Array(stack.length * 2);
              grown.set(stack);
              stack = grown;
            }
            stack[top++] = q;
          }
        }
      }
    }
    if (!big)
      found.push({
        indices: Uint32Array.from(list),
        bounds: [
          [x0, x1],
          [y0, y1],
          [z0, z1],
        ],
        truncated,
      });
  }
  return found;
}
