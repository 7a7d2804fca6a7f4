// MR (and other non-CT): focal signal voids at the skin. Ink with iron oxide
// or metal on the skin blots out the signal around it: a dark lens of several
// mm to cm that replaces the bright skin and fat and often opens a notch in
// the outline. The intensity edge retreats into such a notch, so depth is
// measured from where the body *should* end: each slice's outline closed over
// notches up to `closeMm` wide (`voidsOutline.ts`). Voids are the dark voxels
// inside that outline and shallow under it (the skin and fat: the skull, dark
// too, lies deeper), grouped in 3D; a void reaches the outline's rim (the skin
// is gone), is focal (not a band along the outline, nor an ear's pocket
// through five slices), darker than the shell around it in its own slices,
// and has no like patch at its mirror image across the head's midline (ears,
// the outer corners of the eyes and other concavities the closing bridges
// come in pairs; a tattoo rarely does).
import { voxelToPatient, type Vec3, type Volume } from '../face/volume';
import type { MarkerFinding, MarkerOptions } from './detect';
import type { BodyShell } from './geometry';
import { closedOutlines, mirrorOf, type Outlines } from './voidsOutline';

/** Notches in the outline up to about this wide (mm) are bridged: a void opening to the air cuts one. */
const closeMm = 20;
/** Dark voxels at most this deep under the closed outline seed a void (mm): the skin and the fat, not the skull. */
const seedMm = 2.6;
/** The outline's own rim (partial volume with the air) is dim everywhere: seeds in tissue lie deeper than this (mm). */
const rimMm = 1.3;
/** Smallest void: its seeds span at least this in-plane (mm). */
const minVoidMm = 4;
/** Fewest voxels: a 4 mm void's seeds in 0.9 mm pixels. */
const minVoxels = 8;
/** A void replaces the skin: at least this many of its voxels lie in the closed outline's rim (dark skull under thin scalp does not). */
const minSurface = 2;
/** Voids this close to the image's sides (mm) are cut by the field of view (a nose, a forehead): not judged. */
const edgeMm = 8;
/** Largest void (mm, in-plane; across slices, between the outer slices' centres): longer dark stretches along the outline are anatomy or a coil's shading. */
const maxVoidMm = 30;
/** Seed components within this (mm, in-plane) of a candidate's mirror image across the midline are its pair. */
const mirrorMm = 20;
/** Paired anatomy unless the candidate is more than this many times its pair's size (a void over an ear grows that side's patch). */
const mirrorGrowth = 3.5;
/** Seed specks smaller than this (voxels) are noise at the rim, not half of a pair. */
const pairVoxels = 8;
/** Voids this close to the midline (mm) have no mirror to look for. */
const midlineMm = 10;
/** The shell around a void, for its local reference: this far along the outline (mm). */
const ringMm = 15;

interface Candidate {
  indices: number[];
  bounds: [[number, number], [number, number], [number, number]];
  /** Centre (voxel coordinates). */
  at: Vec3;
  /** Darkest value. */
  low: number;
  mean: number;
  /** Local reference: the shell's median around it. */
  ref: number;
  /** Fraction of the voxels that are air in a bridged notch (below the body threshold). */
  notch: number;
  /** Voxels in the closed outline's own rim: where the skin should be and is not. */
  surface: number;
}

export function signalVoids(volume: Volume, shell: BodyShell, o: MarkerOptions): MarkerFinding[] {
  const outlines = closedOutlines(volume, shell, closeMm);
  const components = seedComponents(volume, outlines, o.voidRatio);
  const judged = components.filter((c) => focal(volume, c) && darkAgainstShell(volume, outlines, c, o.voidRatio));
  const kept = judged.filter((c) => !mirrored(volume, outlines, c, components));
  return kept.map((c) => toFinding(volume, c));
}

