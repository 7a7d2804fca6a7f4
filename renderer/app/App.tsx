// The window: open menu, journeys and progress on top; the viewer (studies on
// the left, images in the middle, the selected file's header on the right) or
// one of the journeys below. The scan and the plan outlive a journey switch.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DroppedItems, InstanceSummary, OpenResult, SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { StudyBrowser } from '../browser/StudyBrowser';
import { FaceFindingsProvider } from '../face/FaceFindingsContext';
import { PrivacyPanel } from '../findings/PrivacyPanel';
import { ScanProvider } from '../findings/ScanContext';
import { RedactionProvider } from '../redact/RedactionContext';
import { HeaderPanel } from '../header/HeaderPanel';
import { ExportSessionProvider } from '../export/ExportSession';
import { PatientOverview } from '../overview/PatientOverview';
import { BatchQueue } from '../queue/BatchQueue';
import { PrivacyToggle, usePrivacyMode } from '../review/PrivacyMode';
import { ReviewView } from '../review/ReviewView';
import { ViewportArea } from '../viewports/ViewportArea';
import { AppViewContext, viewTitles, type AppView, type AppViewName } from './AppView';
import { OpenMenu } from './OpenMenu';
import { ProgressIndicator } from './ProgressIndicator';
import { SkippedList } from './SkippedList';
import { useOpenStudy } from './useOpenStudy';
import { useWindowDrop } from './useWindowDrop';

export function App() {
  const { opened, progress, busy, error, run } = useOpenStudy();
  const [series, setSeries] = useState<SeriesSummary | null>(null);
  const [instance, setInstance] = useState<InstanceSummary | null>(null);
  const [view, setView] = useState<AppViewName>('viewer');
  const privacy = usePrivacyMode();
  const appView = useMemo<AppView>(
    () => ({
      view,
      setView,
      showInViewer: (next, instanceIndex = 0) => {
        setSeries(next);
        setInstance(next.instances[instanceIndex] ?? next.instances[0] ?? null);
        setView('viewer');
      },
    }),
    [view],
  );

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

  // The window title says what is open (the desktop title bar shows it); a folder's name may be a person's.
  useEffect(() => {
    document.title = opened ? `Veil — ${privacy.hidden ? 'privacy mode' : opened.source}` : 'Veil';
  }, [opened, privacy.hidden]);

  const onDrop = useCallback((items: DroppedItems) => void run(() => getVeilApi().openDropped(items)), [run]);
  const dragging = useWindowDrop(onDrop);

  return (
    <div className="app" data-testid="app" data-dragging={dragging}>
      <header className="top-bar">
        <h1 className="brand">Veil</h1>
        <OpenMenu busy={busy} run={run} openedSource={opened?.source} />
        <ViewTabs view={view} onChange={setView} />
        <span className="source" data-testid="opened-source">
          {privacy.hidden ? '' : opened?.source}
        </span>
        <PrivacyToggle />
        <ProgressIndicator progress={progress} busy={busy} />
      </header>
      {error && (
        <p className="open-error" role="alert" data-testid="open-error">
          {error}
        </p>
      )}
      <AppViewContext.Provider value={appView}>
        <RedactionProvider>
          <FaceFindingsProvider>
            <ScanProvider opened={opened}>
              <ExportSessionProvider>
                {view === 'viewer' && (
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
                      <PrivacyPanel />
                    </div>
                    <ViewportArea series={series} onInstanceChange={setInstance} />
                    <HeaderPanel instance={instance} />
                  </div>
                )}
                {view === 'overview' && <PatientOverview />}
                {view === 'review' && <ReviewView />}
                {view === 'queue' && <BatchQueue />}
              </ExportSessionProvider>
            </ScanProvider>
          </FaceFindingsProvider>
        </RedactionProvider>
      </AppViewContext.Provider>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop DICOM files or folders
        </div>
      )}
    </div>
  );
}

const viewOrder: AppViewName[] = ['overview', 'viewer', 'review', 'queue'];

function ViewTabs({ view, onChange }: { view: AppViewName; onChange: (view: AppViewName) => void }) {
  return (
    <nav className="view-tabs" role="tablist" aria-label="Journeys">
      {viewOrder.map((name) => (
        <button
          key={name}
          type="button"
          role="tab"
          aria-selected={view === name}
          data-testid={`view-tab-${name}`}
          onClick={() => onChange(name)}
        >
          {viewTitles[name]}
        </button>
      ))}
    </nav>
  );
}

function firstViewableSeries(opened: OpenResult): SeriesSummary | undefined {
  const all = opened.patients.flatMap((p) => p.studies.flatMap((s) => s.series));
  return all.find((s) => s.instances.some((i) => i.hasPixels)) ?? all[0];
}
