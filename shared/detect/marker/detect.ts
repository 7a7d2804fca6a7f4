// Skin markers (issue 6): small dense things in the skin or on it (CT:
// radiotherapy tattoos, metal-bearing ink, BBs, piercings, clips) and focal
// signal voids at the skin (MR: susceptibility from ink or metal).
//
// CT: components of voxels ≥ `denseHu` near the body; a marker is small
// (≤ `maxSizeMm` on every axis), its shallowest voxel is at the surface
// (≤ `entryDepthMm` below the outside air), its deepest is in the shell
// (≤ `shellDepthMm`), it touches the body (≤ `attachMm`), and no bone bared to
// the outside lies near it (a defacing's cut: skin covers bone). The skull is one
// large component (the scalp over it is never marker-thin), a head holder or
// table is large or away from the body, calcifications are deep.
import { segmentSkin, type SkinMask } from '../face/skin';
import { voxelToPatient, type Vec3, type Volume } from '../face/volume';
import { denseComponents, setComponents, type Component, type ComponentLimits } from './components';
import { squaredDistance } from './distance';
import { bodyShell, cellIndex, type BodyShell } from './geometry';
import { signalVoids } from './voids';

export type MarkerKind = 'dense-in-shell' | 'external-object' | 'signal-void';

export interface MarkerFinding {
  id: number;
  kind: MarkerKind;
  /** LPS position (mm), intensity-weighted centre. */
  centre: Vec3;
  /** Extent (mm) along the volume's columns, rows and slices. */
  sizeMm: Vec3;
  /** Largest of `sizeMm`. */
  diameterMm: number;
  voxels: number;
  /** Highest value (CT: HU) or, for a signal void, the lowest. */
  peak: number;
  /** Shallowest and deepest voxel below the outside air (mm); 0 at or above the surface. */
  depthMm: [number, number];
  confidence: number;
  /** Voxel index bounds: [min, max] per axis, inclusive. */
  bounds: [[number, number], [number, number], [number, number]];
  /** The component's voxel indices in the volume (x fastest): what redaction replaces. */
  indices: Uint32Array;
}

export interface MarkerOptions {
  /** CT: a marker voxel is at least this (HU). */
  denseHu: number;
  /** Largest extent of a marker on any axis (mm). */
  maxSizeMm: number;
  /** A marker's shallowest voxel lies at most this far below the outside air (mm). */
  entryDepthMm: number;
  /** A marker merged with bone (thin scalp): its shallowest voxel lies at most this far below the outside air (mm). */
  boneEntryMm: number;
  /**
   * On bone: the shallow bone at least `ringMm` away from the marker (its 20th percentile of depth,
   * within the shell) lies at least `protrudeMm` deeper than the marker's top.
   */
  ringMm: number;
  protrudeMm: number;
  /** A marker's deepest voxel lies at most this far below the outside air (mm). */
  shellDepthMm: number;
  /** An object at least a quarter outside the body (a piercing) may reach this deep (mm). */
  piercingDepthMm: number;
  /** An object outside the body touches it within this (mm). */
  attachMm: number;
  /** How far outside the body objects are looked at (mm); what goes on beyond is not on the body. */
  searchMm: number;
  /**
   * Skin, not bared bone: within `bareMm` of a marker (and ≥ `ringMm` from it), at most `bareMm2` (mm²)
   * of the body's surface may be ≥ `bareHu` (a defacing's cut bares bone; natural skin never does).
   */
  bareMm: number;
  bareHu: number;
  bareMm2: number;
  /** MR: a void is at most this fraction of its bright surroundings. */
  voidRatio: number;
  /** A skin mask already computed for this volume. */
  skin?: SkinMask;
}

export const defaultMarkerOptions: MarkerOptions = {
  denseHu: 250,
  maxSizeMm: 15,
  entryDepthMm: 2.5,
  boneEntryMm: 0,
  ringMm: 3,
  protrudeMm: 2.75,
  shellDepthMm: 6,
  piercingDepthMm: 9,
  attachMm: 4,
  searchMm: 20,
  bareMm: 10,
  bareHu: 200,
  bareMm2: 10,
  voidRatio: 0.2,
};

