// The 2D viewer: one series as a stack of frames, with window presets, a slice
// slider, keyboard scrolling and cine for multi-frame series.
import { useEffect, useState } from 'react';
import type { InstanceSummary, SeriesSummary } from '../../../shared/api/contract';
import { FacePictureOverlay } from '../../face/FacePictureOverlay';
import { useSeriesMarkers } from '../../marker/MarkerFindingsContext';
import { MarkerOverlay } from '../../marker/MarkerOverlay';
import { PaintLayer } from '../../marker/PaintLayer';
import { planePoint } from '../../marker/paintPick';
import { RedactionOverlay } from '../../redact/RedactionOverlay';
import { RedactionTools } from '../../redact/RedactionTools';
import { CineControls } from './CineControls';
import { cineFrameRate } from './cineRate';
import { useSeriesFrames } from './seriesFrames';
import { useSliceKeys } from './useSliceKeys';
import { useStackViewport } from './useStackViewport';
import { VoiPresetPicker } from './VoiPresetPicker';
import { VoiReadout } from './VoiReadout';

interface Props {
  series: SeriesSummary;
  /** Called with the instance under the current frame (for the header panel). */
  onInstanceChange?: (instance: InstanceSummary) => void;
}

export function StackView({ series, onInstanceChange }: Props) {
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const { frames, error: framesError } = useSeriesFrames(series);
  const { handle, index, error } = useStackViewport(element, frames?.imageIds ?? null);
  const markers = useSeriesMarkers(series.seriesInstanceUID);
  const count = frames?.imageIds.length ?? 0;
  const current = frames?.instances[index];
  // Frame within its instance (multi-frame files list one image id per frame).
  const frame = frames && current ? index - frames.instances.indexOf(current) : 0;

  useEffect(() => {
    if (current) onInstanceChange?.(current);
  }, [current, onInstanceChange]);

  useSliceKeys(handle?.viewport);

  const problem = framesError ?? error;
  return (
    <div className="stack-view">
      <div className="stack-toolbar" role="toolbar" aria-label="Stack tools">
        {handle && <VoiPresetPicker viewport={handle.viewport} modality={series.modality} />}
        {handle && <VoiReadout viewport={handle.viewport} />}
        {handle && count > 1 && <CineControls element={handle.element} defaultFps={cineFrameRate(handle.viewport.getCurrentImageId())} />}
        {handle && <RedactionTools />}
      </div>
      <div className="redaction-stage">
        <div
          ref={setElement}
          className="stack-viewport"
          data-testid="stack-viewport"
          data-ready={handle ? 'true' : 'false'}
          data-index={index}
          tabIndex={0}
          role="img"
          aria-label={`${series.modality} ${series.seriesDescription}, frame ${index + 1} of ${count}`}
          onContextMenu={(event) => event.preventDefault()}
        />
        {handle && current && <RedactionOverlay viewport={handle.viewport} instance={current} frame={frame} />}
        {handle && markers.shown && markers.marks.length > 0 && (
          <MarkerOverlay viewport={handle.viewport} marks={markers.marks} rejected={markers.rejected} label="This slice" testId="stack-markers" />
        )}
        {handle && /^(CT|MR)$/i.test(series.modality) && (
          <PaintLayer seriesInstanceUID={series.seriesInstanceUID} viewport={() => handle.viewport} pick={planePoint} from="slice" testId="stack-paint" />
        )}
        {handle && current && <FacePictureOverlay viewport={handle.viewport} seriesInstanceUID={series.seriesInstanceUID} instance={current} frame={frame} />}
      </div>
      {!handle && !problem && (!frames || count > 0) && (
        <p className="viewport-empty" role="status" data-testid="viewport-loading">
          Loading {series.instances.length} file{series.instances.length === 1 ? '' : 's'}…
        </p>
      )}
      {frames && count === 0 && (
        <p className="viewport-empty" role="status" data-testid="viewport-empty">
          This series has no pixel data to show (e.g. a structured report or a stripped file); its header is on the right.
        </p>
      )}
      {problem && (
        <p className="viewport-error" role="alert" data-testid="viewport-error">
          Cannot show this series: {problem}
        </p>
      )}
      {count > 1 && (
        <label className="slice-slider">
          <input
            type="range"
            data-testid="slice-slider"
            aria-label="Slice"
            min={0}
            max={count - 1}
            value={index}
            disabled={!handle}
            onChange={(event) => void handle?.viewport.setImageIdIndex(Number(event.target.value))}
          />
          <span data-testid="slice-position">
            {index + 1}/{count}
          </span>
        </label>
      )}
    </div>
  );
}
