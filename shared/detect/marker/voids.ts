// MR (and other non-CT): focal signal voids at the skin. Ink with iron oxide
// or metal on the skin blots out the signal around it: a dark hole in the
// bright shell under the surface (or a notch in the surface itself), where
// the tissue around is bright. Slice by slice (MR slices are often thick):
// the outline is closed over notches up to `closeMm` wide and its holes
// filled; voids are voxels within `voidShellMm` of it darker than
// `voidRatio` × the shell's median, grouped in 3D, at least `minVoidMm` on
// both in-plane axes (skin folds are thin), and ringed by bright tissue
// rather than air (the ear canal and nostrils go on into air).
import { voxelToPatient, type Vec3, type Volume } from '../face/volume';
import { setComponents } from './components';
import type { MarkerFinding, MarkerOptions } from './detect';
import { squaredDistance } from './distance';
import { fillHoles2d } from '../face/fill';
import type { BodyShell } from './geometry';

/** Notches in the outline up to about this wide (mm) are closed: a void reaching the surface opens one. */
const closeMm = 6;
/** The skin and the fat under it: the skull is dark in MR and lies deeper. */
const voidShellMm = 3.5;
/** Smallest void (mm, in-plane extent on both axes): thinner are skin folds and noise. */
const minVoidMm = 3;

/** 2D square dilation (grow) or erosion of a slice mask by r pixels along x and y. */
function square(mask: Uint8Array, nx: number, ny: number, r: number, grow: boolean): Uint8Array {
  const tmp = new Uint8Array(mask.length);
  const out = new Uint8Array(mask.length);
  const pass = (src: Uint8Array, dst: Uint8Array, n: number, m: number, stride: number, step: number) => {
    for (let b = 0; b < m; b++) {
      const base = b * step;
      let count = 0;
      // Running count of ones in [i − r, i + r].
      for (let i = 0; i < Math.min(n, r); i++) count += src[base + i * stride]!;
      for (let i = 0; i < n; i++) {
        if (i + r < n) count += src[base + (i + r) * stride]!;
        if (i - r - 1 >= 0) count -= src[base + (i - r - 1) * stride]!;
        const width = Math.min(n - 1, i + r) - Math.max(0, i - r) + 1;
        dst[base + i * stride] = grow ? (count > 0 ? 1 : 0) : count === width ? 1 : 0;
      }
    }
  };
  pass(mask, tmp, nx, ny, 1, nx);
  pass(tmp, out, ny, nx, nx, 1);
  return out;
}

export function signalVoids(volume: Volume, shell: BodyShell, o: MarkerOptions): MarkerFinding[] {
  const { data, spacing } = volume;
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const threshold = shell.skin.threshold;
  const [gx, gy] = shell.skin.dims;
  const [cx, cy, cz] = shell.cellOf;
  const r = Math.max(1, Math.round(closeMm / 2 / Math.min(spacing[0], spacing[1])));
  const candidates = new Set<number>();
  const closedAll = new Map<number, Uint8Array>();
  const refs: number[] = [];
  for (let k = 0; k < nz; k++) {
    const body = new Uint8Array(plane);
    let any = false;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p = j * nx + i;
        if (data[k * plane + p]! > threshold && shell.skin.mask[(cz[k]! * gy + cy[j]!) * gx + cx[i]!]) {
          body[p] = 1;
          any = true;
        }
      }
    if (!any) {
      refs.push(NaN);
      continue;
    }
    // The outline closed over notches up to `closeMm` wide, its holes filled (dark bone, sinuses, CSF).
    const closed = square(square(body, nx, ny, r, true), nx, ny, r, false);
    for (let p = 0; p < plane; p++) closed[p] |= body[p]!;
    fillHoles2d(closed, nx, ny, new Uint8Array(plane), new Int32Array(plane), 0);
    const outside = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) outside[p] = closed[p] ? 0 : 1;
    const depth = squaredDistance(outside, [nx, ny, 1], spacing);
    const band: number[] = [];
    const shellLimit = Math.min(o.shellDepthMm, voidShellMm) ** 2;
    for (let p = 0; p < plane; p++) if (body[p] && depth[p]! <= shellLimit) band.push(data[k * plane + p]!);
    if (band.length < 50) {
      refs.push(NaN);
      continue;
    }
    band.sort((a, b) => a - b);
    const ref = band[Math.floor(band.length / 2)]!;
    refs.push(ref);
    closedAll.set(k, closed);
    for (let p = 0; p < plane; p++) if (closed[p] && depth[p]! <= shellLimit && data[k * plane + p]! < o.voidRatio * ref) candidates.add(k * plane + p);
  }
  const limits = {
    maxExtent: spacing.map((s) => Math.ceil(o.maxSizeMm / s)) as [number, number, number],
    maxVoxels: Math.ceil(o.maxSizeMm ** 3 / (spacing[0] * spacing[1] * spacing[2])),
  };
  const findings: MarkerFinding[] = [];
  for (const c of setComponents(volume, candidates, limits)) {
    const sizeMm = [0, 1, 2].map((a) => (c.bounds[a]![1] - c.bounds[a]![0] + 1) * spacing[a]!) as Vec3;
    if (Math.min(sizeMm[0], sizeMm[1]) < minVoidMm) continue;
    // The ring: voxels 1–2 pixels around the void in its slices.
    const inVoid = new Set(c.indices);
    let bright = 0;
    let air = 0;
    let ringSize = 0;
    const ring = new Set<number>();
    for (const p of c.indices) {
      const i = p % nx;
      const j = Math.floor(p / nx) % ny;
      const k = Math.floor(p / plane);
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const x = i + dx;
          const y = j + dy;
          if (x < 0 || y < 0 || x >= nx || y >= ny) continue;
          const q = k * plane + y * nx + x;
          if (!inVoid.has(q)) ring.add(q);
        }
    }
    for (const q of ring) {
      const k = Math.floor(q / plane);
      ringSize++;
      if (!closedAll.get(k)?.[q - k * plane]) air++;
      else if (data[q]! >= 0.6 * refs[k]!) bright++;
    }
    if (ringSize === 0 || air > 0.3 * ringSize || bright < 0.5 * ringSize) continue;
    let low = Infinity;
    const centre = [0, 0, 0];
    for (const p of c.indices) {
      low = Math.min(low, data[p]!);
      centre[0] += p % nx;
      centre[1] += Math.floor(p / nx) % ny;
      centre[2] += Math.floor(p / plane);
    }
    const n = c.indices.length;
    const darkness = 1 - low / Math.max(1, refs[Math.floor(c.indices[0]! / plane)]!);
    findings.push({
      id: 0,
      kind: 'signal-void',
      centre: voxelToPatient(volume, centre[0]! / n, centre[1]! / n, centre[2]! / n),
      sizeMm,
      diameterMm: Math.max(...sizeMm),
      voxels: n,
      peak: low,
      depthMm: [0, Math.min(o.shellDepthMm, voidShellMm)],
      confidence: Math.round((0.4 + 0.3 * Math.min(1, darkness) + 0.3 * (bright / ringSize)) * 100) / 100,
      bounds: c.bounds,
      indices: c.indices,
    });
  }
  return findings;
}