/** Markers in a CT or MR volume (other modalities: none). */
export function findSkinMarkers(volume: Volume, options: Partial<MarkerOptions> = {}): MarkerFinding[] {
  const o = { ...defaultMarkerOptions, ...options };
  // Other modalities (PET, dose grids, ultrasound) have neither a density scale nor susceptibility voids.
  if (volume.modality !== 'CT' && volume.modality !== 'MR') return [];
  const skin = o.skin ?? segmentSkin(volume);
  if (skin.voxels === 0) return [];
  const shell = bodyShell(volume, skin);
  const found = volume.modality === 'CT' ? denseMarkers(volume, shell, o) : signalVoids(volume, shell, o);
  return found.map((f, id) => ({ ...f, id }));
}

function denseMarkers(volume: Volume, shell: BodyShell, o: MarkerOptions): MarkerFinding[] {
  const [nx, ny] = volume.dims;
  const reach = Math.ceil(o.searchMm / Math.min(...shell.cellMm));
  // Deep enough for the deepest marker voxel, with a cell to spare; the skull's interior and the brain are not looked at.
  const deep = Math.ceil(o.shellDepthMm / Math.min(...shell.cellMm)) + 1;
  const cells = new Uint8Array(shell.outside.length);
  for (let c = 0; c < cells.length; c++) cells[c] = shell.outside[c]! <= reach && shell.inside[c]! <= deep ? 1 : 0;
  const components = denseComponents(volume, o.denseHu, { cells, gridDims: shell.skin.dims, cellOf: shell.cellOf }, limitsFor(volume, o));
  const findings: MarkerFinding[] = [];
  const small = new Set<number>();
  for (const c of components) for (const p of c.indices) small.add(p);
  for (const c of [...components, ...attachedToBone(volume, shell, small, o).map((b) => ({ ...b, onBone: true }))]) {
    // Cut by the region's edge or by the scan's: what goes on beyond can't be judged small.
    if (c.truncated || c.bounds.some(([a, b], axis) => a === 0 || b === volume.dims[axis]! - 1)) continue;
    // Deep everywhere by the grid alone (a calcification, a tooth): no need to measure.
    let shallowest = Infinity;
    for (const p of c.indices) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      shallowest = Math.min(shallowest, shell.inside[cellIndex(shell, i, j, k)]!);
    }
    if ((shallowest - 2) * Math.min(...shell.cellMm) > o.entryDepthMm) continue;
    const judged = judgeDense(volume, shell, c, o);
    if (judged) findings.push(judged);
  }
  return findings;
}

/**
 * Markers touching a large dense structure: over the skull the scalp can be
 * 3 mm thin, and a marker in it merges with the bone. The bone itself stays
 * deeper than `boneEntryMm` below the outside air; a marker does not. Seeds
 * are dense voxels of large components (not in `small`) that close to the
 * air, grouped into components.
 */
