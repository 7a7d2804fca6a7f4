// Multi-planar reconstruction: axial, coronal and sagittal views of one series,
// linked by crosshairs (drag), scrolled by the wheel, windowed together.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SeriesSummary } from '../../../shared/api/contract';
import { FaceComparisonToggle } from '../../face/FaceComparisonToggle';
import { useFaceFindings, useSeriesFaces } from '../../face/FaceFindingsContext';
import { FaceRegionOverlay } from '../../face/FaceRegionOverlay';
import { useSeriesMarkers } from '../../marker/MarkerFindingsContext';
import { MarkerOverlay } from '../../marker/MarkerOverlay';
import { PaintLayer } from '../../marker/PaintLayer';
import { planePoint } from '../../marker/paintPick';
import { FaceRiskNote } from '../../face/FaceRiskNote';
import { ChoiceSelect } from '../ChoiceSelect';
import { createMprSession, mprPlanes, type MprPlane, type MprSession, type SlicePosition } from './mprSession';
import { createSeriesVolume, streamVolume, VolumeRefusedError, type VolumeLoadProgress } from './seriesVolume';
import { volumeEligibility } from './volumeEligibility';
import { windowPresetsFor } from './windowPresets';
import './mpr.css';

/** Keyboard slice steps: arrows one slice, Page Up/Down ten. */
const sliceKeys: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10 };

type Phase =
  | { name: 'loading'; progress: VolumeLoadProgress | null }
  | { name: 'ready' }
  | { name: 'error'; message: string }
  | { name: 'refused'; reason: string };

export function MprView({ series }: { series: SeriesSummary }) {
  const eligibility = useMemo(() => volumeEligibility(series), [series]);
  if (!eligibility.eligible) return <VolumeUnavailable reason={eligibility.reason} testId="mpr-unavailable" />;
  return <MprPanes series={series} />;
}

/** The message shown instead of a volume view; shared with the 3D view. */
export function VolumeUnavailable({ reason, testId }: { reason: string; testId: string }) {
  return (
    <div className="volume-unavailable" data-testid={testId} role="status">
      <p>{reason}</p>
      <p className="hint">The images can still be viewed one by one in the stack view.</p>
    </div>
  );
}

