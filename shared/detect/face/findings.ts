// Face findings of one series for the scan document: a volume is checked in 3D
// (can a face be rebuilt?), pictures that are not part of a volume (photos,
// captures of renders) and icon thumbnails are checked in 2D.
import { Tags, type DicomFile } from '../../dicom';
import { encodeRgbaPng, pngDataUrl } from '../../export/png';
import type { Finding } from '../../export/scan';
import { decodeFrame, iconImage, pixelInfo, toDisplay8 } from '../../pixels';
import { checkFace, type CheckFaceOptions, type FaceView } from './check';
import type { FaceDetector } from './detector';
import { facesInPicture, rgbaFromDisplay } from './picture';
import { volumeFromSeries, type VolumeResult } from './volume';

/** The volume of a series with pixels in three planes or more (slices, or frames of one file); undefined otherwise. */
export function seriesVolume(series: readonly SeriesFile[]): VolumeResult | undefined {
  const withPixels = series.filter((s) => s.file.dataset.has(Tags.PixelData));
  const frames = withPixels.length === 1 ? (withPixels[0]!.file.dataset.number(Tags.NumberOfFrames) ?? 1) : withPixels.length;
  return frames >= 3 ? volumeFromSeries(withPixels.map((s) => s.file)) : undefined;
}

export interface SeriesFile {
  input: string;
  file: DicomFile;
}

/** Pictures looked at one by one in a series that is not a volume (a long non-head series is not photographs). */
const MAX_PICTURES = 32;
const pictureModalities = new Set(['XC', 'OT', 'SC', 'GM', 'SM', 'ES', 'DOC']);

function looksLikePicture(file: DicomFile, seriesSize: number): boolean {
  const samples = file.dataset.number('00280002') ?? 1;
  const photometric = file.dataset.string('00280004');
  return seriesSize < 3 || samples === 3 || photometric === 'PALETTE COLOR' || pictureModalities.has(file.dataset.string(Tags.Modality));
}

async function pictureFindings(input: string, picture: DicomFile, image: 'pixels' | 'icon', detector: FaceDetector): Promise<Finding[]> {
  const info = pixelInfo(picture);
  if (info.rows < 32 || info.columns < 32) return [];
  const faces = await facesInPicture(rgbaFromDisplay(toDisplay8(decodeFrame(picture, 0, {}, info), info)), detector);
  return faces
    .filter((face) => face.confirmed)
    .map((face) => ({
      kind: 'face' as const,
      confidence: Math.min(1, Math.max(0, face.meshScore)),
      where: { file: input, frame: 0, box: [face.box.x, face.box.y, face.box.width, face.box.height].map(Math.round) as [number, number, number, number], image },
      detail: image === 'icon' ? 'A face is visible in the icon thumbnail.' : 'A face is visible in this picture.',
    }));
}

export interface FacePictureOption {
  /**
   * Attach the face as the detector saw it (a PNG data URL) to a 3D face finding, for the app's
   * overview. Off by default: a face is itself identifying, and scan output often ends up in logs.
   */
  picture?: boolean;
}

/** The frontal render among the confirmed views (else the first confirmed one). */
function pictureOf(views: readonly FaceView[]): Pick<Finding, 'picture'> {
  const confirmed = views.filter((v) => v.confirmed && v.render);
  const best = confirmed.find((v) => v.yaw === 0 && v.pitch === 0) ?? confirmed[0];
  const render = best?.render;
  return render ? { picture: pngDataUrl(encodeRgbaPng(render.rgba, render.width, render.height)) } : {};
}

/**
 * Findings of kind "face" for one series (files in any order). A picture whose pixels cannot be
 * decoded is skipped here; the text scan reports such files as unchecked.
 */
export async function faceFindings(
  series: readonly SeriesFile[],
  detector: FaceDetector,
  options: Partial<CheckFaceOptions> & FacePictureOption = {},
  /** The series' volume when the caller built it already (other detectors read it too). */
  prebuilt?: VolumeResult,
): Promise<Finding[]> {
  const withPixels = series.filter((s) => s.file.dataset.has(Tags.PixelData));
  const findings: Finding[] = [];
  let volumeChecked = false;
  const built = prebuilt ?? seriesVolume(series);
  if (built?.ok) {
    const { picture: wantPicture, ...checkOptions } = options;
    const check = await checkFace(built.volume, detector, wantPicture ? { ...checkOptions, keepRenders: true } : checkOptions);
    volumeChecked = check.eligible;
    if (check.reconstructable) {
      const seen = check.views.filter((v) => v.confirmed).length;
      const region = check.region;
      findings.push({
        kind: 'face',
        confidence: check.confidence,
        where: {
          file: withPixels[0]!.input,
          ...(region ? { region: { voxelMin: region.voxelMin, voxelMax: region.voxelMax, patientMin: region.patientMin, patientMax: region.patientMax } } : {}),
        },
        detail: `A face can be rebuilt from this series in 3D (seen in ${seen} of ${check.views.length} rendered view${check.views.length === 1 ? '' : 's'}).`,
        ...(wantPicture ? pictureOf(check.views) : {}),
      });
    }
  }
  for (const [index, { input, file }] of withPixels.entries()) {
    const icon = iconImage(file);
    try {
      if (icon) findings.push(...(await pictureFindings(input, icon, 'icon', detector)));
      if (!volumeChecked && index < MAX_PICTURES && looksLikePicture(file, withPixels.length)) {
        findings.push(...(await pictureFindings(input, file, 'pixels', detector)));
      }
    } catch {
      // Undecodable pixels: listed as unchecked by the text scan.
    }
  }
  return findings;
}