function attachedToBone(volume: Volume, shell: BodyShell, small: Set<number>, o: MarkerOptions): Component[] {
  const { data, spacing } = volume;
  const [nx, ny, nz] = volume.dims;
  const threshold = shell.skin.threshold;
  const reach = o.boneEntryMm + Math.max(...spacing);
  const offsets: number[][] = [];
  const r = spacing.map((s) => Math.floor(reach / s));
  for (let dz = -r[2]!; dz <= r[2]!; dz++)
    for (let dy = -r[1]!; dy <= r[1]!; dy++)
      for (let dx = -r[0]!; dx <= r[0]!; dx++) {
        const mm = Math.hypot(dx * spacing[0], dy * spacing[1], dz * spacing[2]);
        if (mm <= reach) offsets.push([dx, dy, dz, mm]);
      }
  offsets.sort((a, b) => a[3]! - b[3]!);
  const nearAir = (i: number, j: number, k: number) => {
    for (const [dx, dy, dz] of offsets) {
      const x = i + dx!;
      const y = j + dy!;
      const z = k + dz!;
      if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
      if (data[(z * ny + y) * nx + x]! <= threshold && shell.inside[cellIndex(shell, x, y, z)]! <= 1) return true;
    }
    return false;
  };
  // Rim cells: within two cells of the outside (the grid is ~2 mm, the depth sought ≤ ~3 mm).
  const seeds = new Set<number>();
  const [gx, gy, gz] = shell.skin.dims;
  const [fx, fy, fz] = shell.skin.factor;
  for (let cz = 0; cz < gz; cz++)
    for (let cy = 0; cy < gy; cy++)
      for (let cx = 0; cx < gx; cx++) {
        const rim = shell.inside[(cz * gy + cy) * gx + cx]!;
        if (rim < 1 || rim > 2) continue;
        for (let k = cz * fz; k < Math.min(nz, (cz + 1) * fz); k++)
          for (let j = cy * fy; j < Math.min(ny, (cy + 1) * fy); j++)
            for (let i = cx * fx; i < Math.min(nx, (cx + 1) * fx); i++) {
              const p = (k * ny + j) * nx + i;
              if (data[p]! >= o.denseHu && !small.has(p) && nearAir(i, j, k)) seeds.add(p);
            }
      }
  if (seeds.size === 0) return [];
  return setComponents(volume, seeds, limitsFor(volume, o));
}

function limitsFor(volume: Volume, o: MarkerOptions): ComponentLimits {
  const { spacing } = volume;
  return {
    maxExtent: spacing.map((s) => Math.ceil(o.maxSizeMm / s)) as [number, number, number],
    maxVoxels: Math.ceil(o.maxSizeMm ** 3 / (spacing[0] * spacing[1] * spacing[2])),
  };
}

