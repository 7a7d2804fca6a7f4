// The privacy scan of everything open, run once and read by every view: the
// findings panel, the patient overview, the review and the batch queue. Headers
// first (fast), then the pixels (OCR, faces, markers) with progress and a way
// to stop; the headers' findings show while the pixels are read.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { FileId, OpenResult, ScanDocument, ScanProgressEvent, SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { useFaceFindings } from '../face/FaceFindingsContext';
import { useRedaction } from '../redact/RedactionContext';

/** 'done' means both passes, or the pixel pass stopped (then `stopped`). */
export type ScanState =
  | { status: 'idle' }
  | { status: 'scanning' }
  | { status: 'unavailable' }
  | { status: 'error'; message: string }
  | { status: 'pixels'; document: ScanDocument; progress: ScanProgressEvent | null }
  | { status: 'done'; document: ScanDocument; stopped?: boolean };

export interface ScanSession {
  opened: OpenResult | null;
  series: SeriesSummary[];
  fileIds: FileId[];
  scan: ScanState;
  /** Stops the pixel pass; the headers' findings stand. */
  stop: () => void;
}

const ScanContext = createContext<ScanSession | null>(null);

export function openedSeries(opened: OpenResult | null): SeriesSummary[] {
  return opened ? opened.patients.flatMap((p) => p.studies.flatMap((s) => s.series)) : [];
}

export function ScanProvider({ opened, children }: { opened: OpenResult | null; children: ReactNode }) {
  const series = useMemo(() => openedSeries(opened), [opened]);
  const fileIds = useMemo<FileId[]>(() => series.flatMap((s) => s.instances.map((i) => i.fileId)), [series]);
  const [scan, setScan] = useState<ScanState>({ status: 'idle' });
  /** The scan names files by path; the redaction plan by SOP Instance UID. */
  const sops = useMemo(() => new Map(series.flatMap((s) => s.instances.map((i) => [i.displayPath, i.sopInstanceUID] as const))), [series]);

  // Face findings go to the viewer (3D frame, MPR outline, boxes on photos);
  // boxes found in the pixels become the plan's first draft (edited files keep theirs).
  const publishFaces = useFaceFindings()?.publish;
  useEffect(() => {
    publishFaces?.(scan.status === 'done' ? scan.document : null, sops);
  }, [scan, publishFaces, sops]);
  const seed = useRedaction()?.dispatch;
  useEffect(() => {
    if (scan.status === 'done' && seed) seed({ type: 'seed', findings: scan.document.series.flatMap((s) => s.findings), sops });
  }, [scan, seed, sops]);

  useEffect(() => {
    const api = getVeilApi();
    if (fileIds.length === 0) {
      setScan({ status: 'idle' });
      return;
    }
    if (!api.scanStudy) {
      setScan({ status: 'unavailable' });
      return;
    }
    const scanStudy = api.scanStudy.bind(api);
    let live = true;
    setScan({ status: 'scanning' });
    const unsubscribe = api.onScanProgress?.((progress) =>
      setScan((current) => (live && current.status === 'pixels' ? { ...current, progress } : current)),
    );
    const failed = (cause: unknown) => live && setScan({ status: 'error', message: cause instanceof Error ? cause.message : String(cause) });
    // After the first image has had its turn: the scan reads every header, then every frame.
    const timer = setTimeout(() => {
      scanStudy(fileIds)
        .then((headers) => {
          if (!live) return;
          setScan({ status: 'pixels', document: headers, progress: null });
          return scanStudy(fileIds, { pixels: true }).then(
            (document) => live && setScan({ status: 'done', document }),
            () => live && setScan({ status: 'done', document: headers, stopped: true }),
          );
        })
        .catch(failed);
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
      unsubscribe?.();
      // Nothing to stop is not an error (the scan may have ended, or the host offers no cancel).
      api.cancelScan?.().catch(() => undefined);
    };
  }, [fileIds]);

  const stop = useCallback(() => void getVeilApi().cancelScan?.().catch(() => undefined), []);
  const session = useMemo<ScanSession>(() => ({ opened, series, fileIds, scan, stop }), [opened, series, fileIds, scan, stop]);
  return <ScanContext.Provider value={session}>{children}</ScanContext.Provider>;
}

export function useScan(): ScanSession {
  const session = useContext(ScanContext);
  if (!session) throw new Error('useScan outside ScanProvider');
  return session;
}

/** The scan's document once the headers are read (and while the pixels are). */
export function scanDocument(scan: ScanState): ScanDocument | null {
  return scan.status === 'done' || scan.status === 'pixels' ? scan.document : null;
}
