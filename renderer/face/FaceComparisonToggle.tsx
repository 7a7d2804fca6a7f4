// Before / after defacing in the MPR and 3D views. Where a face can be rebuilt
// (desktop), "Preview defacing" asks main to deface the series as the export
// would (nothing is written); then Before / After switch the loaded volume
// between its own voxels and the defaced ones (`defacedPreview.ts`).
import { useEffect, useState } from 'react';
import { cache } from '@cornerstonejs/core';
import type { SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { volumeIdForSeries } from '../viewports/mpr/seriesVolume';
import { showDefaced } from './defacedPreview';
import { useFaceFindings, type SeriesFaces } from './FaceFindingsContext';

type Asking = { step: 'idle' } | { step: 'asking' } | { step: 'error'; message: string } | { step: 'none'; reason: string };

export function FaceComparisonToggle({ faces, series, ready = true }: { faces: SeriesFaces; series?: SeriesSummary; ready?: boolean }) {
  const findings = useFaceFindings();
  const api = getVeilApi();
  const [asking, setAsking] = useState<Asking>({ step: 'idle' });
  const comparison = findings?.comparison ?? 'before';
  const defaced = faces.defaced;

  // Whatever view is showing the volume keeps it on the chosen side (a reloaded volume starts as it was read).
  useEffect(() => {
    if (!defaced || !ready) return;
    const volume = cache.getVolume(defaced.volumeId);
    if (volume) showDefaced(volume, defaced.preview, comparison);
  }, [defaced, comparison, ready]);

  if (!findings) return null;
  if (!defaced) {
    if (!faces.volume || !series || !api.defacePreview) return null;
    const ask = async () => {
      setAsking({ step: 'asking' });
      try {
        const preview = await api.defacePreview!(series.instances.map((i) => i.fileId));
        if (preview.status !== 'defaced') {
          setAsking({ step: 'none', reason: preview.reason });
          return;
        }
        findings.setDefaced([...findings.defaced.filter((d) => d.seriesInstanceUID !== series.seriesInstanceUID), { seriesInstanceUID: series.seriesInstanceUID, volumeId: volumeIdForSeries(series), preview }]);
        findings.setComparison('after');
        setAsking({ step: 'idle' });
      } catch (cause) {
        setAsking({ step: 'error', message: cause instanceof Error ? cause.message : String(cause) });
      }
    };
    return (
      <span className="face-comparison" data-testid="face-preview" data-state={asking.step}>
        <button type="button" disabled={!ready || asking.step === 'asking'} onClick={() => void ask()} data-testid="face-preview-ask">
          {asking.step === 'asking' ? 'Defacing…' : 'Preview defacing'}
        </button>
        {asking.step === 'error' && <span role="alert">{asking.message}</span>}
        {asking.step === 'none' && <span role="note">{asking.reason}</span>}
      </span>
    );
  }
  return (
    <span className="face-comparison" role="group" aria-label="Face before or after defacing" data-testid="face-comparison" data-side={comparison} data-voxels={defaced.preview.voxels}>
      {(['before', 'after'] as const).map((side) => (
        <button key={side} type="button" aria-pressed={comparison === side} onClick={() => findings.setComparison(side)} data-testid={`face-comparison-${side}`}>
          {side === 'before' ? 'Before' : 'After defacing'}
        </button>
      ))}
    </span>
  );
}