function MprPanes({ series }: { series: SeriesSummary }) {
  const elements = useRef<Partial<Record<MprPlane, HTMLDivElement | null>>>({});
  const container = useRef<HTMLDivElement | null>(null);
  const session = useRef<MprSession | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'loading', progress: null });
  const [slices, setSlices] = useState<Partial<Record<MprPlane, SlicePosition>>>({});
  const presets = useMemo(() => windowPresetsFor(series.modality), [series.modality]);
  const [presetId, setPresetId] = useState(presets[0].id);
  // The face check's region for this series (desktop scan), outlined on every slice that crosses it.
  const faceFindings = useFaceFindings();
  const faces = useSeriesFaces(series.seriesInstanceUID);
  const faceRegion = faces.volume?.region;
  const faceShown = faces.regionShown;
  const markers = useSeriesMarkers(series.seriesInstanceUID);

  useEffect(() => {
    const eligible = volumeEligibility(series);
    if (!eligible.eligible) return;
    const abort = new AbortController();
    setPhase({ name: 'loading', progress: null });
    setSlices({});
    setPresetId(presets[0].id);
    (async () => {
      const { volumeId, volume } = await createSeriesVolume(series, eligible);
      if (abort.signal.aborted) return;
      const { axial, coronal, sagittal } = elements.current;
      if (!axial || !coronal || !sagittal) return;
      const created = await createMprSession({ axial, coronal, sagittal }, volumeId, (plane, position) =>
        setSlices((previous) => ({ ...previous, [plane]: position })),
      );
      if (abort.signal.aborted) {
        created.destroy();
        return;
      }
      session.current = created;
      await streamVolume(volume, (progress) => setPhase({ name: 'loading', progress }), abort.signal);
      if (!abort.signal.aborted) setPhase({ name: 'ready' });
    })().catch((error: unknown) => {
      if (abort.signal.aborted) return;
      if (error instanceof VolumeRefusedError) setPhase({ name: 'refused', reason: error.refusal.reason });
      else setPhase({ name: 'error', message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      abort.abort();
      session.current?.destroy();
      session.current = null;
    };
  }, [series, presets]);

  useEffect(() => {
    const node = container.current;
    if (!node) return;
    const observer = new ResizeObserver(() => session.current?.resize());
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  const choosePreset = (id: string) => {
    setPresetId(id);
    const preset = presets.find((candidate) => candidate.id === id);
    if (preset) session.current?.applyWindow(preset);
  };

  if (phase.name === 'refused') return <VolumeUnavailable reason={phase.reason} testId="mpr-unavailable" />;
  return (
    <div className="mpr-view" data-testid="mpr-view" data-state={phase.name}>
      <div className="mpr-toolbar">
        <ChoiceSelect
          label="Window"
          value={presetId}
          choices={presets.map((preset) => ({ value: preset.id, label: preset.label }))}
          onChoose={choosePreset}
          testId="mpr-window-preset"
        />
        <button type="button" onClick={() => session.current?.reset()} data-testid="mpr-reset">
          Reset
        </button>
        {faceRegion && (
          <button
            type="button"
            className="face-risk-toggle"
            aria-pressed={faceShown}
            onClick={() => faceFindings?.setRegionShown(!faceShown)}
            title={`${faces.volume?.detail ?? ''} Dashed red: where this slice crosses the face region.`}
            data-testid="mpr-face-region"
          >
            Face region
          </button>
        )}
        {faceShown && faces.volume && <FaceRiskNote mark={faces.volume} marks="Dashed red" testId="mpr-face-note" inline />}
        <FaceComparisonToggle faces={faces} series={series} ready={phase.name === 'ready'} />
        <span className="mpr-status" data-testid="mpr-status">
          {statusText(phase)}
        </span>
        <span className="mpr-help">Drag: crosshairs · Wheel or arrows: slices · Shift+drag: window · Right-drag: zoom · Middle-drag: pan</span>
      </div>
      <div className="mpr-stage">
        <div className="mpr-panes" ref={container}>
          {mprPlanes.map(({ plane, letter, label, color }) => (
            <div
              className="mpr-pane"
              key={plane}
              tabIndex={0}
              role="group"
              aria-label={`${label} view: arrow keys or Page Up/Down move through slices`}
              onKeyDown={(event) => {
                const delta = sliceKeys[event.key];
                if (delta === undefined) return;
                event.preventDefault();
                session.current?.scroll(plane, delta);
              }}
            >
              <div
                className="mpr-viewport"
                data-testid={`mpr-${plane}`}
                ref={(node) => {
                  elements.current[plane] = node;
                }}
                onContextMenu={(event) => event.preventDefault()}
              />
              {phase.name === 'ready' && faceRegion && faceShown && session.current?.viewport(plane) && (
                <FaceRegionOverlay viewport={session.current.viewport(plane)!} region={faceRegion} label={label} testId={`mpr-${plane}-face`} />
              )}
              {phase.name === 'ready' && markers.shown && markers.marks.length > 0 && session.current?.viewport(plane) && (
                <MarkerOverlay viewport={session.current.viewport(plane)!} marks={markers.marks} rejected={markers.rejected} label={`${label} view`} testId={`mpr-${plane}-markers`} />
              )}
              {phase.name === 'ready' && (
                <PaintLayer seriesInstanceUID={series.seriesInstanceUID} viewport={() => session.current?.viewport(plane)} pick={planePoint} from="slice" testId={`mpr-${plane}-paint`} />
              )}
              <span className="mpr-label" style={{ borderColor: color }} title={label}>
                <strong style={{ color }}>{letter}</strong> {label}
              </span>
              {slices[plane] && (
                <>
                  <span className="mpr-slice" data-testid={`mpr-${plane}-slice`}>
                    {slices[plane]!.index}/{slices[plane]!.count}
                  </span>
                  {(['top', 'bottom', 'left', 'right'] as const).map((edge) => (
                    <span key={edge} className={`mpr-edge mpr-edge-${edge}`} data-testid={`mpr-${plane}-edge-${edge}`}>
                      {slices[plane]!.edges[edge]}
                    </span>
                  ))}
                </>
              )}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

function statusText(phase: Phase): string {
  if (phase.name === 'ready') return '';
  if (phase.name === 'error') return `Could not build the volume: ${phase.message}`;
  if (phase.name !== 'loading' || !phase.progress) return 'Preparing volume…';
  return `Loading slices ${phase.progress.loaded}/${phase.progress.total}`;
}
