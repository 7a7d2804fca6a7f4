// The face check of one volume: is it a head whose face a renderer rebuilds
// and a face detector recognises? Skin → renders from around the face → the
// detector (injected) on each → landmark geometry checked in 3D through the
// render's depth map → a finding with its views and the face region.
import type { DetectedFace, FaceDetector, Point2, RgbaImage } from './detector';
import { faceEligibility, type Eligibility, type EligibilityOptions } from './eligibility';
import { bodyDistance, pixelToPatient, renderSkin, type RenderOptions, type SkinRender, type View } from './render';
import { segmentSkin, type SkinMask, type SkinOptions } from './skin';
import { surfaceField, type SurfaceMode } from './surface';
import { patientToVoxel, voxelToPatient, type Vec3, type Volume } from './volume';

/** Frontal, ±30° and ±60° yaw, ±15° pitch. */
export const defaultViews: readonly View[] = [
  { yaw: 0, pitch: 0 },
  { yaw: 30, pitch: 0 },
  { yaw: -30, pitch: 0 },
  { yaw: 0, pitch: 15 },
  { yaw: 0, pitch: -15 },
  { yaw: 60, pitch: 0 },
  { yaw: -60, pitch: 0 },
];

export interface FaceGeometryLimits {
  /** Landmark-model score a face needs (the box score alone fires on skulls and ankles). */
  minMeshScore: number;
  /** Distance between the eyes on the surface (mm). */
  eyeDistanceMm: [number, number];
  /** Eye to nose tip on the surface (mm). */
  eyeNoseMm: [number, number];
  /** The nose tip stands this far in front of the eyes, along the view (mm), in views within ±35° yaw. */
  minNoseProtrusionMm: number;
}

export const defaultFaceGeometry: FaceGeometryLimits = {
  minMeshScore: 0.5,
  eyeDistanceMm: [40, 95],
  eyeNoseMm: [20, 90],
  minNoseProtrusionMm: 3,
};

export interface CheckFaceOptions {
  views: readonly View[];
  /**
   * Surfaces to try in order until one shows a face. Default: the values'
   * own surface first on thin slices (finest, nothing to build), the
   * shape-interpolated distance surface first on thick ones (> 2× the pixel).
   */
  modes?: readonly SurfaceMode[];
  render: Partial<RenderOptions>;
  skin: Partial<SkinOptions>;
  eligibility: Partial<EligibilityOptions>;
  geometry: Partial<FaceGeometryLimits>;
  /** Every view is rendered and detected even after a face was confirmed (for reports and calibration). */
  allViews: boolean;
  /** Keep the renders in the result (RGBA + depth: about 0.5 MB a view at 256²). */
  keepRenders: boolean;
  /** Called after each stage with its name and milliseconds (benchmarks). */
  onTiming?: (stage: string, ms: number) => void;
  /** A clock (shared/ has no `performance`): the host passes `() => performance.now()`. */
  now?: () => number;
}

export const defaultCheckFaceOptions: CheckFaceOptions = {
  views: defaultViews,
  render: {},
  skin: {},
  eligibility: {},
  geometry: {},
  allViews: false,
  keepRenders: false,
};

/** Landmarks of one view on the skin, in patient space (LPS mm). */
export interface SurfaceLandmarks {
  leftEye?: Vec3;
  rightEye?: Vec3;
  noseTip?: Vec3;
  mouth?: Vec3;
}

export interface FaceView {
  yaw: number;
  pitch: number;
  mode: SurfaceMode;
  /** The best face's scores (0 when the detector found none). */
  score: number;
  boxScore: number;
  meshScore: number;
  /** Whether the face passed the landmark and geometry checks. */
  confirmed: boolean;
  /** Why not, when a face was found but not confirmed. */
  rejected?: string;
  box?: DetectedFace['box'];
  /** Landmarks in the render's pixels. */
  landmarks?: DetectedFace['landmarks'];
  surface?: SurfaceLandmarks;
  /** Measured on the surface (mm). */
  eyeDistanceMm?: number;
  noseProtrusionMm?: number;
  render?: SkinRender;
}

export interface FaceRegion {
  /** Bounding box of the face's surface points (LPS mm). */
  patientMin: Vec3;
  patientMax: Vec3;
  /** The same box in voxel indices (inclusive, clamped to the volume). */
  voxelMin: Vec3;
  voxelMax: Vec3;
  /** The surface points it was built from (outline, brows, eyes, nose, mouth), LPS mm. */
  points: Vec3[];
}

