// The face mask: which voxels to blank so that no face can be rebuilt. Built
// from the face check's confirmed views: each view's face outline (landmarks
// in the render) is carried back into the volume through the render's depth
// map, and the mask takes, inside the outline, the skin and a bounded depth
// behind it along the view (CT: never past bone), plus everything in front of
// a plane just behind the eyes (nose, lips). Nothing above the brows, nothing
// in the cranial cavity.
import {
  bodyDistance,
  pixelToPatient,
  voxelToPatient,
  type FaceCheck,
  type FaceView,
  type Point2,
  type SkinMask,
  type SkinRender,
  type Vec3,
  type Volume,
} from '../detect/face';
import { fillHoles2d } from '../detect/face/fill';
import { earVoxels, withVoxels } from './ears';

export interface FaceMaskOptions {
  /** mm from the skin inwards along each view, below the eyes' centres; CT also stops at the first bone. Default: CT 25, MR and others 12. */
  depthMm?: number;
  /** The same above the eyes' centres, where the brain may lie behind a thin or missing bone (Cranium's forehead has spots under 300 HU). */
  aboveEyesDepthMm: number;
  /** Everything inside the outline in front of a plane this far (mm) behind the eyes' surface goes: nose, lips. */
  behindEyesMm: number;
  /** How far (mm) behind the eyes' surface the mask reaches (cheeks, not the ears nor the back of the jaw). */
  backMm: number;
  /** How far (mm) above the brows the mask reaches (the forehead above is kept). */
  aboveBrowsMm: number;
  /** The outline grown by this much (mm) in each render. */
  marginMm: number;
  /** CT: bone (HU) that stops the march inwards and walls the cranial cavity. */
  boneHU: number;
  /** CT: the cranial cavity (bone-enclosed, slice by slice) grown by this much (mm) is never masked. */
  brainMarginMm: number;
  /** Views whose eyes or nose lie further than this (mm) from the views' median are not trusted. */
  maxLandmarkSpreadMm: number;
  /** Also take the ears (`ears.ts`): the outer ear and the skin around it. */
  ears?: boolean;
}

export const defaultFaceMaskOptions: FaceMaskOptions = {
  aboveEyesDepthMm: 8,
  backMm: 50,
  behindEyesMm: 8,
  aboveBrowsMm: 10,
  marginMm: 6,
  boneHU: 300,
  brainMarginMm: 3,
  maxLandmarkSpreadMm: 15,
};

export interface FaceMask {
  /** Volume dims the mask belongs to. */
  dims: Vec3;
  /** Inclusive voxel box holding every masked voxel (empty mask: min > max). */
  min: Vec3;
  max: Vec3;
  /** 1 = blank this voxel; over the box only, x fastest. */
  mask: Uint8Array;
  voxels: number;
  volumeMm3: number;
  /** The views the mask was built from ("mode yaw/pitch"), and those not trusted, with why. */
  views: string[];
  rejected: string[];
  /** Why the mask is empty, when it is. */
  reason?: string;
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: Vec3): Vec3 => scale(a, 1 / (Math.hypot(a[0], a[1], a[2]) || 1));
const dist = (a: Vec3, b: Vec3) => Math.hypot(...sub(a, b));
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const medianPoint = (points: Vec3[]): Vec3 => [0, 1, 2].map((a) => median(points.map((p) => p[a]!))) as Vec3;

/** Is voxel (i, j, k) in the mask? */
export function inFaceMask(m: FaceMask, i: number, j: number, k: number): boolean {
  if (i < m.min[0] || j < m.min[1] || k < m.min[2] || i > m.max[0] || j > m.max[1] || k > m.max[2]) return false;
  const bx = m.max[0] - m.min[0] + 1;
  const by = m.max[1] - m.min[1] + 1;
  return m.mask[((k - m.min[2]) * by + (j - m.min[1])) * bx + (i - m.min[0])] === 1;
}

/** The mask of slice k as a columns × rows plane (undefined when nothing of it is masked). */
export function faceMaskSlice(m: FaceMask, k: number): Uint8Array | undefined {
  if (m.voxels === 0 || k < m.min[2] || k > m.max[2]) return undefined;
  const [nx, ny] = m.dims;
  const bx = m.max[0] - m.min[0] + 1;
  const by = m.max[1] - m.min[1] + 1;
  const out = new Uint8Array(nx * ny);
  let any = false;
  for (let j = 0; j < by; j++) {
    const src = ((k - m.min[2]) * by + j) * bx;
    const dst = (j + m.min[1]) * nx + m.min[0];
    for (let i = 0; i < bx; i++) {
      if (m.mask[src + i]) {
        out[dst + i] = 1;
        any = true;
      }
    }
  }
  return any ? out : undefined;
}

