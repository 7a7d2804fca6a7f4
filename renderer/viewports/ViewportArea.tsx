// Main area: the selected series in Stack, MPR or 3D. MPR and 3D live in their
// own folders and load lazily (their code is large and not always wanted).
import { lazy, Suspense, useState, type ComponentType } from 'react';
import type { InstanceSummary, SeriesSummary } from '../../shared/api/contract';
import { StackView } from './stack/StackView';

type SeriesView = ComponentType<{ series: SeriesSummary }>;
type Mode = 'stack' | 'mpr' | '3d';

// Globs resolve to nothing while a view's file does not exist yet, so the shell
// builds before (and without) the MPR and 3D views.
const mprModule = import.meta.glob<{ MprView: SeriesView }>('./mpr/MprView.tsx');
const volumeModule = import.meta.glob<{ VolumeView: SeriesView }>('./volume/VolumeView.tsx');

const lazyViews: Partial<Record<Mode, SeriesView>> = {};
const mprLoader = mprModule['./mpr/MprView.tsx'];
if (mprLoader) lazyViews.mpr = lazy(() => mprLoader().then((m) => ({ default: m.MprView })));
const volumeLoader = volumeModule['./volume/VolumeView.tsx'];
if (volumeLoader) lazyViews['3d'] = lazy(() => volumeLoader().then((m) => ({ default: m.VolumeView })));

const modes: { id: Mode; label: string }[] = [
  { id: 'stack', label: 'Stack' },
  { id: 'mpr', label: 'MPR' },
  { id: '3d', label: '3D' },
];

interface Props {
  series: SeriesSummary | null;
  onInstanceChange: (instance: InstanceSummary) => void;
}

export function ViewportArea({ series, onInstanceChange }: Props) {
  const [mode, setMode] = useState<Mode>('stack');
  const LazyView = mode === 'stack' ? undefined : lazyViews[mode];
  return (
    <main className="viewport-area" aria-label="Viewer">
      <div className="mode-switch" role="tablist" aria-label="View mode">
        {modes.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            data-testid={`mode-${id}`}
            aria-selected={mode === id}
            aria-label={`${label} view`}
            disabled={id !== 'stack' && !lazyViews[id]}
            onClick={() => setMode(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="viewport-host">
        {!series && <p className="empty">Select a series.</p>}
        {series && mode === 'stack' && <StackView key={series.seriesInstanceUID} series={series} onInstanceChange={onInstanceChange} />}
        {series && LazyView && (
          <Suspense fallback={<p className="empty">Loading {mode.toUpperCase()}…</p>}>
            <LazyView key={series.seriesInstanceUID} series={series} />
          </Suspense>
        )}
      </div>
    </main>
  );
}
