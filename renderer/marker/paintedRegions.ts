// Regions the user painted on the skin (scars, marks the detector does not
// find): per series a centre (LPS mm = Cornerstone's world space) and a
// radius. Drawn like the found marks (`asMarks`) and sent with the export
// (`paintedBySeries` → `ExportRequest.skinMarkers.painted`).
import type { ExportRequest } from '../../shared/api/contract';
import type { MarkerMark, Vec3 } from './markerMarks';

export interface PaintedRegion {
  id: string;
  seriesInstanceUID: string;
  centre: Vec3;
  radiusMm: number;
  /** Where it was painted: on the 3D surface or on a 2D slice. */
  from: '3d' | 'slice';
}

export const minRadiusMm = 1;
export const maxRadiusMm = 30;
export const defaultRadiusMm = 5;
/** At most this many per series (main refuses more). */
export const maxRegionsPerSeries = 200;

export const clampRadius = (mm: number) => (Number.isFinite(mm) ? Math.min(maxRadiusMm, Math.max(minRadiusMm, mm)) : defaultRadiusMm);

/** Painted regions as marks, so the 2D rings and the 3D spheres draw them (kind `painted`). */
export function asMarks(regions: readonly PaintedRegion[]): MarkerMark[] {
  return regions.map((r) => ({
    id: r.id,
    seriesInstanceUID: r.seriesInstanceUID,
    position: r.centre,
    sizeMm: [2 * r.radiusMm, 2 * r.radiusMm, 2 * r.radiusMm],
    markerKind: 'painted',
    confidence: 1,
    detail: `Painted region, radius ${r.radiusMm} mm: filled with the surrounding soft tissue in the copy (skin only, never bone)`,
  }));
}

type Painted = NonNullable<NonNullable<ExportRequest['skinMarkers']>['painted']>;

/** The export request's `painted`: regions grouped by series, rounded to 0.1 mm. */
export function paintedBySeries(regions: readonly PaintedRegion[]): Painted {
  const bySeries = new Map<string, Painted[number]['regions']>();
  const round = (v: number) => Math.round(v * 10) / 10;
  for (const r of regions) {
    const list = bySeries.get(r.seriesInstanceUID) ?? [];
    list.push({ centre: r.centre.map(round) as Vec3, radiusMm: round(r.radiusMm) });
    bySeries.set(r.seriesInstanceUID, list);
  }
  return [...bySeries].map(([seriesInstanceUID, list]) => ({ seriesInstanceUID, regions: list }));
}

const mm = (v: number) => v.toFixed(0);

/** "Painted region, 5 mm, at 60 mm left, 12 mm anterior, z 30 mm" (LPS: x to the left, y to the back). */
export function describePainted(r: PaintedRegion): string {
  const [x, y, z] = r.centre;
  return `Painted region, radius ${mm(r.radiusMm)} mm, at ${mm(Math.abs(x))} mm ${x >= 0 ? 'left' : 'right'}, ${mm(Math.abs(y))} mm ${y >= 0 ? 'posterior' : 'anterior'}, z ${mm(z)} mm`;
}
