// The window: open menu and progress on top, studies on the left, the viewer
// in the middle, the selected file's header on the right.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DroppedItems, InstanceSummary, OpenResult, SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { StudyBrowser } from '../browser/StudyBrowser';
import { FaceFindingsProvider } from '../face/FaceFindingsContext';
import { PrivacyPanel } from '../findings/PrivacyPanel';
import { RedactionProvider } from '../redact/RedactionContext';
import { HeaderPanel } from '../header/HeaderPanel';
import { ViewportArea } from '../viewports/ViewportArea';
import { OpenMenu } from './OpenMenu';
import { ProgressIndicator } from './ProgressIndicator';
import { SkippedList } from './SkippedList';
import { useOpenStudy } from './useOpenStudy';
import { useWindowDrop } from './useWindowDrop';

export function App() {
  const { opened, progress, busy, error, run } = useOpenStudy();
  const [series, setSeries] = useState<SeriesSummary | null>(null);
  const [instance, setInstance] = useState<InstanceSummary | null>(null);

  // Start on what the command line named (desktop), else the bundled sample.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const api = getVeilApi();
    void run(() => (api.openStartup ? api.openStartup() : api.openSample()));
  }, [run]);

  useEffect(() => {
    const first = opened && firstViewableSeries(opened);
    setSeries(first ?? null);
    setInstance(first?.instances[0] ?? null);
  }, [opened]);

  // The window title says what is open (the desktop title bar shows it).
  useEffect(() => {
    document.title = opened ? `Veil — ${opened.source}` : 'Veil';
  }, [opened]);

  const onDrop = useCallback((items: DroppedItems) => void run(() => getVeilApi().openDropped(items)), [run]);
  const dragging = useWindowDrop(onDrop);

  return (
    <div className="app" data-testid="app" data-dragging={dragging}>
      <header className="top-bar">
        <h1 className="brand">Veil</h1>
        <OpenMenu busy={busy} run={run} openedSource={opened?.source} />
        <span className="source" data-testid="opened-source">
          {opened?.source}
        </span>
        <ProgressIndicator progress={progress} busy={busy} />
      </header>
      {error && (
        <p className="open-error" role="alert" data-testid="open-error">
          {error}
        </p>
      )}
      <RedactionProvider>
        <FaceFindingsProvider>
          <div className="panes">
            <div className="left-pane">
              <StudyBrowser
                patients={opened?.patients ?? []}
                selected={series}
                onSelect={(next) => {
                  setSeries(next);
                  setInstance(next.instances[0] ?? null);
                }}
              />
              <SkippedList skipped={opened?.skipped ?? []} />
              <PrivacyPanel opened={opened} />
            </div>
            <ViewportArea series={series} onInstanceChange={setInstance} />
            <HeaderPanel instance={instance} />
          </div>
        </FaceFindingsProvider>
      </RedactionProvider>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop DICOM files or folders
        </div>
      )}
    </div>
  );
}

function firstViewableSeries(opened: OpenResult): SeriesSummary | undefined {
  const all = opened.patients.flatMap((p) => p.studies.flatMap((s) => s.series));
  return all.find((s) => s.instances.some((i) => i.hasPixels)) ?? all[0];
}