function emptyMask(volume: Volume, reason: string, views: string[] = [], rejected: string[] = []): FaceMask {
  return { dims: [...volume.dims], min: [0, 0, 0], max: [-1, -1, -1], mask: new Uint8Array(0), voxels: 0, volumeMm3: 0, views, rejected, reason };
}

const viewName = (v: FaceView) => `${v.mode} ${v.yaw}/${v.pitch}`;

/** Pixels inside a polygon (even-odd, pixel centres), grown by `grow` pixels (chessboard). */
function polygonMask(points: readonly Point2[], width: number, height: number, grow: number): Uint8Array {
  const inside = new Uint8Array(width * height);
  const n = points.length;
  for (let y = 0; y < height; y++) {
    const xs: number[] = [];
    for (let a = 0; a < n; a++) {
      const p = points[a]!;
      const q = points[(a + 1) % n]!;
      if (p.y <= y !== q.y <= y) xs.push(p.x + ((y - p.y) / (q.y - p.y)) * (q.x - p.x));
    }
    xs.sort((a, b) => a - b);
    for (let s = 0; s + 1 < xs.length; s += 2) {
      for (let x = Math.max(0, Math.ceil(xs[s]!)); x <= Math.min(width - 1, Math.floor(xs[s + 1]!)); x++) inside[y * width + x] = 1;
    }
  }
  if (grow <= 0) return inside;
  // Separable box dilation.
  const tmp = new Uint8Array(inside.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let on = 0;
      for (let d = -grow; d <= grow && !on; d++) {
        const X = x + d;
        if (X >= 0 && X < width && inside[y * width + X]) on = 1;
      }
      tmp[y * width + x] = on;
    }
  const out = new Uint8Array(inside.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let on = 0;
      for (let d = -grow; d <= grow && !on; d++) {
        const Y = y + d;
        if (Y >= 0 && Y < height && tmp[Y * width + x]) on = 1;
      }
      out[y * width + x] = on;
    }
  return out;
}

/** One view, ready for the voxel loop: the outline's pixels and, per pixel, the depth range to blank. */
interface ViewSpan {
  render: SkinRender;
  inside: Uint8Array;
  /** mm along the view: from where (a little in front of the skin) to where (the depth bound or bone). */
  near: Float32Array;
  far: Float32Array;
  /** The far end above the eyes' centres (the shallower bound). */
  farHigh: Float32Array;
  /** Pixel size (mm) and the camera's unit axes. */
  pixel: number;
  right: Vec3;
  down: Vec3;
}

/** A neighbour's depth, or the pixel's own where the neighbour missed or lies outside. */
function depthAt(depth: Float32Array, width: number, height: number, x: number, y: number, own: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return own;
  const d = depth[y * width + x]!;
  return Number.isNaN(d) ? own : d;
}

