// The skin marks of everything open and which of them the user keeps for
// removal (all, until one is rejected). The state lives next to the face
// findings (FaceFindingsProvider holds the store and publishes both from one
// scan); the views, the findings panel and the export panel read it here.
// Regions the user paints on the skin (scars) live here too, with the paint
// tool's switch and radius: every view paints into the same list.
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ScanDocument } from '../../shared/api/contract';
import { markerMarksOf, type MarkerMark, type Vec3 } from './markerMarks';
import { asMarks, clampRadius, defaultRadiusMm, maxRegionsPerSeries, type PaintedRegion } from './paintedRegions';

export interface MarkerFindings {
  marks: MarkerMark[];
  /** Ids of marks the user chose to keep in the copy. */
  rejected: ReadonlySet<string>;
  setAccepted: (id: string, accepted: boolean) => void;
  /** Whether the views draw the marks; one switch for all. */
  shown: boolean;
  setShown: (shown: boolean) => void;
  /** Regions painted on the skin, in the order painted. */
  painted: PaintedRegion[];
  addPainted: (seriesInstanceUID: string, centre: Vec3, from: PaintedRegion['from']) => void;
  removePainted: (id: string) => void;
  /** Whether a click on a view paints (instead of rotating or paging). */
  painting: boolean;
  setPainting: (on: boolean) => void;
  paintRadiusMm: number;
  setPaintRadiusMm: (mm: number) => void;
  /** Whether the scan has a CT or MR series (what painting applies to). */
  paintable: boolean;
}

/** Makes painted ids unique even after removals. */
let paintCount = 0;

export const MarkerFindingsContext = createContext<MarkerFindings | null>(null);

/** The store behind the context, and `publish` for whoever receives the scan. */
export function useMarkerStore(): { value: MarkerFindings; publish: (document: ScanDocument | null) => void } {
  const [marks, setMarks] = useState<MarkerMark[]>([]);
  const [rejected, setRejected] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState(true);
  const [painted, setPainted] = useState<PaintedRegion[]>([]);
  const [painting, setPainting] = useState(false);
  const [paintRadiusMm, setRadius] = useState(defaultRadiusMm);
  const [paintable, setPaintable] = useState(false);
  const publish = useCallback((document: ScanDocument | null) => {
    setMarks(document ? markerMarksOf(document) : []);
    const series = new Set(document?.series.filter((s) => /^(CT|MR)$/i.test(s.modality)).map((s) => s.seriesInstanceUID) ?? []);
    setPaintable(series.size > 0);
    // Regions of series no longer open go; those of a re-scan of the same files stay (also while it runs).
    if (document) setPainted((current) => current.filter((r) => series.has(r.seriesInstanceUID)));
  }, []);
  const addPainted = useCallback((seriesInstanceUID: string, centre: Vec3, from: PaintedRegion['from']) => {
    setPainted((current) => {
      if (current.filter((r) => r.seriesInstanceUID === seriesInstanceUID).length >= maxRegionsPerSeries) return current;
      paintCount += 1;
      const id = `painted:${seriesInstanceUID}@${centre.map((v) => v.toFixed(1)).join(',')}#${paintCount}`;
      return [...current, { id, seriesInstanceUID, centre, radiusMm: paintRadiusMm, from }];
    });
  }, [paintRadiusMm]);
  const removePainted = useCallback((id: string) => setPainted((current) => current.filter((r) => r.id !== id)), []);
  const setPaintRadiusMm = useCallback((mm: number) => setRadius(clampRadius(mm)), []);
  const setAccepted = useCallback((id: string, accepted: boolean) => {
    setRejected((current) => {
      const next = new Set(current);
      if (accepted) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const value = useMemo<MarkerFindings>(
    () => ({ marks, rejected, setAccepted, shown, setShown, painted, addPainted, removePainted, painting, setPainting, paintRadiusMm, setPaintRadiusMm, paintable }),
    [marks, rejected, setAccepted, shown, painted, addPainted, removePainted, painting, paintRadiusMm, setPaintRadiusMm, paintable],
  );
  return { value, publish };
}

export function useMarkerFindings(): MarkerFindings | null {
  return useContext(MarkerFindingsContext);
}

/** The marks of one series (found, then painted: kind `painted`), and whether they are drawn. */
export function useSeriesMarkers(seriesInstanceUID: string | undefined): { marks: MarkerMark[]; shown: boolean; rejected: ReadonlySet<string> } {
  const findings = useMarkerFindings();
  return useMemo(() => {
    if (!findings || !seriesInstanceUID) return { marks: [], shown: false, rejected: new Set<string>() };
    const painted = asMarks(findings.painted.filter((r) => r.seriesInstanceUID === seriesInstanceUID));
    return { marks: [...findings.marks.filter((m) => m.seriesInstanceUID === seriesInstanceUID), ...painted], shown: findings.shown, rejected: findings.rejected };
  }, [findings, seriesInstanceUID]);
}
