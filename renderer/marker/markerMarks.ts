// The skin-marker findings of a scan document as the viewer needs them: per
// series, each mark's centre (LPS mm = Cornerstone's world space), size and
// kind, with an id that stays the same when the same scan answers again.
import type { ScanDocument } from '../../shared/api/contract';

export type Vec3 = [number, number, number];

export interface MarkerMark {
  /** Series UID and position: stable across scans of the same files. */
  id: string;
  seriesInstanceUID: string;
  /** Centre, LPS mm. */
  position: Vec3;
  /** Extent along the volume's columns, rows and slices (mm). */
  sizeMm: Vec3;
  markerKind: string;
  confidence: number;
  detail: string;
}

function isVec3(value: unknown): value is Vec3 {
  return Array.isArray(value) && value.length === 3 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Every `skin-marker` finding with a position; malformed ones are left out (the panel still counts them). */
export function markerMarksOf(document: ScanDocument): MarkerMark[] {
  const marks: MarkerMark[] = [];
  for (const series of document.series) {
    for (const f of series.findings) {
      if (f.kind !== 'skin-marker' || !isVec3(f.where.position)) continue;
      const size = isVec3(f.where.sizeMm) ? f.where.sizeMm : ([2, 2, 2] as Vec3);
      marks.push({
        id: `${series.seriesInstanceUID}@${f.where.position.join(',')}`,
        seriesInstanceUID: series.seriesInstanceUID,
        position: f.where.position,
        sizeMm: size,
        markerKind: String((f.where as { markerKind?: unknown }).markerKind ?? 'dense-in-shell'),
        confidence: f.confidence,
        detail: f.detail,
      });
    }
  }
  return marks;
}

/** The accepted marks grouped for the export request (`ExportRequest.skinMarkers.accepted`). */
export function acceptedBySeries(marks: readonly MarkerMark[], rejected: ReadonlySet<string>): Array<{ seriesInstanceUID: string; positions: Vec3[] }> {
  const bySeries = new Map<string, Vec3[]>();
  for (const m of marks) {
    if (rejected.has(m.id)) continue;
    bySeries.set(m.seriesInstanceUID, [...(bySeries.get(m.seriesInstanceUID) ?? []), m.position]);
  }
  return [...bySeries].map(([seriesInstanceUID, positions]) => ({ seriesInstanceUID, positions }));
}

/** Distance (mm) from a point to a plane through `point` with unit `normal`. */
export function planeDistance(position: Vec3, point: readonly number[], normal: readonly number[]): number {
  return Math.abs((position[0] - point[0]!) * normal[0]! + (position[1] - point[1]!) * normal[1]! + (position[2] - point[2]!) * normal[2]!);
}