function viewSpan(volume: Volume, toVoxel: (p: Vec3) => Vec3, view: FaceView, o: FaceMaskOptions & { depthMm: number }, ct: boolean): ViewSpan {
  const render = view.render!;
  const { width, height, depth, camera } = render;
  const pixel = Math.hypot(...camera.right);
  const inside = polygonMask(view.landmarks!.outline, width, height, Math.round(o.marginMm / pixel));
  const near = new Float32Array(width * height).fill(NaN);
  const far = new Float32Array(width * height).fill(NaN);
  const farHigh = new Float32Array(width * height).fill(NaN);
  const step = Math.max(0.35, 0.5 * Math.min(...volume.spacing));
  const [nx, ny, nz] = volume.dims;
  const o0 = toVoxel(camera.origin);
  const dv = sub(toVoxel(add(camera.origin, camera.direction)), o0);
  for (let p = 0; p < width * height; p++) {
    if (!inside[p] || Number.isNaN(depth[p]!)) continue;
    const skin = depth[p]!;
    near[p] = skin - 3;
    // The depth is meant across the skin: a ray grazing the side of the face travels further per mm of depth.
    const x0 = p % width;
    const slopeX = (depthAt(depth, width, height, x0 + 1, (p - x0) / width, skin) - depthAt(depth, width, height, x0 - 1, (p - x0) / width, skin)) / (2 * pixel);
    const slopeY = (depthAt(depth, width, height, x0, (p - x0) / width + 1, skin) - depthAt(depth, width, height, x0, (p - x0) / width - 1, skin)) / (2 * pixel);
    const across = Math.max(0.3, 1 / Math.sqrt(1 + slopeX * slopeX + slopeY * slopeY));
    const reach = o.depthMm * across;
    let stop = skin + reach;
    if (ct) {
      // March inwards in voxel steps of about half a millimetre: the first bone ends the span (the skull shields what lies behind it).
      const x = p % width;
      const y = (p - x) / width;
      const [sx, sy, sz] = toVoxel(pixelToPatient(render, x, y)!);
      for (let t = 0; t <= reach; t += step) {
        const i = Math.round(sx + dv[0] * t);
        const j = Math.round(sy + dv[1] * t);
        const k = Math.round(sz + dv[2] * t);
        if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
        if (volume.data[(k * ny + j) * nx + i]! >= o.boneHU) {
          stop = skin + t;
          break;
        }
      }
    }
    far[p] = stop;
    farHigh[p] = Math.min(stop, skin + o.aboveEyesDepthMm * across);
  }
  return { render, inside, near, far, farHigh, pixel, right: unit(camera.right), down: unit(camera.down) };
}

/** A coarse grid over the volume (about 2 mm cells): what the cavity and the shell are judged on. */
interface Grid {
  cells: Uint8Array;
  dims: Vec3;
  factor: Vec3;
}

/** Separable box dilation of a 0/1 grid by r cells per axis. */
function dilate(cells: Uint8Array, dims: Vec3, r: readonly number[]): Uint8Array {
  const [gx, gy] = dims;
  let src = cells;
  for (let a = 0; a < 3; a++) {
    if (r[a]! <= 0) continue;
    const dst = new Uint8Array(src.length);
    const stride = a === 0 ? 1 : a === 1 ? gx : gx * gy;
    const n = dims[a]!;
    for (let p = 0; p < src.length; p++) {
      if (!src[p]) continue;
      const c = a === 0 ? p % gx : a === 1 ? Math.floor(p / gx) % gy : Math.floor(p / (gx * gy));
      for (let d = Math.max(-r[a]!, -c); d <= Math.min(r[a]!, n - 1 - c); d++) dst[p + d * stride] = 1;
    }
    src = dst;
  }
  return src;
}

/**
 * The cranial cavity of a CT on a ~2 mm grid: bone (≥ `boneHU`, max-pooled, so
 * thin walls close) and what it encloses in each grid plane (where the skull
 * is a closed ring), grown by `marginMm`. Facial bones that enclose nothing
 * are not part of it.
 */
function cranialCavity(volume: Volume, boneHU: number, marginMm: number): Grid {
  const factor = volume.spacing.map((s) => Math.max(1, Math.round(2 / s))) as Vec3;
  const dims = volume.dims.map((n, a) => Math.ceil(n / factor[a]!)) as Vec3;
  const [nx, ny, nz] = volume.dims;
  const [gx, gy, gz] = dims;
  const bone = new Uint8Array(gx * gy * gz);
  for (let k = 0; k < nz; k++) {
    const zo = Math.floor(k / factor[2]) * gx * gy;
    for (let j = 0; j < ny; j++) {
      const yo = zo + Math.floor(j / factor[1]) * gx;
      const row = (k * ny + j) * nx;
      for (let i = 0; i < nx; i++) if (volume.data[row + i]! >= boneHU) bone[yo + Math.floor(i / factor[0])] = 1;
    }
  }
  const plane = gx * gy;
  const cells = new Uint8Array(bone.length);
  const outside = new Uint8Array(plane);
  const stack = new Int32Array(plane);
  for (let z = 0; z < gz; z++) {
    const filled = bone.slice(z * plane, (z + 1) * plane);
    fillHoles2d(filled, gx, gy, outside, stack, 0);
    // Enclosed cells only: bone that encloses nothing (the mandible, facial bones) stays out.
    for (let p = 0; p < plane; p++) if (filled[p] && !bone[z * plane + p]) cells[z * plane + p] = 1;
  }
  const cell = volume.spacing.map((s, a) => s * factor[a]!);
  return { cells: dilate(cells, dims, cell.map((c) => Math.max(1, Math.ceil(marginMm / c)))), dims, factor };
}

