// Public surface of the face-risk detector (issue 5): series → volume →
// skin → renders → detector (injected) → "face reconstructable" + 3D region.
// The same detector judges 2D pictures (photos, captures, icons).
export { type DetectedFace, type FaceBox, type FaceDetector, type FaceLandmarks, type Point2, type RgbaImage } from './detector';
export { volumeFromSeries, voxelToPatient, patientToVoxel, type Vec3, type Volume, type VolumeResult } from './volume';
export { segmentSkin, inBody, skinThreshold, backgroundThreshold, ctSkinThreshold, defaultSkinOptions, type SkinMask, type SkinOptions } from './skin';
export { faceEligibility, volumeEligibility, defaultEligibility, type Eligibility, type EligibilityOptions } from './eligibility';
export { surfaceField, type SurfaceField, type SurfaceMode } from './surface';
export {
  renderSkin,
  bodyDistance,
  pixelToPatient,
  viewAxes,
  defaultRenderOptions,
  type BodyDistance,
  type RenderCamera,
  type RenderOptions,
  type SkinRender,
  type SkinScene,
  type View,
} from './render';
export {
  checkFace,
  confirmFace,
  defaultViews,
  defaultFaceGeometry,
  defaultCheckFaceOptions,
  type CheckFaceOptions,
  type FaceCheck,
  type FaceGeometryLimits,
  type FaceRegion,
  type FaceView,
  type SurfaceLandmarks,
} from './check';
export { facesInPicture, confirmPictureFace, rgbaFromDisplay, defaultPictureLimits, type PictureFace, type PictureLimits } from './picture';
export { faceFindings, seriesVolume, type SeriesFile } from './findings';