export interface FaceCheck {
  eligible: boolean;
  eligibility?: Eligibility;
  reconstructable: boolean;
  /** 0..1: how sure the face is there (1 − Π(1 − meshScore) over confirmed views). */
  confidence: number;
  views: FaceView[];
  region?: FaceRegion;
  /** The skin threshold used (modality units). */
  threshold?: number;
  /** The body mask (with `keepRenders`: defacing uses it to stay near the skin). */
  skin?: SkinMask;
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dist = (a: Vec3, b: Vec3) => Math.hypot(...sub(a, b));
const finite = (p: Point2) => Number.isFinite(p.x) && Number.isFinite(p.y);

/** A landmark's surface point: the pixel itself, else the nearest hit within 2 pixels. */
function onSurface(render: SkinRender, p: Point2): Vec3 | undefined {
  if (!finite(p)) return undefined;
  for (let r = 0; r <= 2; r++)
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const hit = pixelToPatient(render, p.x + dx, p.y + dy);
        if (hit) return hit;
      }
  return undefined;
}

/** Judges the best face of one render: landmarks present, on the skin, a face's proportions, on the front of the head. */
export function confirmFace(
  face: DetectedFace,
  render: SkinRender,
  bodyCentre: Vec3,
  limits: FaceGeometryLimits,
): Pick<FaceView, 'confirmed' | 'rejected' | 'surface' | 'eyeDistanceMm' | 'noseProtrusionMm'> {
  if (face.meshScore < limits.minMeshScore) return { confirmed: false, rejected: `landmark score ${face.meshScore.toFixed(2)} < ${limits.minMeshScore}` };
  const l = face.landmarks;
  const surface: SurfaceLandmarks = {
    leftEye: onSurface(render, l.leftEye),
    rightEye: onSurface(render, l.rightEye),
    noseTip: onSurface(render, l.noseTip),
    mouth: onSurface(render, l.mouth),
  };
  const { leftEye, rightEye, noseTip } = surface;
  if (!leftEye || !rightEye || !noseTip) return { confirmed: false, rejected: 'eyes or nose not on the skin', surface };
  const eyeDistanceMm = dist(leftEye, rightEye);
  const eyes: Vec3 = [(leftEye[0] + rightEye[0]) / 2, (leftEye[1] + rightEye[1]) / 2, (leftEye[2] + rightEye[2]) / 2];
  const dir = render.camera.direction;
  const depthOf = (p: Vec3) => p[0] * dir[0] + p[1] * dir[1] + p[2] * dir[2];
  const noseProtrusionMm = depthOf(eyes) - depthOf(noseTip);
  const out = { surface, eyeDistanceMm, noseProtrusionMm };
  const [e0, e1] = limits.eyeDistanceMm;
  if (eyeDistanceMm < e0 || eyeDistanceMm > e1) return { ...out, confirmed: false, rejected: `eyes ${eyeDistanceMm.toFixed(0)} mm apart` };
  const eyeNose = Math.min(dist(leftEye, noseTip), dist(rightEye, noseTip));
  if (eyeNose < limits.eyeNoseMm[0] || eyeNose > limits.eyeNoseMm[1]) return { ...out, confirmed: false, rejected: `nose ${eyeNose.toFixed(0)} mm from an eye` };
  if (Math.abs(render.view.yaw) <= 35 && noseProtrusionMm < limits.minNoseProtrusionMm) {
    return { ...out, confirmed: false, rejected: `nose ${noseProtrusionMm.toFixed(1)} mm in front of the eyes` };
  }
  // LPS: anterior is −Y. The face's eyes and nose lie in front of the body's centre.
  if (!(eyes[1] < bodyCentre[1] && noseTip[1] < bodyCentre[1])) return { ...out, confirmed: false, rejected: 'landmarks on the back of the head' };
  return { ...out, confirmed: true };
}

