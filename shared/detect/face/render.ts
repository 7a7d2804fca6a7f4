// A small CPU ray-caster: the skin surface seen from a viewpoint around the
// head, first hit, shaded and skin-toned (face detectors score shaded,
// skin-coloured renders far higher than grey ones). Orthographic, in patient
// space: yaw turns the camera about the superior axis, pitch tilts it; yaw 0
// pitch 0 looks at the face from the front (LPS: from −Y towards +Y).
// Each render keeps its depth map, so a pixel (a landmark) maps back to the
// surface point in patient mm.
import { inBody, type SkinMask } from './skin';
import type { SurfaceField } from './surface';
import { cross, patientToVoxel, voxelToPatient, type Vec3, type Volume } from './volume';

export interface View {
  /** Degrees; + turns the camera towards the patient's left. */
  yaw: number;
  /** Degrees; + raises the camera above the face, looking down. */
  pitch: number;
}

export interface RenderOptions {
  /** Width and height of the square render (pixels). */
  size: number;
  /** Free border around the body, as a fraction of its extent. */
  margin: number;
  /** sRGB skin tone. */
  skinTone: [number, number, number];
}

export const defaultRenderOptions: RenderOptions = { size: 256, margin: 0.2, skinTone: [226, 178, 150] };

/** Where the render's pixels are in patient space (LPS, mm). */
export interface RenderCamera {
  /** Point on the image plane at the centre of pixel (0, 0). */
  origin: Vec3;
  /** One pixel to the right, one pixel down (mm vectors). */
  right: Vec3;
  down: Vec3;
  /** Unit viewing direction (into the scene). */
  direction: Vec3;
}

export interface SkinRender {
  view: View;
  width: number;
  height: number;
  /** RGBA; alpha 0 where the ray missed the body. */
  rgba: Uint8Array;
  /** Distance (mm) from the image plane to the surface along `direction`; NaN where missed. */
  depth: Float32Array;
  camera: RenderCamera;
}

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const unit = (a: Vec3): Vec3 => scale(a, 1 / (Math.hypot(a[0], a[1], a[2]) || 1));

/** The camera axes for a view: right, up and direction (unit vectors in LPS). */
export function viewAxes(view: View): { right: Vec3; up: Vec3; direction: Vec3 } {
  const yaw = (view.yaw * Math.PI) / 180;
  const pitch = (view.pitch * Math.PI) / 180;
  // Camera position on the unit sphere: anterior is −Y, left +X, superior +Z.
  const position: Vec3 = [Math.sin(yaw) * Math.cos(pitch), -Math.cos(yaw) * Math.cos(pitch), Math.sin(pitch)];
  const direction = scale(position, -1);
  const right: Vec3 = [Math.cos(yaw), Math.sin(yaw), 0];
  return { right, up: cross(right, direction), direction };
}

/** The surface point (LPS mm) under pixel (x, y), or undefined where the ray missed. */
export function pixelToPatient(render: SkinRender, x: number, y: number): Vec3 | undefined {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < 0 || py < 0 || px >= render.width || py >= render.height) return undefined;
  const t = render.depth[py * render.width + px]!;
  if (Number.isNaN(t)) return undefined;
  const { origin, right, down, direction } = render.camera;
  return add(add(add(origin, scale(right, x)), scale(down, y)), scale(direction, t));
}

/**
 * Empty-space skipping: the skin grid pooled into blocks of `block` cells, and
 * for every block its chessboard distance (in blocks, capped at 255) to the
 * nearest block holding body. A ray may move d − 1 blocks along every axis
 * without passing body.
 */
export interface BodyDistance {
  distance: Uint8Array;
  dims: [number, number, number];
  /** Volume voxels per block along each axis. */
  size: [number, number, number];
}

export function bodyDistance(skin: SkinMask, block = 2): BodyDistance {
  const [cx, cy, cz] = skin.dims;
  const dims = skin.dims.map((n) => Math.ceil(n / block)) as [number, number, number];
  const [gx, gy, gz] = dims;
  const plane = gx * gy;
  const d = new Uint8Array(gx * gy * gz).fill(255);
  for (let z = 0; z < cz; z++)
    for (let y = 0; y < cy; y++) {
      const row = (z * cy + y) * cx;
      const out = Math.floor(z / block) * plane + Math.floor(y / block) * gx;
      for (let x = 0; x < cx; x++) if (skin.mask[row + x]) d[out + Math.floor(x / block)] = 0;
    }
  // Two chamfer passes over the 26-neighbourhood with unit weights give the exact chessboard distance.
  for (let z = 0; z < gz; z++)
    for (let y = 0; y < gy; y++)
      for (let x = 0; x < gx; x++) {
        const p = z * plane + y * gx + x;
        let m = d[p]!;
        if (m === 0) continue;
        for (let dz = -1; dz <= 0; dz++) {
          const Z = z + dz;
          if (Z < 0) continue;
          for (let dy = -1; dy <= 1; dy++) {
            if (dz === 0 && dy > 0) break;
            const Y = y + dy;
            if (Y < 0 || Y >= gy) continue;
            for (let dx = -1; dx <= 1; dx++) {
              if (dz === 0 && dy === 0 && dx >= 0) break;
              const X = x + dx;
              if (X < 0 || X >= gx) continue;
              const v = d[Z * plane + Y * gx + X]! + 1;
              if (v < m) m = v;
            }
          }
        }
        d[p] = m;
      }
  for (let z = gz - 1; z >= 0; z--)
    for (let y = gy - 1; y >= 0; y--)
      for (let x = gx - 1; x >= 0; x--) {
        const p = z * plane + y * gx + x;
        let m = d[p]!;
        if (m === 0) continue;
        for (let dz = 1; dz >= 0; dz--) {
          const Z = z + dz;
          if (Z >= gz) continue;
          for (let dy = 1; dy >= -1; dy--) {
            if (dz === 0 && dy < 0) break;
            const Y = y + dy;
            if (Y < 0 || Y >= gy) continue;
            for (let dx = 1; dx >= -1; dx--) {
              if (dz === 0 && dy === 0 && dx <= 0) break;
              const X = x + dx;
              if (X < 0 || X >= gx) continue;
              const v = d[Z * plane + Y * gx + X]! + 1;
              if (v < m) m = v;
            }
          }
        }
        d[p] = m;
      }
  return { distance: d, dims, size: skin.factor.map((f) => f * block) as [number, number, number] };
}

