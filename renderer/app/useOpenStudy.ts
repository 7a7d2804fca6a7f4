// What is open: the last OpenResult, the progress of the open in flight and
// its error. Every way of opening (menu, drop, recent, sample) goes through run().
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpenResult, ProgressEvent } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { forgetRegisteredFiles } from '../cornerstone/imageIds';

export interface OpenState {
  opened: OpenResult | null;
  progress: ProgressEvent | null;
  busy: boolean;
  error: string | null;
  /** Runs one open request; a null result (cancelled dialog) keeps what is open. */
  run: (request: () => Promise<OpenResult | null>) => Promise<void>;
}

export function useOpenStudy(): OpenState {
  const [opened, setOpened] = useState<OpenResult | null>(null);
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  useEffect(() => getVeilApi().onProgress(setProgress), []);

  const run = useCallback(async (request: () => Promise<OpenResult | null>) => {
    const ticket = ++latest.current;
    setBusy(true);
    setError(null);
    try {
      const result = await request();
      if (ticket !== latest.current || !result) return;
      await forgetRegisteredFiles();
      setOpened(result);
    } catch (cause) {
      if (ticket === latest.current) setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      if (ticket === latest.current) {
        setBusy(false);
        setProgress(null);
      }
    }
  }, []);

  return { opened, progress, busy, error, run };
}