function regionOf(volume: Volume, views: readonly FaceView[], margin = 5): FaceRegion | undefined {
  const points: Vec3[] = [];
  for (const v of views) {
    if (!v.confirmed || !v.render || !v.landmarks) continue;
    const l = v.landmarks;
    for (const p of [...l.outline, l.leftBrow, l.rightBrow, l.leftEye, l.rightEye, l.noseTip, l.mouth]) {
      const hit = onSurface(v.render, p);
      if (hit) points.push(hit);
    }
  }
  if (points.length === 0) return undefined;
  const patientMin = [0, 1, 2].map((a) => Math.min(...points.map((p) => p[a]!)) - margin) as Vec3;
  const patientMax = [0, 1, 2].map((a) => Math.max(...points.map((p) => p[a]!)) + margin) as Vec3;
  const corners: Vec3[] = [];
  for (const x of [patientMin[0], patientMax[0]]) for (const y of [patientMin[1], patientMax[1]]) for (const z of [patientMin[2], patientMax[2]]) corners.push(patientToVoxel(volume, [x, y, z]));
  const voxelMin = [0, 1, 2].map((a) => Math.max(0, Math.floor(Math.min(...corners.map((c) => c[a]!))))) as Vec3;
  const voxelMax = [0, 1, 2].map((a) => Math.min(volume.dims[a]! - 1, Math.ceil(Math.max(...corners.map((c) => c[a]!))))) as Vec3;
  return { patientMin, patientMax, voxelMin, voxelMax, points };
}

/** Checks one head volume for a reconstructable face. */
export async function checkFace(volume: Volume, detector: FaceDetector, options: Partial<CheckFaceOptions> = {}): Promise<FaceCheck> {
  const o = { ...defaultCheckFaceOptions, ...options };
  const limits = { ...defaultFaceGeometry, ...o.geometry };
  const now = o.now ?? (() => 0);
  const timed = <T>(stage: string, run: () => T): T => {
    const t = now();
    const out = run();
    o.onTiming?.(stage, now() - t);
    return out;
  };
  const skin: SkinMask = timed('skin', () => segmentSkin(volume, o.skin));
  const eligibility = faceEligibility(volume, skin, o.eligibility);
  const result: FaceCheck = { eligible: eligibility.eligible, eligibility, reconstructable: false, confidence: 0, views: [], threshold: skin.threshold };
  if (!eligibility.eligible) return result;
  const distance = timed('distance', () => bodyDistance(skin));
  const b = skin.bounds;
  const bodyCentre = voxelToPatient(volume, (b[0][0] + b[0][1]) / 2, (b[1][0] + b[1][1]) / 2, (b[2][0] + b[2][1]) / 2);

  const thick = volume.spacing[2] > 2 * Math.max(volume.spacing[0], volume.spacing[1]);
  const modes = o.modes ?? (thick ? ['distance', 'values'] : ['values', 'distance']);
  for (const mode of modes) {
    const surface = timed(`surface ${mode}`, () => surfaceField(volume, skin, mode));
    const scene = { volume, skin, surface, distance };
    for (const view of o.views) {
      const render = timed('render', () => renderSkin(scene, view, o.render));
      const image: RgbaImage = { data: render.rgba, width: render.width, height: render.height };
      const t = now();
      const faces = await detector.detect(image);
      o.onTiming?.('detect', now() - t);
      // Every face is judged: a hallucinated face (high mesh score on a poor box) may rank above the real one.
      const judged = faces.map((face) => ({ face, verdict: confirmFace(face, render, bodyCentre, limits) }));
      const best = judged.find((j) => j.verdict.confirmed) ?? judged[0];
      const entry: FaceView = {
        ...view,
        mode,
        score: best?.face.score ?? 0,
        boxScore: best?.face.boxScore ?? 0,
        meshScore: best?.face.meshScore ?? 0,
        confirmed: false,
      };
      if (best) Object.assign(entry, { box: best.face.box, landmarks: best.face.landmarks }, best.verdict);
      if (entry.confirmed || o.keepRenders) entry.render = render;
      result.views.push(entry);
      if (entry.confirmed && !o.allViews && result.views.filter((v) => v.confirmed).length >= 2) break;
    }
    if (result.views.some((v) => v.confirmed) && !o.allViews) break;
  }
  const confirmed = result.views.filter((v) => v.confirmed);
  result.reconstructable = confirmed.length > 0;
  result.confidence = 1 - confirmed.reduce((p, v) => p * (1 - v.meshScore), 1);
  result.region = regionOf(volume, confirmed);
  if (!o.keepRenders) for (const v of result.views) delete v.render;
  else result.skin = skin;
  return result;
}