/** 26-connected components of the seed voxels (dark, inside the closed outline, shallow under it, off the image's edge). */
function seedComponents(volume: Volume, outlines: Outlines, ratio: number): Candidate[] {
  const { data } = volume;
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const seed = new Uint8Array(nx * ny * nz);
  const edge = 1;
  const seedSq = seedMm * seedMm;
  const rimSq = rimMm * rimMm;
  let any = false;
  for (let k = 0; k < nz; k++) {
    const s = outlines.slices[k];
    if (!s) continue;
    const limit = ratio * s.ref;
    for (let j = edge; j < ny - edge; j++)
      for (let i = edge; i < nx - edge; i++) {
        const p = j * nx + i;
        const d = s.depthSq[p]!;
        if (!s.closed[p] || d > seedSq) continue;
        const v = data[k * plane + p]!;
        // Air in a bridged notch, or dark tissue below the outline's dim rim.
        if (v < limit && (!s.body[p] || d > rimSq)) {
          seed[k * plane + p] = 1;
          any = true;
        }
      }
  }
  const out: Candidate[] = [];
  if (!any) return out;
  const stack: number[] = [];
  for (let start = 0; start < seed.length; start++) {
    if (seed[start] !== 1) continue;
    seed[start] = 2;
    stack.push(start);
    const indices: number[] = [];
    while (stack.length) {
      const p = stack.pop()!;
      indices.push(p);
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / plane);
      for (let dz = -1; dz <= 1; dz++)
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const x = i + dx;
            const y = j + dy;
            const z = k + dz;
            if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
            const q = (z * ny + y) * nx + x;
            if (seed[q] === 1) {
              seed[q] = 2;
              stack.push(q);
            }
          }
    }
    out.push(describe(volume, outlines, indices));
  }
  return out;
}

function describe(volume: Volume, outlines: Outlines, indices: number[]): Candidate {
  const { data } = volume;
  const [nx, ny] = volume.dims;
  const plane = nx * ny;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  const at = [0, 0, 0];
  let low = Infinity;
  let sum = 0;
  let notch = 0;
  let surface = 0;
  const rimSq = rimMm * rimMm;
  for (const p of indices) {
    const c = [p % nx, Math.floor(p / nx) % ny, Math.floor(p / plane)];
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, c[a]!);
      hi[a] = Math.max(hi[a]!, c[a]!);
      at[a] += c[a]!;
    }
    const v = data[p]!;
    low = Math.min(low, v);
    sum += v;
    const s = outlines.slices[c[2]!]!;
    if (!s.body[p - c[2]! * plane]) notch++;
    if (s.depthSq[p - c[2]! * plane]! <= rimSq) surface++;
  }
  const n = indices.length;
  return {
    indices,
    bounds: [
      [lo[0]!, hi[0]!],
      [lo[1]!, hi[1]!],
      [lo[2]!, hi[2]!],
    ],
    at: [at[0]! / n, at[1]! / n, at[2]! / n],
    low,
    mean: sum / n,
    ref: NaN,
    notch: notch / n,
    surface,
  };
}

/** In-plane span (mm) of a candidate in its widest slice. */
function span(volume: Volume, c: Candidate): number {
  const [nx, ny] = volume.dims;
  const plane = nx * ny;
  const per = new Map<number, [number, number, number, number]>();
  for (const p of c.indices) {
    const k = Math.floor(p / plane);
    const i = p % nx;
    const j = Math.floor(p / nx) % ny;
    const b = per.get(k) ?? [i, i, j, j];
    per.set(k, [Math.min(b[0], i), Math.max(b[1], i), Math.min(b[2], j), Math.max(b[3], j)]);
  }
  let widest = 0;
  for (const b of per.values()) widest = Math.max(widest, Math.hypot((b[1] - b[0] + 1) * volume.spacing[0], (b[3] - b[2] + 1) * volume.spacing[1]));
  return widest;
}

