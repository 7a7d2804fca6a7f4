// The same detector on 2D pictures: photographs, secondary captures of 3D
// renders, icon thumbnails. No depth here, so only the landmark score and the
// landmarks' proportions in the picture confirm a face.
import type { Display8 } from '../../pixels';
import type { DetectedFace, FaceDetector, RgbaImage } from './detector';

export interface PictureFace extends DetectedFace {
  confirmed: boolean;
  rejected?: string;
}

export interface PictureLimits {
  minMeshScore: number;
  /** Eye distance as a fraction of the face box's width. */
  eyeDistanceOfBox: [number, number];
}

export const defaultPictureLimits: PictureLimits = { minMeshScore: 0.5, eyeDistanceOfBox: [0.15, 0.8] };

/** An 8-bit display frame (grey or RGBA) as RGBA for the detector. */
export function rgbaFromDisplay(display: Display8): RgbaImage {
  const n = display.rows * display.columns;
  if (display.channels === 4) return { data: display.data, width: display.columns, height: display.rows };
  const data = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    const v = display.data[p * display.channels]!;
    data[p * 4] = v;
    data[p * 4 + 1] = v;
    data[p * 4 + 2] = v;
    data[p * 4 + 3] = 255;
  }
  return { data, width: display.columns, height: display.rows };
}

export function confirmPictureFace(face: DetectedFace, limits: PictureLimits = defaultPictureLimits): PictureFace {
  if (face.meshScore < limits.minMeshScore) return { ...face, confirmed: false, rejected: `landmark score ${face.meshScore.toFixed(2)} < ${limits.minMeshScore}` };
  const { leftEye, rightEye, noseTip } = face.landmarks;
  if (![leftEye, rightEye, noseTip].every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))) return { ...face, confirmed: false, rejected: 'no eyes or nose' };
  const eyes = Math.hypot(leftEye.x - rightEye.x, leftEye.y - rightEye.y) / Math.max(1, face.box.width);
  const [lo, hi] = limits.eyeDistanceOfBox;
  if (eyes < lo || eyes > hi) return { ...face, confirmed: false, rejected: `eye distance ${eyes.toFixed(2)} of the face's width` };
  // The nose lies below the eyes' line (for a roughly upright face) and between them.
  const midY = (leftEye.y + rightEye.y) / 2;
  const minX = Math.min(leftEye.x, rightEye.x);
  const maxX = Math.max(leftEye.x, rightEye.x);
  if (!(noseTip.y > midY && noseTip.x > minX - 0.5 * (maxX - minX) && noseTip.x < maxX + 0.5 * (maxX - minX))) {
    return { ...face, confirmed: false, rejected: 'nose not below and between the eyes' };
  }
  return { ...face, confirmed: true };
}

/** Faces in one picture, each judged; `confirmed` ones are findings. */
export async function facesInPicture(image: RgbaImage, detector: FaceDetector, limits: Partial<PictureLimits> = {}): Promise<PictureFace[]> {
  const faces = await detector.detect(image);
  return faces.map((f) => confirmPictureFace(f, { ...defaultPictureLimits, ...limits }));
}