/**
 * The body's shell: grid cells whose chessboard distance (in cells) to the
 * outside, times the smallest cell, is within `mm` (a lower bound of the
 * distance in mm, plus a cell for the voxel's place in its cell): every voxel
 * that near the skin is in it, the deep inside is not.
 */
function shellOf(skin: SkinMask, volume: Volume, mm: number): Grid {
  const outside: SkinMask = { ...skin, mask: skin.mask.map((v) => (v ? 0 : 1)) };
  const d = bodyDistance(outside, 1).distance;
  const cell = Math.min(...skin.factor.map((f, a) => f * volume.spacing[a]!));
  const limit = Math.ceil(mm / cell) + 1;
  const cells = new Uint8Array(d.length);
  for (let p = 0; p < d.length; p++) cells[p] = d[p]! <= limit ? 1 : 0;
  return { cells, dims: [...skin.dims], factor: [...skin.factor] };
}

/**
 * Views with one camera (both surfaces of a yaw/pitch) as one span: outlines
 * united, the wider depth range kept. The frontal-most first (most voxels hit
 * there, the voxel loop stops at the first view that takes a voxel).
 */
function mergeSameCamera(spans: ViewSpan[]): ViewSpan[] {
  const out: ViewSpan[] = [];
  for (const s of spans) {
    const c = s.render.camera;
    const same = out.find((o) => o.render.width === s.render.width && [0, 1, 2].every((a) => o.render.camera.origin[a] === c.origin[a] && o.render.camera.direction[a] === c.direction[a]));
    if (!same) {
      out.push({ ...s, inside: s.inside.slice(), near: s.near.slice(), far: s.far.slice(), farHigh: s.farHigh.slice() });
      continue;
    }
    for (let p = 0; p < s.inside.length; p++) {
      if (Number.isNaN(s.near[p]!)) continue;
      same.inside[p] = 1;
      same.near[p] = Number.isNaN(same.near[p]!) ? s.near[p]! : Math.min(same.near[p]!, s.near[p]!);
      same.far[p] = Number.isNaN(same.far[p]!) ? s.far[p]! : Math.max(same.far[p]!, s.far[p]!);
      same.farHigh[p] = Number.isNaN(same.farHigh[p]!) ? s.farHigh[p]! : Math.max(same.farHigh[p]!, s.farHigh[p]!);
    }
  }
  return out.sort((a, b) => Math.abs(a.render.view.yaw) + Math.abs(a.render.view.pitch) - (Math.abs(b.render.view.yaw) + Math.abs(b.render.view.pitch)));
}

/**
 * Builds the face mask of `volume` from a face check run with
 * `{ allViews: true, keepRenders: true }` (confirmed views need their renders).
 */
