// 26-connected components: of the dense voxels inside a region of grid cells
// (every dense voxel there is visited once, the skull's band too, but only
// components that stay small keep their voxel list: a marker is small, bone and
// head holders are not), and of a sparse set of voxels.
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

/** The region: grid cells (x fastest) and each volume column's, row's and slice's cell. */
export interface CellRegion {
  cells: Uint8Array;
  gridDims: readonly [number, number, number];
  cellOf: readonly [Int32Array, Int32Array, Int32Array];
}

/** Components of voxels ≥ `threshold` whose grid cell is in the region; large ones are visited, not returned. */
export function denseComponents(volume: Volume, threshold: number, region: CellRegion, limits: ComponentLimits): Component[] {
  const { data } = volume;
  const [nx, ny, nz] = volume.dims;
  const [gx, gy] = region.gridDims;
  const [cx, cy, cz] = region.cellOf;
  const cells = region.cells;
  // Only the region's bounding box is scanned (from the grid: cells are few).
  const gz = region.gridDims[2];
  const cLo = [Infinity, Infinity, Infinity];
  const cHi = [-1, -1, -1];
  for (let c = 0, z = 0; z < gz; z++)
    for (let y = 0; y < gy; y++)
      for (let x = 0; x < gx; x++, c++)
        if (cells[c]) {
          const g = [x, y, z];
          for (let a = 0; a < 3; a++) {
            if (g[a]! < cLo[a]!) cLo[a] = g[a]!;
            if (g[a]! > cHi[a]!) cHi[a] = g[a]!;
          }
        }
  const lo = [0, 1, 2].map((a) => region.cellOf[a]!.findIndex((c) => c >= cLo[a]!));
  const hi = [0, 1, 2].map((a) => {
    const of = region.cellOf[a]!;
    let i = of.length - 1;
    while (i >= 0 && of[i]! > cHi[a]!) i--;
    return i;
  });
  if (cHi[0]! < 0 || lo.includes(-1)) return [];
  const visited = new Uint8Array(nx * ny * nz);
  const flood = new Flood(volume, limits);
  const found: Component[] = [];
  for (let k = lo[2]!; k <= hi[2]!; k++)
    for (let j = lo[1]!; j <= hi[1]!; j++) {
      const row = (k * ny + j) * nx;
      const rowCell = (cz[k]! * gy + cy[j]!) * gx;
      for (let i = lo[0]!; i <= hi[0]!; i++) {
        const seed = row + i;
        if (data[seed]! < threshold || visited[seed] || !cells[rowCell + cx[i]!]) continue;
        const c = flood.dense(seed, visited, threshold, region);
        if (c) found.push(c);
      }
    }
  return found;
}

/** Components of a sparse set of voxels. */
export function setComponents(volume: Volume, set: ReadonlySet<number>, limits: ComponentLimits): Component[] {
  const visited = new Set<number>();
  const mark = { has: (p: number) => visited.has(p), add: (p: number) => visited.add(p) };
  const flood = new Flood(volume, limits);
  const found: Component[] = [];
  for (const seed of set) {
    if (visited.has(seed)) continue;
    const c = flood.run(seed, mark, (q) => set.has(q), () => true);
    if (c) found.push(c);
  }
  return found;
}

interface Marks {
  [index: number]: number;
}
type Visited = Uint8Array | { has(p: number): boolean; add(p: number): unknown };

class Flood {
  private stack = new Int32Array(1 << 16);
  private readonly list: number[] = [];
  constructor(
    private readonly volume: Volume,
    private readonly limits: ComponentLimits,
  ) {}

