// The face findings of a scan document, as the viewer needs them: per series,
// a 3D face region (a box in patient mm, LPS = Cornerstone's world space) for
// volumes, and a pixel box per picture (photo, icon thumbnail) for 2D faces.
import type { Finding, ScanDocument } from '../../shared/api/contract';

export type Vec3 = [number, number, number];

/** The face region `checkFace` reports: the bounding box of the face's skin points plus a margin. */
export interface FaceRegion {
  voxelMin: Vec3;
  voxelMax: Vec3;
  /** Patient coordinates (LPS, mm): the same as the viewports' world coordinates. */
  patientMin: Vec3;
  patientMax: Vec3;
}

/** A face that can be rebuilt from a series' volume. */
export interface VolumeFaceMark {
  kind: 'volume';
  seriesInstanceUID: string;
  confidence: number;
  detail: string;
  /** Absent when the detector could not place the face (then only the notice shows). */
  region?: FaceRegion;
}

/** A face seen in a picture: the file's pixels or its icon thumbnail. */
export interface PictureFaceMark {
  kind: 'picture';
  seriesInstanceUID: string;
  /** The instance, when the scan's path matches an open file. */
  sopInstanceUID?: string;
  file: string;
  frame: number;
  /** [x, y, width, height] in image pixels (of the icon when `image` is 'icon'). */
  box: [number, number, number, number];
  image: 'pixels' | 'icon';
  confidence: number;
  detail: string;
}

export type FaceMark = VolumeFaceMark | PictureFaceMark;

function isVec3(value: unknown): value is Vec3 {
  return Array.isArray(value) && value.length === 3 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/**
 * The region of a volume face finding. `FindingLocation` does not declare it (the
 * scan schema allows extra location fields), so it is checked here, not trusted.
 */
export function regionOf(finding: Finding): FaceRegion | undefined {
  const region = (finding.where as { region?: unknown }).region;
  if (!region || typeof region !== 'object') return undefined;
  const { voxelMin, voxelMax, patientMin, patientMax } = region as Record<string, unknown>;
  if (!isVec3(voxelMin) || !isVec3(voxelMax) || !isVec3(patientMin) || !isVec3(patientMax)) return undefined;
  // Corners in any order: the box is what matters.
  const low = patientMin.map((v, i) => Math.min(v, patientMax[i]!)) as Vec3;
  const high = patientMin.map((v, i) => Math.max(v, patientMax[i]!)) as Vec3;
  return { voxelMin, voxelMax, patientMin: low, patientMax: high };
}

/** Face marks of every series of a scan; `sops` maps the scan's file paths to SOP Instance UIDs. */
export function faceMarksOf(document: ScanDocument, sops: ReadonlyMap<string, string>): FaceMark[] {
  const marks: FaceMark[] = [];
  for (const series of document.series) {
    for (const finding of series.findings) {
      if (finding.kind !== 'face') continue;
      const { where } = finding;
      if (where.image === 'pixels' || where.image === 'icon') {
        if (!where.box) continue;
        const sop = sops.get(where.file);
        marks.push({
          kind: 'picture',
          seriesInstanceUID: series.seriesInstanceUID,
          ...(sop ? { sopInstanceUID: sop } : {}),
          file: where.file,
          frame: where.frame ?? 0,
          box: where.box,
          image: where.image,
          confidence: finding.confidence,
          detail: finding.detail,
        });
      } else if (where.image === undefined) {
        const region = regionOf(finding);
        marks.push({
          kind: 'volume',
          seriesInstanceUID: series.seriesInstanceUID,
          confidence: finding.confidence,
          detail: finding.detail,
          ...(region ? { region } : {}),
        });
      }
    }
  }
  return marks;
}