/** Measures a component's depth and attachment in a box around it; a finding, or undefined. */
function judgeDense(volume: Volume, shell: BodyShell, c: Component & { onBone?: boolean }, o: MarkerOptions): MarkerFinding | undefined {
  const { data, spacing, dims } = volume;
  const [nx, ny] = dims;
  const margin = spacing.map((s) => Math.ceil((Math.max(o.shellDepthMm, o.attachMm) + 1) / s));
  const lo = [0, 1, 2].map((a) => Math.max(0, c.bounds[a]![0] - margin[a]!));
  const hi = [0, 1, 2].map((a) => Math.min(dims[a]! - 1, c.bounds[a]![1] + margin[a]!));
  const bx = hi[0]! - lo[0]! + 1;
  const by = hi[1]! - lo[1]! + 1;
  const bz = hi[2]! - lo[2]! + 1;
  const air = new Uint8Array(bx * by * bz);
  const tissue = new Uint8Array(bx * by * bz);
  const threshold = shell.skin.threshold;
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++) {
        const i = lo[0]! + x;
        const j = lo[1]! + y;
        const k = lo[2]! + z;
        const v = data[(k * ny + j) * nx + i]!;
        const rim = shell.inside[cellIndex(shell, i, j, k)]!;
        const b = (z * by + y) * bx + x;
        // Outside air: below the skin threshold on or beyond the body's rim (not sinuses or airways).
        if (v <= threshold && rim <= 1) air[b] = 1;
        else if (v > threshold && v < o.denseHu && rim >= 1) tissue[b] = 1;
      }
  const box: [number, number, number] = [bx, by, bz];
  const toAir = squaredDistance(air, box, spacing);
  const toTissue = squaredDistance(tissue, box, spacing);
  let outsideVoxels = 0;
  let minDepth = Infinity;
  let maxDepth = 0;
  let attach = Infinity;
  let peak = -Infinity;
  const centre = [0, 0, 0];
  let weight = 0;
  for (const p of c.indices) {
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    const k = Math.floor(p / (nx * ny));
    const b = ((k - lo[2]!) * by + (j - lo[1]!)) * bx + (i - lo[0]!);
    const dAir = Math.sqrt(toAir[b]!);
    const dTissue = Math.sqrt(toTissue[b]!);
    const outside = dAir < dTissue;
    if (outside) outsideVoxels++;
    // Voxel centres next to air are about half a voxel deep: count the surface layer as depth 0.
    const depth = outside ? 0 : Math.max(0, dAir - Math.min(...spacing));
    minDepth = Math.min(minDepth, depth);
    if (!outside) maxDepth = Math.max(maxDepth, depth);
    attach = Math.min(attach, dTissue);
    const v = data[p]!;
    if (v > peak) peak = v;
    const w = v - o.denseHu + 1;
    centre[0] += i * w;
    centre[1] += j * w;
    centre[2] += k * w;
    weight += w;
  }
  // On bone, a marker rises above the bone around it: the bone 3 mm and more away lies deeper
  // (the ear canal's and the nasal bones' surroundings are as shallow as they are).
  let ringDepth = Infinity;
  let minAir = Infinity;
  const ring: number[] = [];
  if (c.onBone) {
    for (const p of c.indices) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      minAir = Math.min(minAir, toAir[((k - lo[2]!) * by + (j - lo[1]!)) * bx + (i - lo[0]!)]!);
    }
    for (let z = 0; z < bz; z++)
      for (let y = 0; y < by; y++)
        for (let x = 0; x < bx; x++) {
          const i = lo[0]! + x;
          const j = lo[1]! + y;
          const k = lo[2]! + z;
          const gap = Math.max(
            Math.max(c.bounds[0][0] - i, i - c.bounds[0][1], 0) * spacing[0],
            Math.max(c.bounds[1][0] - j, j - c.bounds[1][1], 0) * spacing[1],
            Math.max(c.bounds[2][0] - k, k - c.bounds[2][1], 0) * spacing[2],
          );
          if (gap < o.ringMm || data[(k * ny + j) * nx + i]! < o.denseHu) continue;
          const d = Math.sqrt(toAir[(z * by + y) * bx + x]!);
          if (d <= o.shellDepthMm) ring.push(d);
        }
    ring.sort((a, b) => a - b);
    ringDepth = ring.length ? ring[Math.floor(ring.length * 0.2)]! : Infinity;
    minAir = Math.sqrt(minAir);
    if (ringDepth - minAir < o.protrudeMm) return undefined;
  }
  let indices = c.indices;
  if (c.onBone && minDepth <= o.entryDepthMm && maxDepth <= o.shellDepthMm && attach <= o.attachMm) {
    // The whole marker, not only its top: the dense voxels joined to it that rise above the bone around (1 mm or more).
    const level = ringDepth - 1;
    const grown = new Set<number>(c.indices);
    const stack = [...c.indices];
    while (stack.length) {
      const p = stack.pop()!;
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const x = i + dx;
            const y = j + dy;
            const z = k + dz;
            if (x < lo[0]! || y < lo[1]! || z < lo[2]! || x > hi[0]! || y > hi[1]! || z > hi[2]!) continue;
            const q = (z * ny + y) * nx + x;
            if (grown.has(q) || data[q]! < o.denseHu) continue;
            if (Math.sqrt(toAir[((z - lo[2]!) * by + (y - lo[1]!)) * bx + (x - lo[0]!)]!) >= level) continue;
            grown.add(q);
            stack.push(q);
          }
    }
    indices = Uint32Array.from(grown).sort();
  }
  // A piercing goes through the skin: partly outside, it may reach deeper than a mark in the skin.
  const piercing = !c.onBone && outsideVoxels >= 0.25 * c.indices.length;
  if (minDepth > o.entryDepthMm || maxDepth > (piercing ? o.piercingDepthMm : o.shellDepthMm) || attach > o.attachMm) return undefined;
  // Bone the outside air reaches (a defacing's cut, a cavity it opened) is not under skin: what shows there is bone.
  if (bareSurface(volume, shell, c.bounds, o) > o.bareMm2) return undefined;
  const at: Vec3 = [centre[0]! / weight, centre[1]! / weight, centre[2]! / weight];
  const external = outsideVoxels * 2 > c.indices.length;
  const sizeMm = [0, 1, 2].map((a) => (c.bounds[a]![1] - c.bounds[a]![0] + 1) * spacing[a]!) as Vec3;
  // Surer the denser and the larger it is; a single-voxel speck near the threshold could be noise.
  const contrast = Math.min(1, (peak - o.denseHu) / 700);
  const bulk = Math.min(1, c.indices.length / 4);
  const confidence = Math.round((0.45 + 0.35 * contrast + 0.2 * bulk) * 100) / 100;
  return {
    id: 0,
    kind: external ? 'external-object' : 'dense-in-shell',
    centre: voxelToPatient(volume, ...at),
    sizeMm,
    diameterMm: Math.max(...sizeMm),
    voxels: indices.length,
    peak,
    depthMm: [Math.round(minDepth * 10) / 10, Math.round(maxDepth * 10) / 10],
    confidence,
    bounds: c.bounds,
    indices,
  };
}