/** Wide enough not to be a skin fold or noise, short enough not to be a band along the outline. */
function focal(volume: Volume, c: Candidate): boolean {
  const s = span(volume, c);
  const [nx, ny] = volume.dims;
  const ex = edgeMm / volume.spacing[0];
  const ey = edgeMm / volume.spacing[1];
  const b = c.bounds;
  if (b[0][0] < ex || b[0][1] > nx - 1 - ex || b[1][0] < ey || b[1][1] > ny - 1 - ey) return false;
  // Across slices too: an ear's pocket goes on through five or more 7 mm slices.
  const tall = (b[2][1] - b[2][0]) * volume.spacing[2];
  return s >= minVoidMm && s <= maxVoidMm && tall <= maxVoidMm && c.indices.length >= minVoxels && c.surface >= minSurface;
}

/** The candidate is darker than `ratio` × the shell's median around it (same slices, within `ringMm`). */
function darkAgainstShell(volume: Volume, outlines: Outlines, c: Candidate, ratio: number): boolean {
  const { data, spacing } = volume;
  const [nx, ny] = volume.dims;
  const plane = nx * ny;
  const inC = new Set(c.indices);
  const values: number[] = [];
  const r = [Math.ceil(ringMm / spacing[0]), Math.ceil(ringMm / spacing[1])];
  const shellSq = (seedMm + 1.5) ** 2;
  const rimSq = rimMm * rimMm;
  for (let k = c.bounds[2][0]; k <= c.bounds[2][1]; k++) {
    const s = outlines.slices[k]!;
    for (let j = Math.max(0, c.bounds[1][0] - r[1]!); j <= Math.min(ny - 1, c.bounds[1][1] + r[1]!); j++)
      for (let i = Math.max(0, c.bounds[0][0] - r[0]!); i <= Math.min(nx - 1, c.bounds[0][1] + r[0]!); i++) {
        const p = j * nx + i;
        if (!s.body[p] || inC.has(k * plane + p)) continue;
        const d = s.depthSq[p]!;
        if (d > rimSq && d <= shellSq) values.push(data[k * plane + p]!);
      }
  }
  if (values.length < 20) return false;
  values.sort((a, b) => a - b);
  c.ref = values[Math.floor(values.length / 2)]!;
  return c.mean < ratio * c.ref;
}

/**
 * Paired anatomy: seed components near this one's mirror image across the midline (of any
 * in-plane size: one side of a pair is often an ear's whole pocket) hold at least
 * 1 / `mirrorGrowth` of its voxels.
 */
function mirrored(volume: Volume, outlines: Outlines, c: Candidate, all: readonly Candidate[]): boolean {
  const sx = volume.spacing[0];
  const sy = volume.spacing[1];
  const m = mirrorOf(outlines.slices[Math.round(c.at[2])]!, volume.spacing, c.at[0], c.at[1]);
  if (m.offMm < midlineMm) return false;
  let mass = 0;
  for (const d of all)
    if (
      d !== c &&
      d.indices.length >= pairVoxels &&
      d.surface > 0 &&
      Math.hypot((d.at[0] - m.x) * sx, (d.at[1] - m.y) * sy) <= mirrorMm &&
      d.bounds[2][0] <= c.bounds[2][1] + 1 &&
      d.bounds[2][1] >= c.bounds[2][0] - 1
    )
      mass += d.indices.length;
  return c.indices.length <= mirrorGrowth * mass;
}

function toFinding(volume: Volume, c: Candidate): MarkerFinding {
  const { spacing } = volume;
  const sizeMm = [0, 1, 2].map((a) => (c.bounds[a]![1] - c.bounds[a]![0] + 1) * spacing[a]!) as Vec3;
  const darkness = 1 - c.mean / Math.max(1, c.ref);
  return {
    id: 0,
    kind: 'signal-void',
    centre: voxelToPatient(volume, c.at[0], c.at[1], c.at[2]),
    sizeMm,
    diameterMm: Math.max(...sizeMm),
    voxels: c.indices.length,
    peak: c.low,
    depthMm: [0, seedMm],
    confidence: Math.round((0.4 + 0.4 * Math.min(1, darkness) + 0.2 * c.notch) * 100) / 100,
    bounds: c.bounds,
    indices: Uint32Array.from(c.indices),
  };
}
