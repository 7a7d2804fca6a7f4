// Where each slice's body should end, for the MR void search: the tissue
// above the skin threshold in or next to the skin mask (its opening cuts off
// thin scalp over the dark skull, which is where voids are looked for), closed (grown, then shrunk,
// by a disc) over notches up to `closeMm` wide and its holes filled. A void
// that opens to the air makes the intensity edge retreat, the closed outline
// does not: depth under it is depth under the expected skin. In-plane only:
// MR slices are often 5–7 mm apart, too far to close across.
import { fillHoles2d } from '../face/fill';
import type { Volume } from '../face/volume';
import { squaredDistance } from './distance';
import type { BodyShell } from './geometry';

export interface OutlineSlice {
  /** Above the skin threshold, within `nearCells` grid cells of the skin mask (x fastest). */
  body: Uint8Array;
  /** The body closed over notches and filled. */
  closed: Uint8Array;
  /** Squared in-plane distance (mm²) to the nearest pixel outside `closed`; 0 outside. */
  depthSq: Float64Array;
  /** The median of the shell (skin and fat) under the closed outline. */
  ref: number;
  /** The head's midline, column = a + b × row (a line: heads turn), for mirror checks. */
  midline: { a: number; b: number };
}

export interface Outlines {
  /** Per slice; undefined where the slice holds no body. */
  slices: Array<OutlineSlice | undefined>;
}

/** Grid cells (~2 mm) around the skin mask that still count as body. */
const nearCells = 2;

export function closedOutlines(volume: Volume, shell: BodyShell, closeMm: number): Outlines {
  const skin = shell.skin;
  const { data, spacing } = volume;
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const [gx, gy] = skin.dims;
  const [colCell, rowCell, sliceCell] = shell.cellOf;
  const box: [number, number, number] = [nx, ny, 1];
  const mm: [number, number, number] = [spacing[0], spacing[1], 1];
  const r2 = (closeMm / 2) ** 2;
  const stack = new Int32Array(plane);
  const scratch = new Uint8Array(plane);
  const slices: Outlines['slices'] = [];
  for (let k = 0; k < nz; k++) {
    const cz = sliceCell[k]!;
    const body = new Uint8Array(plane);
    let count = 0;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p = j * nx + i;
        if (data[k * plane + p]! > skin.threshold && shell.outside[(cz * gy + rowCell[j]!) * gx + colCell[i]!]! <= nearCells) {
          body[p] = 1;
          count++;
        }
      }
    if (count < 50) {
      slices.push(undefined);
      continue;
    }
    // Closing by a disc: grown where within r of the body, shrunk where within r of what the growth left out.
    const toBody = squaredDistance(body, box, mm);
    const beyond = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) beyond[p] = toBody[p]! > r2 ? 1 : 0;
    const toBeyond = squaredDistance(beyond, box, mm);
    const closed = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) closed[p] = body[p] || toBeyond[p]! > r2 ? 1 : 0;
    fillHoles2d(closed, nx, ny, scratch, stack, 0);
    const outside = new Uint8Array(plane);
    for (let p = 0; p < plane; p++) outside[p] = closed[p] ? 0 : 1;
    const depthSq = squaredDistance(outside, box, mm);
    const band: number[] = [];
    const rim = (1.5 * Math.min(spacing[0], spacing[1])) ** 2;
    for (let p = 0; p < plane; p++) if (body[p] && depthSq[p]! > rim && depthSq[p]! <= 16) band.push(data[k * plane + p]!);
    band.sort((a, b) => a - b);
    slices.push({ body, closed, depthSq, ref: band.length ? band[band.length >> 1]! : 0, midline: midline(closed, nx, ny) });
  }
  return { slices };
}

/** A line through the rows' outline midpoints (rows clear of the image's sides), refitted without the rows more than 4 pixels off. */
function midline(closed: Uint8Array, nx: number, ny: number): { a: number; b: number } {
  const rows: number[] = [];
  const mids: number[] = [];
  for (let j = 0; j < ny; j++) {
    let left = -1;
    let right = -1;
    for (let i = 0; i < nx; i++)
      if (closed[j * nx + i]) {
        if (left < 0) left = i;
        right = i;
      }
    if (left > 0 && right >= 0 && right < nx - 1) {
      rows.push(j);
      mids.push((left + right) / 2);
    }
  }
  let line = fit(rows, mids, () => true) ?? { a: nx / 2, b: 0 };
  const first = line;
  line = fit(rows, mids, (n) => Math.abs(mids[n]! - (first.a + first.b * rows[n]!)) <= 4) ?? line;
  return line;
}

function fit(xs: readonly number[], ys: readonly number[], use: (n: number) => boolean): { a: number; b: number } | undefined {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < xs.length; k++) {
    if (!use(k)) continue;
    n++;
    sx += xs[k]!;
    sy += ys[k]!;
    sxx += xs[k]! * xs[k]!;
    sxy += xs[k]! * ys[k]!;
  }
  if (n < 10) return undefined;
  const d = n * sxx - sx * sx;
  const b = d > 0 ? (n * sxy - sx * sy) / d : 0;
  return { a: (sy - b * sx) / n, b };
}

/** Mirror image (pixels) of in-plane point (x, y) across a slice's midline, and its distance (mm) to the line. */
export function mirrorOf(slice: OutlineSlice, spacing: readonly number[], x: number, y: number): { x: number; y: number; offMm: number } {
  const [sx, sy] = [spacing[0]!, spacing[1]!];
  const A = slice.midline.a * sx;
  const B = (slice.midline.b * sx) / sy;
  const X = x * sx;
  const Y = y * sy;
  const norm = Math.hypot(1, B);
  const d = (X - B * Y - A) / norm;
  return { x: (X - (2 * d) / norm) / sx, y: (Y + (2 * d * B) / norm) / sy, offMm: Math.abs(d) };
}
