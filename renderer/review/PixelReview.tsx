// Burned-in text of the selected file: the picture now and in the export side
// by side, each box with its decision. "Keep" leaves a box's pixels as they are
// in the export (a technical annotation); a new box is drawn in the viewer,
// whose Box tool this opens.
import { useEffect, useMemo, useState } from 'react';
import type { InstanceSummary } from '../../shared/api/contract';
import { deviceOf } from '../redact/deviceCache';
import { boxLabel, classWord } from '../redact/labels';
import { effectiveBoxes, type Device } from '../redact/planState';
import { useRedaction } from '../redact/RedactionContext';
import { ImagePair } from './ImagePair';
import { isPlainKey } from './keys';
import { usePrivacyMode } from './PrivacyMode';

interface Props {
  instance: InstanceSummary;
  overlays: boolean;
  onToggleOverlays: () => void;
  onAddBox: () => void;
}

export function PixelReview({ instance, overlays, onToggleOverlays, onAddBox }: Props) {
  const session = useRedaction();
  const privacy = usePrivacyMode();
  const [device, setDevice] = useState<Device | undefined>();

  useEffect(() => {
    let live = true;
    setDevice(undefined);
    deviceOf(instance).then(
      (next) => live && setDevice(next),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [instance]);

  const plan = session?.plan;
  const dispatch = session?.dispatch;
  const boxes = useMemo(
    () => (plan ? effectiveBoxes(plan, { sop: instance.sopInstanceUID, frame: 0, image: 'pixels', device }) : []),
    [plan, instance, device],
  );

  // 1–9: keep or fill that box.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event) || !/^[1-9]$/.test(event.key) || !dispatch) return;
      const target = boxes[Number(event.key) - 1];
      if (!target) return;
      event.preventDefault();
      dispatch({ type: 'toggle', ref: target.ref });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [boxes, dispatch]);

  if (!session) return null;
  return (
    <section className="review-pixels" aria-labelledby="review-pixels-title" data-testid="pixel-review" data-boxes={boxes.length}>
      <h3 id="review-pixels-title">Pixels before and after</h3>
      <div className="review-pixel-tools">
        <button type="button" data-testid="overlay-toggle-current" aria-pressed={overlays} aria-keyshortcuts="O" onClick={onToggleOverlays}>
          {overlays ? 'Hide overlays (O)' : 'Show overlays (O)'}
        </button>
        <button type="button" data-testid="review-add-box" aria-keyshortcuts="B" onClick={onAddBox} disabled={!instance.hasPixels}>
          Add a box in the viewer (B)
        </button>
        <label className="export-check">
          <input
            type="checkbox"
            data-testid="review-keep-technical"
            checked={session.plan.keepTechnicalText}
            onChange={(event) => session.dispatch({ type: 'keep-technical', keep: event.target.checked })}
          />
          Keep technical text on every image (kV, window, orientation)
        </label>
      </div>
      <ImagePair instance={instance} boxes={boxes} overlays={overlays} />
      {boxes.length === 0 ? (
        <p className="privacy-muted">No boxes on this image{instance.numberOfFrames > 1 ? "'s first frame" : ''}.</p>
      ) : (
        <ol className="review-box-list" aria-label="Boxes on this image">
          {boxes.map(({ ref, box }, index) => {
            const label = boxLabel(box, privacy.hidden);
            return (
              <li
                key={index}
                data-testid="review-box"
                data-class={box.textClass ?? box.origin}
                data-redact={box.redact}
                data-rect={`${box.x},${box.y},${box.width},${box.height}`}
              >
                <span className="review-box-name">
                  {index + 1}. {label} <span className="privacy-muted">({classWord(box)})</span>
                </span>
                <button
                  type="button"
                  data-testid="review-box-toggle"
                  aria-pressed={!box.redact}
                  aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}
                  aria-label={`${box.redact ? 'Keep' : 'Fill'} box ${index + 1}, ${label}${index < 9 ? ` (${index + 1})` : ''}`}
                  onClick={() => session.dispatch({ type: 'toggle', ref })}
                >
                  {box.redact ? 'Filled — keep instead' : 'Kept — fill instead'}
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
