// The face-detector seam: engines live outside shared/ (Human on tfjs WASM in
// Node, later a browser build), the face check only needs this shape.

/** A point in image pixels. */
export interface Point2 {
  x: number;
  y: number;
}

/** A rectangle in image pixels. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** RGBA, row-major, 4 bytes a pixel (what the ray-caster renders and a canvas holds). */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * Landmarks in image pixels. Left and right are the subject's (a frontal
 * picture shows the subject's left eye on the image's right).
 */
export interface FaceLandmarks {
  leftEye: Point2;
  rightEye: Point2;
  noseTip: Point2;
  mouth: Point2;
  /** Centre of each eyebrow. */
  leftBrow: Point2;
  rightBrow: Point2;
  /** The face oval (forehead → cheek → chin → cheek), for the face region. */
  outline: Point2[];
}

export interface DetectedFace {
  box: FaceBox;
  /** The detector's own overall score, 0..1. */
  score: number;
  /** Score of the face-box detector, 0..1. */
  boxScore: number;
  /** Score of the landmark (mesh) model, 0..1. */
  meshScore: number;
  landmarks: FaceLandmarks;
}

export interface FaceDetector {
  /** Faces in one picture, best first. */
  detect(image: RgbaImage): Promise<DetectedFace[]>;
  /** Frees the models; the detector is unusable afterwards. */
  dispose(): Promise<void>;
}
