// The face findings of everything open, in App state: the findings panel
// publishes them when its scan answers; the 3D, MPR and stack views read the
// marks of the series they show. Once main has defaced a series for preview,
// `defaced` holds it and the views offer before / after.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { DefacePreview, ScanDocument } from '../../shared/api/contract';
import { MarkerFindingsContext, useMarkerStore } from '../marker/MarkerFindingsContext';
import { faceMarksOf, type FaceMark, type PictureFaceMark, type VolumeFaceMark } from './faceMarks';

/**
 * A series as the export would deface it (main's `defacePreview`): while
 * `comparison` is 'after', the voxels it replaces are shown in the loaded
 * volume `volumeId` (`defacedPreview.ts`).
 */
export interface DefacedPreview {
  seriesInstanceUID: string;
  /** The Cornerstone volume the MPR and 3D views show for the series. */
  volumeId: string;
  preview: DefacePreview;
}

export type FaceComparison = 'before' | 'after';

export interface FaceFindings {
  marks: FaceMark[];
  /** Replaces the marks with those of a scan (null clears them). */
  publish: (document: ScanDocument | null, sops: ReadonlyMap<string, string>) => void;
  /** Whether the slice views (MPR, stack) outline the face region; one switch for all. */
  regionShown: boolean;
  setRegionShown: (shown: boolean) => void;
  defaced: DefacedPreview[];
  setDefaced: (previews: DefacedPreview[]) => void;
  comparison: FaceComparison;
  setComparison: (comparison: FaceComparison) => void;
}

const FaceFindingsContext = createContext<FaceFindings | null>(null);

export function FaceFindingsProvider({ children }: { children: ReactNode }) {
  const [marks, setMarks] = useState<FaceMark[]>([]);
  const [defaced, setDefaced] = useState<DefacedPreview[]>([]);
  const [comparison, setComparison] = useState<FaceComparison>('before');
  const [regionShown, setRegionShown] = useState(true);
  // The same scan carries the marks on the skin (renderer/marker): published together.
  const markers = useMarkerStore();
  const publishMarkers = markers.publish;
  const publish = useCallback(
    (document: ScanDocument | null, sops: ReadonlyMap<string, string>) => {
      setMarks(document ? faceMarksOf(document, sops) : []);
      publishMarkers(document);
    },
    [publishMarkers],
  );
  const value = useMemo<FaceFindings>(
    () => ({ marks, publish, regionShown, setRegionShown, defaced, setDefaced, comparison, setComparison }),
    [marks, publish, regionShown, defaced, comparison],
  );
  return (
    <FaceFindingsContext.Provider value={value}>
      <MarkerFindingsContext.Provider value={markers.value}>{children}</MarkerFindingsContext.Provider>
    </FaceFindingsContext.Provider>
  );
}

/** The shared state, or null outside a provider (views then show no face marks). */
export function useFaceFindings(): FaceFindings | null {
  return useContext(FaceFindingsContext);
}

export interface SeriesFaces {
  volume?: VolumeFaceMark;
  /** Outline the region on slices (the shared switch; true outside a provider has no marks anyway). */
  regionShown: boolean;
  pictures: PictureFaceMark[];
  /** The defaced preview of this series, when one exists. */
  defaced?: DefacedPreview;
}

const none: SeriesFaces = { pictures: [], regionShown: false };

/** The face marks of one series. */
export function useSeriesFaces(seriesInstanceUID: string | undefined): SeriesFaces {
  const findings = useFaceFindings();
  return useMemo(() => {
    if (!findings || !seriesInstanceUID) return none;
    const mine = findings.marks.filter((m) => m.seriesInstanceUID === seriesInstanceUID);
    const volume = mine.find((m): m is VolumeFaceMark => m.kind === 'volume');
    const defaced = findings.defaced.find((d) => d.seriesInstanceUID === seriesInstanceUID);
    return {
      ...(volume ? { volume } : {}),
      regionShown: findings.regionShown,
      pictures: mine.filter((m): m is PictureFaceMark => m.kind === 'picture'),
      ...(defaced ? { defaced } : {}),
    };
  }, [findings, seriesInstanceUID]);
}
