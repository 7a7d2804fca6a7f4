// 3D volume rendering of a series: a shaded surface (for CT, the skin and so
// the face), rotate / zoom / reset, and a quality setting for slow GPUs.
import { useEffect, useMemo, useRef, useState } from 'react';
import { getEnabledElement, type Types } from '@cornerstonejs/core';
import type { SeriesSummary } from '../../../shared/api/contract';
import { FaceComparisonToggle } from '../../face/FaceComparisonToggle';
import { useSeriesFaces } from '../../face/FaceFindingsContext';
import { FaceRiskNote } from '../../face/FaceRiskNote';
import { useSeriesMarkers } from '../../marker/MarkerFindingsContext';
import { PaintControls } from '../../marker/PaintControls';
import { PaintLayer } from '../../marker/PaintLayer';
import { surfacePoint } from '../../marker/paintPick';
import { ChoiceSelect, type Choice } from '../ChoiceSelect';
import { VolumeUnavailable } from '../mpr/MprView';
import { createSeriesVolume, streamVolume, VolumeRefusedError, type VolumeLoadProgress } from '../mpr/seriesVolume';
import { volumeEligibility } from '../mpr/volumeEligibility';
import { renderPresetsFor, type RenderPreset } from './renderPresets';
import { defaultSampleDistanceMultiplier } from './softwareWebgl';
import { surfaceThreshold } from './transferFunctions';
import { createVolumeSession, voxelSample, type VolumeSession } from './volumeSession';
import './volume.css';

type Phase =
  | { name: 'loading'; progress: VolumeLoadProgress | null }
  | { name: 'ready' }
  | { name: 'error'; message: string }
  | { name: 'refused'; reason: string };

/** Ray sampling choices: multiples of the voxel size (coarser = faster). */
const qualities: Choice<number>[] = [
  { value: 1, label: 'Fine' },
  { value: 2, label: 'Balanced' },
  { value: 4, label: 'Fast' },
  { value: 8, label: 'Draft' },
];

export function VolumeView({ series }: { series: SeriesSummary }) {
  const eligibility = useMemo(() => volumeEligibility(series), [series]);
  if (!eligibility.eligible) return <VolumeUnavailable reason={eligibility.reason} testId="volume-unavailable" />;
  return <VolumeRendering series={series} />;
}

