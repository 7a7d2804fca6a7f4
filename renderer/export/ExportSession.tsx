// The export's phase lives above the journey tabs: an export started on the Overview
// keeps its progress, Cancel and result when the user goes to the Viewer and back
// (each tab mounts its own ExportPanel; main runs one export at a time).
import { createContext, useContext, useEffect, useMemo, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import type { ExportProgressEvent, ExportSummary, FileId } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';

export type ExportPhase =
  | { step: 'idle' }
  | { step: 'choosing' }
  | { step: 'running'; folder: string; progress: ExportProgressEvent | null; cancelling: boolean }
  | { step: 'done'; summary: ExportSummary }
  | { step: 'error'; message: string };

interface Session {
  phase: ExportPhase;
  /** Which files the phase is about (`filesKey`): a result is shown only with them. */
  files: string;
  setPhase: Dispatch<SetStateAction<ExportPhase>>;
  setFiles: (files: string) => void;
}

const ExportSessionContext = createContext<Session | null>(null);

export function ExportSessionProvider({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<ExportPhase>({ step: 'idle' });
  const [files, setFiles] = useState('');
  const api = getVeilApi();
  useEffect(() => {
    if (!api.onExportProgress) return;
    return api.onExportProgress((progress) => setPhase((current) => (current.step === 'running' ? { ...current, progress } : current)));
  }, [api]);
  const session = useMemo(() => ({ phase, files, setPhase, setFiles }), [phase, files]);
  return <ExportSessionContext.Provider value={session}>{children}</ExportSessionContext.Provider>;
}

/** Cheap identity of a file list (a study can have thousands of files). */
export function filesKey(fileIds: FileId[]): string {
  return `${fileIds.length}:${fileIds[0] ?? ''}:${fileIds[fileIds.length - 1] ?? ''}`;
}

/**
 * The shared phase for these files: a running export shows everywhere (it carries on when
 * another study opens); a finished one only with the files it was about. Without a provider
 * (a panel rendered alone), the phase is the panel's own.
 */
export function useExportPhase(fileIds: FileId[]): [ExportPhase, (next: SetStateAction<ExportPhase>) => void] {
  const session = useContext(ExportSessionContext);
  const [own, setOwn] = useState<ExportPhase>({ step: 'idle' });
  const key = filesKey(fileIds);
  if (!session) return [own, setOwn];
  const { phase, files, setPhase, setFiles } = session;
  const busy = phase.step === 'running' || phase.step === 'choosing';
  const shown: ExportPhase = busy || files === key ? phase : { step: 'idle' };
  const set = (next: SetStateAction<ExportPhase>) => {
    setFiles(key);
    setPhase(next);
  };
  return [shown, set];
}