export function faceMask(volume: Volume, check: FaceCheck, options: Partial<FaceMaskOptions> = {}): FaceMask {
  const ct = volume.modality === 'CT';
  const o = { ...defaultFaceMaskOptions, ...options, depthMm: options.depthMm ?? (ct ? 25 : 12) };
  if (!check.reconstructable) return emptyMask(volume, 'no face was confirmed');
  let views = check.views.filter((v) => v.confirmed && v.render && v.landmarks && v.surface?.leftEye && v.surface.rightEye && v.surface.noseTip && v.landmarks.outline.length >= 3);
  if (views.length === 0) return emptyMask(volume, 'the confirmed views kept no renders (run checkFace with keepRenders)');

  // Geometry before trust: eyes and nose of every view near the views' median.
  const rejected: string[] = [];
  const mid = (key: 'leftEye' | 'rightEye' | 'noseTip') => medianPoint(views.map((v) => v.surface![key]!));
  const centre = { leftEye: mid('leftEye'), rightEye: mid('rightEye'), noseTip: mid('noseTip') };
  views = views.filter((v) => {
    const off = Math.max(...(['leftEye', 'rightEye', 'noseTip'] as const).map((key) => dist(v.surface![key]!, centre[key])));
    if (off > o.maxLandmarkSpreadMm) rejected.push(`${viewName(v)}: landmarks ${off.toFixed(0)} mm from the other views'`);
    return off <= o.maxLandmarkSpreadMm;
  });
  if (views.length === 0) return emptyMask(volume, 'no view agrees on the landmarks', [], rejected);

  // The face's own frame: eyes' centre, left (patient's), down (to the mouth), forward.
  const leftEye = medianPoint(views.map((v) => v.surface!.leftEye!));
  const rightEye = medianPoint(views.map((v) => v.surface!.rightEye!));
  const eyes = scale(add(leftEye, rightEye), 0.5);
  const left = unit(sub(leftEye, rightEye));
  const mouths = views.map((v) => v.surface!.mouth).filter((m): m is Vec3 => !!m);
  const lookBack = unit(views.map((v) => scale(v.render!.camera.direction, -1)).reduce(add, [0, 0, 0] as Vec3));
  // Forward: from the mouth's place when it is plausible (a field of view cut below the nose puts
  // the "mouth" on the cut), else the patient's anterior (LPS −Y) when the cameras agree, else the cameras'.
  const flat = (v: Vec3) => unit(sub(v, scale(left, dot(v, left))));
  let forward = flat([0, -1, 0]);
  if (dot(forward, lookBack) < 0.8) forward = flat(lookBack);
  if (mouths.length) {
    const toMouth = sub(medianPoint(mouths), eyes);
    const drop = Math.hypot(...sub(toMouth, scale(left, dot(toMouth, left))));
    const fromMouth = unit(cross(unit(sub(toMouth, scale(left, dot(toMouth, left)))), left));
    if (drop >= 45 && drop <= 100 && dot(fromMouth, lookBack) > 0.9) forward = fromMouth;
  }
  const up = unit(cross(forward, left));

  // Top: the brows (on the skin, from each view's landmarks) plus a margin; never above.
  const browHeights: number[] = [];
  for (const v of views) {
    for (const b of [v.landmarks!.leftBrow, v.landmarks!.rightBrow]) {
      const hit = pixelToPatient(v.render!, b.x, b.y);
      if (hit) browHeights.push(dot(sub(hit, eyes), up));
    }
  }
  // Brows sit 15–30 mm above the eyes; without them take 20 mm.
  const browHeight = browHeights.length ? Math.min(35, Math.max(10, median(browHeights))) : 20;
  const top = browHeight + o.aboveBrowsMm;

  const toVoxelCache = (() => {
    const [a, b, c] = volume.axes;
    const det = dot(a, cross(b, c));
    const cb = cross(b, c);
    return (p: Vec3): Vec3 => {
      const d = sub(p, volume.origin);
      return [dot(d, cb) / det / volume.spacing[0], dot(a, cross(d, c)) / det / volume.spacing[1], dot(a, cross(b, d)) / det / volume.spacing[2]];
    };
  })();
  const spans = mergeSameCamera(views.map((v) => viewSpan(volume, toVoxelCache, v, o, ct)));

  // The box to visit: every outline pixel's skin point, from the near side to the far end, in voxels.
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const s of spans) {
    const { width, camera } = s.render;
    for (let p = 0; p < s.far.length; p++) {
      if (Number.isNaN(s.far[p]!)) continue;
      const x = p % width;
      const y = (p - x) / width;
      const base = add(add(camera.origin, scale(camera.right, x)), scale(camera.down, y));
      // The segment near → far (or 40 mm for protrusions), clipped to the slab the mask may reach:
      // in front of the back limit, below the top.
      let t0 = s.near[p]!;
      let t1 = Math.max(s.far[p]!, t0 + 40);
      const start = add(base, scale(camera.direction, t0));
      for (const [axis, lowest, highest] of [
        [forward, -o.backMm, Infinity],
        [up, -Infinity, top],
      ] as const) {
        const c0 = dot(sub(start, eyes), axis) + dot(camera.direction, axis) * (t0 - s.near[p]!);
        const dc = dot(camera.direction, axis);
        const c1 = c0 + dc * (t1 - t0);
        if ((c0 < lowest && c1 < lowest) || (c0 > highest && c1 > highest)) {
          t1 = -Infinity;
          break;
        }
        const cross0 = c0 < lowest ? lowest : c0 > highest ? highest : undefined;
        const cross1 = c1 < lowest ? lowest : c1 > highest ? highest : undefined;
        const t0n = cross0 === undefined ? t0 : t0 + (cross0 - c0) / dc;
        const t1n = cross1 === undefined ? t1 : t0 + (cross1 - c0) / dc;
        [t0, t1] = [t0n, t1n];
      }
      if (!(t1 >= t0)) continue;
      for (const t of [t0, t1]) {
        const v = toVoxelCache(add(base, scale(camera.direction, t)));
        for (let a = 0; a < 3; a++) {
          if (v[a]! < lo[a]!) lo[a] = v[a]!;
          if (v[a]! > hi[a]!) hi[a] = v[a]!;
        }
      }
    }
  }
  const min = lo.map((v) => Math.max(0, Math.floor(v) - 1)) as Vec3;
  const max = hi.map((v, a) => Math.min(volume.dims[a]! - 1, Math.ceil(v) + 1)) as Vec3;
  if (min.some((v, a) => v > max[a]!)) return emptyMask(volume, 'the face lies outside the volume', views.map(viewName), rejected);

  const cavity = ct ? cranialCavity(volume, o.boneHU, o.brainMarginMm) : undefined;
  // Only voxels near the skin can be in the mask (depth bound, protrusions): the inside is skipped at once.
  const shell = check.skin ? shellOf(check.skin, volume, Math.max(o.depthMm, 30) + 5) : undefined;
  const bx = max[0] - min[0] + 1;
  const by = max[1] - min[1] + 1;
  const bz = max[2] - min[2] + 1;
  const mask = new Uint8Array(bx * by * bz);
  // Per view: pixel coordinates and depth are affine in the voxel indices.
  const affine = spans.map((s) => {
    const o0 = voxelToPatient(volume, 0, 0, 0);
    const di = sub(voxelToPatient(volume, 1, 0, 0), o0);
    const dj = sub(voxelToPatient(volume, 0, 1, 0), o0);
    const dk = sub(voxelToPatient(volume, 0, 0, 1), o0);
    const c = s.render.camera;
    const rel = sub(o0, c.origin);
    const r = scale(s.right, 1 / s.pixel);
    const d = scale(s.down, 1 / s.pixel);
    const f = c.direction;
    return { s, x0: dot(rel, r), xi: dot(di, r), xj: dot(dj, r), xk: dot(dk, r), y0: dot(rel, d), yi: dot(di, d), yj: dot(dj, d), yk: dot(dk, d), t0: dot(rel, f), ti: dot(di, f), tj: dot(dj, f), tk: dot(dk, f) };
  });
  const e0 = sub(voxelToPatient(volume, 0, 0, 0), eyes);
  const gi = sub(voxelToPatient(volume, 1, 0, 0), voxelToPatient(volume, 0, 0, 0));
  const gj = sub(voxelToPatient(volume, 0, 1, 0), voxelToPatient(volume, 0, 0, 0));
  const gk = sub(voxelToPatient(volume, 0, 0, 1), voxelToPatient(volume, 0, 0, 0));
  const fw = [dot(e0, forward), dot(gi, forward), dot(gj, forward), dot(gk, forward)] as const;
  const upw = [dot(e0, up), dot(gi, up), dot(gj, up), dot(gk, up)] as const;

  let voxels = 0;
  const found: Vec3 = [Infinity, Infinity, Infinity];
  const foundMax: Vec3 = [-1, -1, -1];
  // Grid cell of each column, row, slice (no division in the loop).
  const cellIndex = (g: Grid | undefined, axis: number) => Int32Array.from({ length: volume.dims[axis]! }, (_, n) => (g ? Math.floor(n / g.factor[axis]!) : 0));
  const shellX = cellIndex(shell, 0);
  const shellY = cellIndex(shell, 1);
  const shellZ = cellIndex(shell, 2);
  const cavityX = cellIndex(cavity, 0);
  const cavityY = cellIndex(cavity, 1);
  const cavityZ = cellIndex(cavity, 2);
  // Flat per-view arrays: the loop below runs ~10⁷ times and stays monomorphic.
  const nv = affine.length;
  const coef = new Float64Array(nv * 12);
  affine.forEach((a, v) => coef.set([a.x0, a.xi, a.xj, a.xk, a.y0, a.yi, a.yj, a.yk, a.t0, a.ti, a.tj, a.tk], v * 12));
  const widths = Int32Array.from(affine, (a) => a.s.render.width);
  const heights = Int32Array.from(affine, (a) => a.s.render.height);
  const insides = affine.map((a) => a.s.inside);
  const nears = affine.map((a) => a.s.near);
  const fars = affine.map((a) => a.s.far);
  const farHighs = affine.map((a) => a.s.farHigh);
  const shellCells = shell?.cells;
  const cavityCells = cavity?.cells;
  const rowX = new Float64Array(nv);
  const rowY = new Float64Array(nv);
  const rowT = new Float64Array(nv);
  for (let k = min[2]; k <= max[2]; k++) {
    for (let j = min[1]; j <= max[1]; j++) {
      const heightRow = upw[0] + upw[2] * j + upw[3] * k;
      const frontRow = fw[0] + fw[2] * j + fw[3] * k;
      const shellRow = shell ? (shellZ[k]! * shell.dims[1] + shellY[j]!) * shell.dims[0] : 0;
      const cavityRow = cavity ? (cavityZ[k]! * cavity.dims[1] + cavityY[j]!) * cavity.dims[0] : 0;
      for (let v = 0; v < nv; v++) {
        const c = v * 12;
        rowX[v] = coef[c]! + coef[c + 2]! * j + coef[c + 3]! * k + 0.5;
        rowY[v] = coef[c + 4]! + coef[c + 6]! * j + coef[c + 7]! * k + 0.5;
        rowT[v] = coef[c + 8]! + coef[c + 10]! * j + coef[c + 11]! * k;
      }
      for (let i = min[0]; i <= max[0]; i++) {
        const height = heightRow + upw[1] * i;
        if (height > top) continue;
        const ahead = frontRow + fw[1] * i;
        if (ahead < -o.backMm) continue;
        if (shellCells && !shellCells[shellRow + shellX[i]!]) continue;
        if (cavityCells && cavityCells[cavityRow + cavityX[i]!]) continue;
        // Whole protrusions only below the eyes' centres: above them the brain may lie behind the forehead's bone.
        const low = height < 0;
        const front = low && ahead > -o.behindEyesMm;
        let hit = false;
        for (let v = 0; v < nv; v++) {
          const c = v * 12;
          const x = Math.floor(rowX[v]! + coef[c + 1]! * i);
          const w = widths[v]!;
          if (x < 0 || x >= w) continue;
          const y = Math.floor(rowY[v]! + coef[c + 5]! * i);
          if (y < 0 || y >= heights[v]!) continue;
          const p = y * w + x;
          if (!insides[v]![p]) continue;
          const near = nears[v]![p]!;
          const t = rowT[v]! + coef[c + 9]! * i;
          if (!(t >= near)) continue;
          if (front || t <= (low ? fars[v]![p]! : farHighs[v]![p]!)) {
            hit = true;
            break;
          }
        }
        if (!hit) continue;
        mask[((k - min[2]) * by + (j - min[1])) * bx + (i - min[0])] = 1;
        voxels++;
        if (i < found[0]) found[0] = i;
        if (j < found[1]) found[1] = j;
        if (k < found[2]) found[2] = k;
        if (i > foundMax[0]) foundMax[0] = i;
        if (j > foundMax[1]) foundMax[1] = j;
        if (k > foundMax[2]) foundMax[2] = k;
      }
    }
  }
  const used = views.map(viewName);
  if (voxels === 0) return emptyMask(volume, 'the outline holds no skin', used, rejected);
  // Crop to the voxels found.
  const fx = foundMax[0] - found[0] + 1;
  const fy = foundMax[1] - found[1] + 1;
  const fz = foundMax[2] - found[2] + 1;
  const cropped = new Uint8Array(fx * fy * fz);
  for (let k = 0; k < fz; k++)
    for (let j = 0; j < fy; j++) {
      const src = ((k + found[2] - min[2]) * by + (j + found[1] - min[1])) * bx + (found[0] - min[0]);
      cropped.set(mask.subarray(src, src + fx), (k * fy + j) * fx);
    }
  const voxelMm3 = volume.spacing[0] * volume.spacing[1] * volume.spacing[2];
  const faceOnly: FaceMask = { dims: [...volume.dims], min: found, max: foundMax, mask: cropped, voxels, volumeMm3: voxels * voxelMm3, views: used, rejected };
  if (!o.ears || !check.skin) return faceOnly;
  // CT: air needs no filling (and would only swell the count); bone and the brain are never taken.
  const blocked = (i: number, j: number, k: number, value: number) =>
    ct && (value < -500 || value >= o.boneHU || (cavity !== undefined && cavity.cells[(cavityZ[k]! * cavity.dims[1] + cavityY[j]!) * cavity.dims[0] + cavityX[i]!] === 1));
  return withVoxels(faceOnly, volume, earVoxels(volume, { eyes, left, forward, up }, check.skin, blocked));
}
