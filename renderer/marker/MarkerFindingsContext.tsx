// The skin marks of everything open and which of them the user keeps for
// removal (all, until one is rejected). The state lives next to the face
// findings (FaceFindingsProvider holds the store and publishes both from one
// scan); the views, the findings panel and the export panel read it here.
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ScanDocument } from '../../shared/api/contract';
import { markerMarksOf, type MarkerMark } from './markerMarks';

export interface MarkerFindings {
  marks: MarkerMark[];
  /** Ids of marks the user chose to keep in the copy. */
  rejected: ReadonlySet<string>;
  setAccepted: (id: string, accepted: boolean) => void;
  /** Whether the views draw the marks; one switch for all. */
  shown: boolean;
  setShown: (shown: boolean) => void;
}

export const MarkerFindingsContext = createContext<MarkerFindings | null>(null);

/** The store behind the context, and `publish` for whoever receives the scan. */
export function useMarkerStore(): { value: MarkerFindings; publish: (document: ScanDocument | null) => void } {
  const [marks, setMarks] = useState<MarkerMark[]>([]);
  const [rejected, setRejected] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState(true);
  const publish = useCallback((document: ScanDocument | null) => setMarks(document ? markerMarksOf(document) : []), []);
  const setAccepted = useCallback((id: string, accepted: boolean) => {
    setRejected((current) => {
      const next = new Set(current);
      if (accepted) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const value = useMemo<MarkerFindings>(() => ({ marks, rejected, setAccepted, shown, setShown }), [marks, rejected, setAccepted, shown]);
  return { value, publish };
}

export function useMarkerFindings(): MarkerFindings | null {
  return useContext(MarkerFindingsContext);
}

/** The marks of one series, and whether they are drawn. */
export function useSeriesMarkers(seriesInstanceUID: string | undefined): { marks: MarkerMark[]; shown: boolean; rejected: ReadonlySet<string> } {
  const findings = useMarkerFindings();
  return useMemo(() => {
    if (!findings || !seriesInstanceUID) return { marks: [], shown: false, rejected: new Set<string>() };
    return { marks: findings.marks.filter((m) => m.seriesInstanceUID === seriesInstanceUID), shown: findings.shown, rejected: findings.rejected };
  }, [findings, seriesInstanceUID]);
}
