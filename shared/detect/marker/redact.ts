// Removing markers: each accepted finding's voxels, grown by about
// `dilateMm` (the partial-volume rim), are filled from the outside in (an
// onion peel): every voxel takes the distance-weighted mean of its already
// known neighbours. A mark in the skin is filled from soft tissue only (air
// around it stays air, bone and marker rims are not copied in), so the skin
// is continued and the surface does not recede; an object outside the body
// is filled from the air around it. The changes come back per slice, for an
// exporter to write back.
import type { Volume } from '../face/volume';
import { findSkinMarkers, type MarkerFinding, type MarkerOptions } from './detect';

export interface SliceChanges {
  /** Voxel indices within the slice (column + row × columns). */
  indices: Uint32Array;
  values: Int16Array | Float32Array;
}

export interface MarkerRedaction {
  /** A copy of the volume with the markers filled. */
  volume: Volume;
  /** Slice index → the voxels changed in it and their new values. */
  changes: Map<number, SliceChanges>;
  /** Voxels changed in all. */
  voxels: number;
}

export interface RedactOptions {
  /** Growth around each finding (mm, a ball; at least the face neighbours). */
  dilateMm: number;
  /** Values at or below this are air (CT: −300 HU); used for external objects. */
  airBelow: number;
  /** Known neighbours at or above this (CT: the detector's 250 HU) are marker rims or bone: not copied in while others exist. */
  denseAbove: number;
}

export const defaultRedactOptions: RedactOptions = { dilateMm: 2, airBelow: -300, denseAbove: 250 };

/** Options for a volume's modality: MR has no air or density scale. */
export function redactOptionsFor(volume: Volume): RedactOptions {
  return volume.modality === 'CT' ? defaultRedactOptions : { ...defaultRedactOptions, airBelow: -Infinity, denseAbove: Infinity };
}

/**
 * Fills the findings' voxels in a copy of the volume. With `recheck`, the
 * result is searched again and what turns up where a marker was (the rest of
 * a marker merged with bone, whose top was all that showed) and touches a
 * filled region is filled too, up to `rounds` times.
 */
export function redactMarkers(volume: Volume, findings: readonly MarkerFinding[], options: Partial<RedactOptions> & { recheck?: Partial<MarkerOptions>; rounds?: number } = {}): MarkerRedaction {
  const o = { ...redactOptionsFor(volume), ...options };
  const out: Volume = { ...volume, data: volume.data.slice() };
  const filled = new Set<number>();
  let batch = findings;
  for (let round = 0; round < (options.recheck ? (options.rounds ?? 3) : 1) && batch.length > 0; round++) {
    const region = fill(out, batch, o);
    for (const p of region) filled.add(p);
    if (!options.recheck) break;
    // Only what touches a filled region: the rest of a marker, not bone that happens to be near.
    batch = findSkinMarkers(out, options.recheck)
      .map((f) => ({ ...f, indices: f.indices.filter((p) => near(volume, p, filled)) }))
      .filter((f) => f.indices.length > 0);
  }
  const { changes, voxels } = sliceChanges(volume, out, filled);
  return { volume: out, changes, voxels };
}

/** The voxels among `candidates` whose value `after` differs from `before`, per slice (as an exporter writes them). */
export function sliceChanges(before: Volume, after: Volume, candidates: Iterable<number>): { changes: Map<number, SliceChanges>; voxels: number } {
  const plane = before.dims[0] * before.dims[1];
  const data = after.data;
  const bySlice = new Map<number, number[]>();
  for (const p of candidates) {
    if (data[p] === before.data[p]) continue;
    const k = Math.floor(p / plane);
    let list = bySlice.get(k);
    if (!list) bySlice.set(k, (list = []));
    list.push(p);
  }
  const changes = new Map<number, SliceChanges>();
  let voxels = 0;
  for (const [k, list] of [...bySlice.entries()].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a - b);
    const values = data instanceof Int16Array ? new Int16Array(list.length) : new Float32Array(list.length);
    list.forEach((p, n) => (values[n] = data[p]!));
    changes.set(k, { indices: Uint32Array.from(list, (p) => p - k * plane), values });
    voxels += list.length;
  }
  return { changes, voxels };
}