/**
 * Area (mm²) of the body's surface ≥ `bareHu` near a candidate (between `ringMm` and `bareMm` from its
 * bounds): skin always lies over bone, so dense surface there means the outside reaches bone (a
 * defacing's cut, a cavity it opened), and what shows there is bone, not a mark in the skin.
 */
function bareSurface(volume: Volume, shell: BodyShell, bounds: Component['bounds'], o: MarkerOptions): number {
  const { data, spacing } = volume;
  const [nx, ny] = volume.dims;
  const threshold = shell.skin.threshold;
  const r = spacing.map((s) => Math.ceil(o.bareMm / s));
  const lo = [0, 1, 2].map((a) => Math.max(1, bounds[a]![0] - r[a]!));
  const hi = [0, 1, 2].map((a) => Math.min(volume.dims[a]! - 2, bounds[a]![1] + r[a]!));
  const plane = nx * ny;
  const [cx, cy, cz] = shell.cellOf;
  const [gx, gy] = shell.skin.dims;
  const rim = shell.inside;
  // Outside air next to p (6-neighbours): below the skin threshold first (cheap), then on or beyond the rim.
  const airAt = (q: number) => {
    const i = q % nx;
    const j = ((q - i) / nx) % ny;
    const k = (q - i - j * nx) / plane;
    return rim[(cz[k]! * gy + cy[j]!) * gx + cx[i]!]! <= 1;
  };
  let count = 0;
  for (let k = lo[2]!; k <= hi[2]!; k++)
    for (let j = lo[1]!; j <= hi[1]!; j++)
      for (let i = lo[0]!; i <= hi[0]!; i++) {
        const p = (k * ny + j) * nx + i;
        if (data[p]! < o.bareHu) continue;
        const a = data[p - 1]! <= threshold;
        const b = data[p + 1]! <= threshold;
        const c = data[p - nx]! <= threshold;
        const d = data[p + nx]! <= threshold;
        const e = data[p - plane]! <= threshold;
        const f = data[p + plane]! <= threshold;
        if (!(a || b || c || d || e || f)) continue;
        const gap = Math.max(
          Math.max(bounds[0][0] - i, i - bounds[0][1], 0) * spacing[0],
          Math.max(bounds[1][0] - j, j - bounds[1][1], 0) * spacing[1],
          Math.max(bounds[2][0] - k, k - bounds[2][1], 0) * spacing[2],
        );
        if (gap < o.ringMm || rim[cellIndex(shell, i, j, k)]! < 1) continue;
        if ((a && airAt(p - 1)) || (b && airAt(p + 1)) || (c && airAt(p - nx)) || (d && airAt(p + nx)) || (e && airAt(p - plane)) || (f && airAt(p + plane))) count++;
      }
  return count * (spacing[0] * spacing[1] * spacing[2]) ** (2 / 3);
}