function VolumeRendering({ series }: { series: SeriesSummary }) {
  const element = useRef<HTMLDivElement | null>(null);
  const session = useRef<VolumeSession | null>(null);
  // MR presets depend on the volume's intensities, so the list is settled after loading.
  const [presets, setPresets] = useState<RenderPreset[]>(() => renderPresetsFor(series.modality));
  const [presetId, setPresetId] = useState(presets[0].id);
  const [multiplier, setMultiplier] = useState(defaultSampleDistanceMultiplier);
  const [phase, setPhase] = useState<Phase>({ name: 'loading', progress: null });
  // The effect builds the session once per series; later choices go through these refs.
  const choice = useRef({ multiplier });
  choice.current = { multiplier };
  // The face check's region for this series (desktop scan), and whether its red frame is in the view.
  const faces = useSeriesFaces(series.seriesInstanceUID);
  const faceRegion = faces.volume?.region;
  const [faceShown, setFaceShown] = useState(false);
  const faceShownRef = useRef(false);
  faceShownRef.current = faceShown;
  // Marks on the skin: spheres in the view while the panel's switch shows them.
  const markers = useSeriesMarkers(series.seriesInstanceUID);
  const [markersDrawn, setMarkersDrawn] = useState(0);
  useEffect(() => {
    if (phase.name !== 'ready') return;
    setMarkersDrawn(session.current?.setMarkers(markers.shown ? markers.marks : []) ?? 0);
  }, [phase.name, markers]);

  useEffect(() => {
    const eligible = volumeEligibility(series);
    if (!eligible.eligible) return;
    const abort = new AbortController();
    setPhase({ name: 'loading', progress: null });
    (async () => {
      const { volumeId, volume } = await createSeriesVolume(series, eligible);
      if (abort.signal.aborted) return;
      // Render only the whole volume: re-rendering per arriving slice costs
      // seconds on software WebGL and shows a half-built head.
      await streamVolume(volume, (progress) => setPhase({ name: 'loading', progress }), abort.signal);
      if (abort.signal.aborted || !element.current) return;
      const threshold = series.modality.toUpperCase() === 'CT' ? undefined : surfaceThreshold(voxelSample(volume));
      const available = renderPresetsFor(series.modality, threshold);
      setPresets(available);
      setPresetId(available[0].id);
      const created = await createVolumeSession(element.current, volumeId, available[0], choice.current.multiplier);
      if (abort.signal.aborted) {
        created.destroy();
        return;
      }
      session.current = created;
      setPhase({ name: 'ready' });
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
  }, [series]);

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const observer = new ResizeObserver(() => session.current?.resize());
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  const choosePreset = (id: string) => {
    setPresetId(id);
    const preset = presets.find((candidate) => candidate.id === id);
    if (preset) session.current?.applyPreset(preset);
  };
  const showFaceRisk = (show: boolean) => {
    const current = session.current;
    if (!current || !faceRegion) return;
    if (show) {
      // The skin surface is what a face recognition system would be shown.
      const skin = presets.find((preset) => preset.id.endsWith('-Skin'));
      if (skin && skin.id !== presetId) choosePreset(skin.id);
      current.lookAtFace(faceRegion);
    }
    setFaceShown(current.setFaceRegion(show ? faceRegion : null));
  };
  // A new scan may drop or move the region: the frame follows it.
  useEffect(() => {
    if (faceShownRef.current) setFaceShown(session.current?.setFaceRegion(faceRegion ?? null) ?? false);
  }, [faceRegion]);

  const chooseQuality = (value: number) => {
    setMultiplier(value);
    session.current?.setSampleDistanceMultiplier(value);
  };

  if (phase.name === 'refused') return <VolumeUnavailable reason={phase.reason} testId="volume-unavailable" />;
  return (
    <div className="volume-view" data-testid="volume-view" data-state={phase.name} data-face-highlight={faceShown ? 'on' : 'off'} data-markers={markersDrawn}>
      <div className="volume-toolbar">
        <ChoiceSelect
          label="Preset"
          value={presetId}
          choices={presets.map((preset) => ({ value: preset.id, label: preset.label }))}
          onChoose={choosePreset}
          testId="volume-preset"
        />
        <ChoiceSelect label="Quality" value={multiplier} choices={qualities} onChoose={chooseQuality} testId="volume-quality" />
        <button type="button" onClick={() => session.current?.reset()} data-testid="volume-reset">
          Reset view
        </button>
        {faceRegion && (
          <button
            type="button"
            className="face-risk-toggle"
            aria-pressed={faceShown}
            disabled={phase.name !== 'ready'}
            onClick={() => showFaceRisk(!faceShown)}
            title={`${faces.volume?.detail ?? ''} The red frame marks the face region.`}
            data-testid="volume-face-risk"
          >
            Show face risk
          </button>
        )}
        <FaceComparisonToggle faces={faces} series={series} ready={phase.name === 'ready'} />
        <PaintControls testId="volume-paint" />
        <span className="volume-help">Drag: rotate · Wheel / right-drag: zoom · Middle-drag: pan</span>
      </div>
      <div className="volume-stage">
        <div className="volume-viewport" data-testid="volume-3d" ref={element} onContextMenu={(event) => event.preventDefault()} />
        {phase.name === 'ready' && element.current && (
          <PaintLayer
            seriesInstanceUID={series.seriesInstanceUID}
            viewport={() => (element.current ? (getEnabledElement(element.current)?.viewport as Types.IVolumeViewport | undefined) : undefined)}
            pick={surfacePoint}
            from="3d"
            testId="volume-paint-layer"
          />
        )}
        {faceShown && faces.volume && <FaceRiskNote mark={faces.volume} marks="Red frame" testId="volume-face-note" />}
        {phase.name !== 'ready' && (
          <div className="volume-overlay" data-testid="volume-status" role="status">
            {statusText(phase)}
            {phase.name === 'loading' && phase.progress && (
              <progress max={phase.progress.total} value={phase.progress.loaded} />
            )}
          </div>
        )}
      </div>
    </div>
  );
}

function statusText(phase: Phase): string {
  if (phase.name === 'error') return `Could not render the volume: ${phase.message}`;
  if (phase.name === 'loading' && phase.progress) return `Loading slices ${phase.progress.loaded}/${phase.progress.total}`;
  return 'Preparing volume…';
}
