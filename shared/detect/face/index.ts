// Public surface of the face-risk detector (issue 5): series → volume →
// skin → renders → detector (injected) → "face reconstructable" + 3D region.
export { type DetectedFace, type FaceBox, type FaceDetector, type FaceLandmarks, type Point2, type RgbaImage } from './detector';