  /**
   * `run` for dense voxels in a cell region, without closures and by runs along x (the skull's band is
   * millions of voxels: each row of a run's neighbourhood is read once, not each voxel's 26 neighbours).
   */
  dense(seed: number, visited: Uint8Array, threshold: number, region: CellRegion): Component | undefined {
    const { data } = this.volume;
    const [nx, ny, nz] = this.volume.dims;
    const plane = nx * ny;
    const [gx, gy] = region.gridDims;
    const [cx, cy, cz] = region.cellOf;
    const cells = region.cells;
    const { maxExtent, maxVoxels } = this.limits;
    const list = this.list;
    list.length = 0;
    let top = 0;
    this.stack[top++] = seed;
    let big = false;
    let truncated = false;
    const s0 = seed % nx;
    const s1 = Math.floor(seed / nx) % ny;
    const s2 = Math.floor(seed / plane);
    let x0 = s0, x1 = s0, y0 = s1, y1 = s1, z0 = s2, z1 = s2;
    while (top > 0) {
      const p = this.stack[--top]!;
      if (visited[p]) continue;
      const x = p % nx;
      const y = ((p - x) / nx) % ny;
      const z = (p - x - y * nx) / plane;
      const row = p - x;
      const rowCell = (cz[z]! * gy + cy[y]!) * gx;
      // The run through p: dense, in the region, not yet visited (runs are always visited whole).
      let a = x;
      while (a > 0 && !visited[row + a - 1] && data[row + a - 1]! >= threshold) {
        if (!cells[rowCell + cx[a - 1]!]) {
          truncated = true;
          break;
        }
        a--;
      }
      let b = x;
      while (b < nx - 1 && !visited[row + b + 1] && data[row + b + 1]! >= threshold) {
        if (!cells[rowCell + cx[b + 1]!]) {
          truncated = true;
          break;
        }
        b++;
      }
      for (let i = a; i <= b; i++) visited[row + i] = 1;
      if (!big) {
        for (let i = a; i <= b; i++) list.push(row + i);
        if (a < x0) x0 = a;
        if (b > x1) x1 = b;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (z < z0) z0 = z;
        if (z > z1) z1 = z;
        if (list.length > maxVoxels || x1 - x0 >= maxExtent[0] || y1 - y0 >= maxExtent[1] || z1 - z0 >= maxExtent[2]) big = true;
      }
      // The 8 neighbouring rows, from a − 1 to b + 1: each new stretch of dense voxels is pushed once.
      const lo = a > 0 ? a - 1 : 0;
      const hi = b < nx - 1 ? b + 1 : nx - 1;
      for (let dz = z > 0 ? -1 : 0; dz <= (z < nz - 1 ? 1 : 0); dz++)
        for (let dy = y > 0 ? -1 : 0; dy <= (y < ny - 1 ? 1 : 0); dy++) {
          if (dz === 0 && dy === 0) continue;
          const next = row + dz * plane + dy * nx;
          const nextCell = (cz[z + dz]! * gy + cy[y + dy]!) * gx;
          let open = false;
          for (let i = lo; i <= hi; i++) {
            const q = next + i;
            if (visited[q] || data[q]! < threshold) {
              open = false;
              continue;
            }
            if (!cells[nextCell + cx[i]!]) {
              truncated = true;
              open = false;
              continue;
            }
            if (open) continue;
            open = true;
            if (top === this.stack.length) {
              const grown = new Int32Array(this.stack.length * 2);
              grown.set(this.stack);
              this.stack = grown;
            }
            this.stack[top++] = q;
          }
        }
    }
    return big ? undefined : component(list, [x0, x1, y0, y1, z0, z1], truncated);
  }

  run(seed: number, visited: Visited, accept: (p: number) => boolean, inRegion: (x: number, y: number, z: number) => boolean): Component | undefined {
    const [nx, ny, nz] = this.volume.dims;
    const plane = nx * ny;
    const { maxExtent, maxVoxels } = this.limits;
    const isVisited = visited instanceof Uint8Array ? (p: number) => (visited as Marks)[p] === 1 : (p: number) => visited.has(p);
    const setVisited = visited instanceof Uint8Array ? (p: number) => ((visited as Marks)[p] = 1) : (p: number) => visited.add(p);
    const list = this.list;
    list.length = 0;
    setVisited(seed);
    let top = 0;
    this.stack[top++] = seed;
    let big = false;
    let truncated = false;
    const s0 = seed % nx;
    const s1 = Math.floor(seed / nx) % ny;
    const s2 = Math.floor(seed / plane);
    let x0 = s0, x1 = s0, y0 = s1, y1 = s1, z0 = s2, z1 = s2;
    while (top > 0) {
      const p = this.stack[--top]!;
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
        if (list.length > maxVoxels || x1 - x0 >= maxExtent[0] || y1 - y0 >= maxExtent[1] || z1 - z0 >= maxExtent[2]) big = true;
      }
      const zLo = z > 0 ? -1 : 0;
      const zHi = z < nz - 1 ? 1 : 0;
      const yLo = y > 0 ? -1 : 0;
      const yHi = y < ny - 1 ? 1 : 0;
      const xLo = x > 0 ? -1 : 0;
      const xHi = x < nx - 1 ? 1 : 0;
      for (let dz = zLo; dz <= zHi; dz++)
        for (let dy = yLo; dy <= yHi; dy++)
          for (let dx = xLo; dx <= xHi; dx++) {
            const q = p + dz * plane + dy * nx + dx;
            if (isVisited(q) || !accept(q)) continue;
            if (!inRegion(x + dx, y + dy, z + dz)) {
              truncated = true;
              continue;
            }
            setVisited(q);
            if (top === this.stack.length) {
              const grown = new Int32Array(this.stack.length * 2);
              grown.set(this.stack);
              this.stack = grown;
            }
            this.stack[top++] = q;
          }
    }
    return big ? undefined : component(list, [x0, x1, y0, y1, z0, z1], truncated);
  }
}

function component(list: readonly number[], b: readonly number[], truncated: boolean): Component {
  return {
    indices: Uint32Array.from(list),
    bounds: [
      [b[0]!, b[1]!],
      [b[2]!, b[3]!],
      [b[4]!, b[5]!],
    ],
    truncated,
  };
}
