// The proof: the defaced volume rendered again from every viewpoint, both
// surfaces, and the same detector must confirm no face. Before/after renders
// (same camera: fitted on the original body) go to the audit report.
import {
  bodyDistance,
  checkFace,
  renderSkin,
  segmentSkin,
  surfaceField,
  type CheckFaceOptions,
  type FaceCheck,
  type FaceDetector,
  type RgbaImage,
  type View,
  type Volume,
} from '../detect/face';

export interface ViewScore {
  mode: string;
  yaw: number;
  pitch: number;
  /** Landmark (mesh) score of the best face the detector returned, 0 when none. */
  meshScore: number;
  confirmed: boolean;
  rejected?: string;
}

export interface ReportRender {
  view: View;
  before: RgbaImage;
  after: RgbaImage;
}

export interface DefaceProof {
  /** No view of either surface shows a confirmed face. */
  faceFree: boolean;
  /** The check of the defaced volume (every view). */
  check: FaceCheck;
  views: ViewScore[];
  renders: ReportRender[];
}

export interface ProofOptions {
  /** Views for the report's before/after pictures. */
  reportViews: readonly View[];
  /** Size (pixels) of those pictures. */
  reportSize: number;
  /** Passed to the face check of the defaced volume (`allViews` is always on). */
  check: Partial<CheckFaceOptions>;
}

export const defaultProofOptions: ProofOptions = {
  reportViews: [
    { yaw: 0, pitch: 0 },
    { yaw: 30, pitch: 0 },
    { yaw: -30, pitch: 0 },
  ],
  reportSize: 192,
  check: {},
};

export const viewScores = (check: FaceCheck): ViewScore[] =>
  check.views.map((v) => ({ mode: v.mode, yaw: v.yaw, pitch: v.pitch, meshScore: v.meshScore, confirmed: v.confirmed, ...(v.rejected ? { rejected: v.rejected } : {}) }));

/**
 * Before/after pictures with one camera: both rendered within the original
 * body (its mask gates the values and fits the picture), so the after picture
 * shows exactly what was taken away.
 */
export function beforeAfterRenders(original: Volume, defaced: Volume, views: readonly View[], size: number): ReportRender[] {
  const skin = segmentSkin(original);
  const distance = bodyDistance(skin);
  const thick = original.spacing[2] > 2 * Math.max(original.spacing[0], original.spacing[1]);
  const mode = thick ? 'distance' : 'values';
  const before = { volume: original, skin, surface: surfaceField(original, skin, mode), distance };
  const after = { volume: defaced, skin, surface: surfaceField(defaced, skin, mode), distance };
  const image = (r: ReturnType<typeof renderSkin>): RgbaImage => ({ data: r.rgba, width: r.width, height: r.height });
  return views.map((view) => ({ view, before: image(renderSkin(before, view, { size })), after: image(renderSkin(after, view, { size })) }));
}

/** Renders the defaced volume from every view and asks the detector; plus the report's before/after pictures. */
export async function proveDefaced(original: Volume, defaced: Volume, detector: FaceDetector, options: Partial<ProofOptions> = {}): Promise<DefaceProof> {
  const o = { ...defaultProofOptions, ...options };
  const check = await checkFace(defaced, detector, { ...o.check, allViews: true, keepRenders: false });
  const views = viewScores(check);
  return { faceFree: !views.some((v) => v.confirmed), check, views, renders: beforeAfterRenders(original, defaced, o.reportViews, o.reportSize) };
}