/** Whether voxel p or one of its 26 neighbours is in the set. */
function near(volume: Volume, p: number, set: Set<number>): boolean {
  const [nx, ny] = volume.dims;
  for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (set.has(p + (dz * ny + dy) * nx + dx)) return true;
  return false;
}

/** Fills the findings' regions in `volume.data` in place; returns the voxels of the regions. */
function fill(volume: Volume, findings: readonly MarkerFinding[], o: RedactOptions): number[] {
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const data = volume.data;
  // 0: known; 1: to fill, inside; 2: to fill, an external object (air only where there is air).
  const todo = new Map<number, number>();
  // A ball (not a box: its corners would reach √3 times as far), at least the 6 face neighbours.
  const [sx, sy, sz] = volume.spacing;
  const r = volume.spacing.map((s) => Math.max(1, Math.floor(o.dilateMm / s)));
  const ball: Array<[number, number, number]> = [];
  for (let dz = -r[2]!; dz <= r[2]!; dz++)
    for (let dy = -r[1]!; dy <= r[1]!; dy++)
      for (let dx = -r[0]!; dx <= r[0]!; dx++) {
        const mm = Math.hypot(dx * sx, dy * sy, dz * sz);
        if (mm <= o.dilateMm || Math.abs(dx) + Math.abs(dy) + Math.abs(dz) <= 1) ball.push([dx, dy, dz]);
      }
  for (const f of findings) {
    const mark = f.kind === 'external-object' ? 2 : 1;
    for (const p of f.indices) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / plane);
      for (const [dx, dy, dz] of ball) {
        const x = i + dx;
        const y = j + dy;
        const z = k + dz;
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
        const q = (z * ny + y) * nx + x;
        // Air around a mark in the skin stays air: the skin is continued, not grown.
        if (mark === 1 && data[q]! <= o.airBelow && !todo.has(q)) continue;
        todo.set(q, Math.max(todo.get(q) ?? 0, mark));
      }
    }
  }
  const filled = [...todo.keys()];
  peelFill(volume, todo, o);
  return filled;
}

/**
 * The onion peel: each layer of `todo` voxels next to known ones takes the distance-weighted
 * mean of its known 26 neighbours — soft tissue's when there is any (bone rims and air are not
 * copied in), air's for an external object (`todo` value 2). With `waitForSoft`, a voxel waits
 * until a soft-tissue neighbour is known (a painted region at the skin does not start from the
 * air over it); walled in by air and bone, the last voxels take whatever is around them.
 */
export function peelFill(
  volume: Volume,
  todo: ReadonlyMap<number, number>,
  o: { airBelow: number; denseAbove: number; waitForSoft?: boolean },
): void {
  const [nx, ny, nz] = volume.dims;
  const [sx, sy, sz] = volume.spacing;
  const data = volume.data;
  const integral = data instanceof Int16Array;
  let waiting = o.waitForSoft === true;
  let remaining = new Set(todo.keys());
  while (remaining.size > 0) {
    const layer: Array<[number, number]> = [];
    for (const p of remaining) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / (nx * ny));
      let sum = 0;
      let total = 0;
      let airSum = 0;
      let airTotal = 0;
      let softSum = 0;
      let softTotal = 0;
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const x = i + dx;
            const y = j + dy;
            const z = k + dz;
            if ((dx | dy | dz) === 0 || x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
            const q = (z * ny + y) * nx + x;
            if (remaining.has(q)) continue;
            const w = 1 / ((dx * sx) ** 2 + (dy * sy) ** 2 + (dz * sz) ** 2);
            const v = data[q]!;
            sum += w * v;
            total += w;
            if (v <= o.airBelow) {
              airSum += w * v;
              airTotal += w;
            } else if (v < o.denseAbove) {
              softSum += w * v;
              softTotal += w;
            }
          }
      if (total === 0 || (waiting && softTotal === 0)) continue;
      const value = todo.get(p) === 2 && airTotal > 0 ? airSum / airTotal : softTotal > 0 ? softSum / softTotal : sum / total;
      layer.push([p, value]);
    }
    if (layer.length === 0) {
      if (!waiting) break; // nothing known around what is left (a whole volume marked)
      waiting = false;
      continue;
    }
    for (const [p, value] of layer) data[p] = integral ? Math.round(value) : value;
    const next = new Set(remaining);
    for (const [p] of layer) next.delete(p);
    remaining = next;
  }
}