/** The scene: the volume's geometry, its surface field, the body mask and its skipping distances. */
export interface SkinScene {
  volume: Volume;
  skin: SkinMask;
  surface: SurfaceField;
  distance: BodyDistance;
}

/** Renders the skin surface from one view. */
export function renderSkin(scene: SkinScene, view: View, options: Partial<RenderOptions> = {}): SkinRender {
  const { volume, skin, surface, distance } = scene;
  const { size, margin, skinTone } = { ...defaultRenderOptions, ...options };
  const { iso, field: data, gated } = surface;
  const { right, up, direction } = viewAxes(view);
  const { dims, spacing } = volume;
  const [nx, ny, nz] = dims;

  // Fit the body in the picture: the centres of the skipping grid's body blocks, projected.
  const [bx, by, bz] = distance.dims;
  const [sx, sy, sz] = distance.size;
  let r0 = Infinity;
  let r1 = -Infinity;
  let u0 = Infinity;
  let u1 = -Infinity;
  let d0 = Infinity;
  let d1 = -Infinity;
  for (let z = 0; z < bz; z++)
    for (let y = 0; y < by; y++)
      for (let x = 0; x < bx; x++) {
        if (distance.distance[(z * by + y) * bx + x] !== 0) continue;
        const c = voxelToPatient(volume, Math.min(dims[0] - 1, (x + 0.5) * sx), Math.min(dims[1] - 1, (y + 0.5) * sy), Math.min(dims[2] - 1, (z + 0.5) * sz));
        const r = dot(c, right);
        const u = dot(c, up);
        const d = dot(c, direction);
        if (r < r0) r0 = r;
        if (r > r1) r1 = r;
        if (u < u0) u0 = u;
        if (u > u1) u1 = u;
        if (d < d0) d0 = d;
        if (d > d1) d1 = d;
      }
  const half = Math.hypot(sx * spacing[0], sy * spacing[1], sz * spacing[2]) / 2;
  r0 -= half;
  r1 += half;
  u0 -= half;
  u1 += half;
  d0 -= half;
  d1 += half;
  const extent = Math.max(r1 - r0, u1 - u0) * (1 + 2 * margin);
  const pixel = extent / size;
  const centre = add(scale(right, (r0 + r1) / 2), scale(up, (u0 + u1) / 2));
  const start = d0 - 2;
  const origin = add(add(add(centre, scale(right, -extent / 2 + pixel / 2)), scale(up, extent / 2 - pixel / 2)), scale(direction, start));
  const camera: RenderCamera = { origin, right: scale(right, pixel), down: scale(up, -pixel), direction };
  const length = d1 - start + 2;

  // Everything below runs in voxel indices: a ray is o + t·d, t in mm.
  const o0 = patientToVoxel(volume, origin);
  const toVoxel = (v: Vec3): Vec3 => {
    const a = patientToVoxel(volume, add(origin, v));
    return [a[0] - o0[0], a[1] - o0[1], a[2] - o0[2]];
  };
  const dRight = toVoxel(camera.right);
  const dDown = toVoxel(camera.down);
  const dDir = toVoxel(direction);
  // Half the middle spacing: in-plane detail counts, a very fine slice step alone does not.
  const fine = 0.5 * [...spacing].sort((a, b) => a - b)[1]!;
  // t (mm) that moves the ray one block along its fastest axis.
  const blockStep = Math.min(...distance.size.map((f, a) => f / Math.max(1e-9, Math.abs(dDir[a]!))));
  const [gx, gy] = distance.dims;
  const [fx, fy, fz] = distance.size;
  const plane = nx * ny;

  const sample = (x: number, y: number, z: number): number => {
    const x0 = Math.max(0, Math.min(nx - 2, Math.floor(x)));
    const y0 = Math.max(0, Math.min(ny - 2, Math.floor(y)));
    const z0 = Math.max(0, Math.min(nz - 2, Math.floor(z)));
    const fx = Math.min(1, Math.max(0, x - x0));
    const fy = Math.min(1, Math.max(0, y - y0));
    const fz = Math.min(1, Math.max(0, z - z0));
    const p = z0 * plane + y0 * nx + x0;
    const c00 = data[p]! + (data[p + 1]! - data[p]!) * fx;
    const c10 = data[p + nx]! + (data[p + nx + 1]! - data[p + nx]!) * fx;
    const c01 = data[p + plane]! + (data[p + plane + 1]! - data[p + plane]!) * fx;
    const c11 = data[p + plane + nx]! + (data[p + plane + nx + 1]! - data[p + plane + nx]!) * fx;
    const c0 = c00 + (c10 - c00) * fy;
    const c1 = c01 + (c11 - c01) * fy;
    return c0 + (c1 - c0) * fz;
  };
  const inside = (x: number, y: number, z: number) => x >= 0 && y >= 0 && z >= 0 && x <= nx - 1 && y <= ny - 1 && z <= nz - 1;
  const blockDistance = (x: number, y: number, z: number) =>
    distance.distance[(Math.floor((z + 0.5) / fz) * gy + Math.floor((y + 0.5) / fy)) * gx + Math.floor((x + 0.5) / fx)]!;

  const light = unit(add(add(scale(direction, -1), scale(up, 0.6)), scale(right, -0.35)));
  const halfway = unit(add(light, scale(direction, -1)));
  const rgba = new Uint8Array(size * size * 4);
  const depth = new Float32Array(size * size).fill(NaN);
  const gradient: Vec3 = [0, 0, 0];
  const axes = volume.axes;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const ox = o0[0] + dRight[0] * px + dDown[0] * py;
      const oy = o0[1] + dRight[1] * px + dDown[1] * py;
      const oz = o0[2] + dRight[2] * px + dDown[2] * py;
      // Clip the ray to the volume box.
      let t0 = 0;
      let t1 = length;
      for (let a = 0; a < 3; a++) {
        const o = a === 0 ? ox : a === 1 ? oy : oz;
        const d = dDir[a]!;
        const max = dims[a]! - 1;
        if (Math.abs(d) < 1e-12) {
          if (o < 0 || o > max) t1 = -1;
          continue;
        }
        let ta = (0 - o) / d;
        let tb = (max - o) / d;
        if (ta > tb) [ta, tb] = [tb, ta];
        if (ta > t0) t0 = ta;
        if (tb < t1) t1 = tb;
      }
      if (t0 >= t1) continue;
      let t = t0;
      let previous = -Infinity;
      let hit = NaN;
      while (t <= t1) {
        const x = ox + dDir[0] * t;
        const y = oy + dDir[1] * t;
        const z = oz + dDir[2] * t;
        const far = blockDistance(x, y, z);
        if (far > 1) {
          previous = -Infinity;
          t += (far - 1) * blockStep;
          continue;
        }
        const v = sample(x, y, z);
        if (v >= iso && (!gated || inBody(skin, x, y, z))) {
          if (previous === -Infinity) {
            hit = t;
          } else {
            // Linear refinement between the last sample below and this one.
            hit = t - fine * ((v - iso) / Math.max(1e-6, v - previous));
          }
          break;
        }
        previous = v;
        t += fine;
      }
      if (Number.isNaN(hit)) continue;
      const x = ox + dDir[0] * hit;
      const y = oy + dDir[1] * hit;
      const z = oz + dDir[2] * hit;
      if (!inside(x, y, z)) continue;
      // Normal: the value gradient (index space → mm), pointing out of the body.
      const gx = (sample(x + 1, y, z) - sample(x - 1, y, z)) / (2 * spacing[0]);
      const gy = (sample(x, y + 1, z) - sample(x, y - 1, z)) / (2 * spacing[1]);
      const gz = (sample(x, y, z + 1) - sample(x, y, z - 1)) / (2 * spacing[2]);
      for (let a = 0; a < 3; a++) gradient[a] = -(axes[0][a]! * gx + axes[1][a]! * gy + axes[2][a]! * gz);
      let normal = unit(gradient);
      // Flat caps where the body is cut by the volume's edge: face the camera.
      if ((!gated && hit === t0) || Math.hypot(gx, gy, gz) < 1e-6) normal = scale(direction, -1);
      if (dot(normal, direction) > 0) normal = scale(normal, -1);
      const diffuse = Math.max(0, dot(normal, light));
      const specular = Math.max(0, dot(normal, halfway)) ** 24;
      const shade = 0.22 + 0.78 * diffuse;
      const o = (py * size + px) * 4;
      rgba[o] = Math.min(255, skinTone[0] * shade + 40 * specular);
      rgba[o + 1] = Math.min(255, skinTone[1] * shade + 40 * specular);
      rgba[o + 2] = Math.min(255, skinTone[2] * shade + 40 * specular);
      rgba[o + 3] = 255;
      depth[py * size + px] = hit;
    }
  }
  return { view, width: size, height: size, rgba, depth, camera };
}
