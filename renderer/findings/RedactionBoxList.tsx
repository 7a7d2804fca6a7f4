// The boxes of the image on screen, as a list: everything the overlay's mouse
// actions do, by keyboard. Arrow keys on a box's name move it (Shift: 10 px),
// Alt+arrows resize it; Delete removes it.
import { useRef, type KeyboardEvent } from 'react';
import { describeDevice } from '../redact/device';
import { boxClass, boxLabel, classWord, refKey } from '../redact/labels';
import { effectiveBoxes, movedRect, sameRef, type BoxRef, type PlannedBox } from '../redact/planState';
import { useRedaction, type CurrentImage } from '../redact/RedactionContext';
import '../redact/redaction.css';
import { usePrivacyMode } from '../review/PrivacyMode';

const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** Boxes outside the pixel data are listed (never drawn: their pixels are another picture). */
function pictureWords(box: PlannedBox): string {
  if (box.image === 'pixels') return '';
  return box.image === 'icon' ? 'in the icon thumbnail' : `in overlay plane ${box.image.slice('overlay-'.length)}`;
}

function whereWords(box: PlannedBox, ref: BoxRef, current: CurrentImage): string {
  const frames = current.instance.numberOfFrames > 1 ? (box.frame === 'all' ? 'every frame' : `frame ${Number(box.frame) + 1}`) : '';
  const scope = ref.owner === 'signature' ? `every ${current.device ? describeDevice(current.device) : ''} image` : '';
  const at = `at ${box.x}, ${box.y} (${box.width} × ${box.height} px)`;
  return [classWord(box), pictureWords(box), at, frames, scope].filter(Boolean).join(' · ');
}

export function RedactionBoxList() {
  const session = useRedaction();
  const privacy = usePrivacyMode();
  const list = useRef<HTMLUListElement>(null);
  if (!session?.current) return null;
  const { plan, current, selected, dispatch, canUndo, canRedo } = session;
  // Pixel data first (what the overlay shows), then the icon and overlay planes.
  const boxes = effectiveBoxes(plan, { sop: current.instance.sopInstanceUID, frame: current.frame, device: current.device }).sort(
    (a, b) => Number(a.box.image !== 'pixels') - Number(b.box.image !== 'pixels'),
  );
  const size = { columns: current.columns, rows: current.rows };
  const filled = boxes.filter((b) => b.box.redact).length;

  const onNameKey = (event: KeyboardEvent, ref: BoxRef, box: PlannedBox) => {
    // Moving needs the picture's size: known for the pixel data only.
    const step = box.image === 'pixels' ? arrows[event.key] : undefined;
    if (step) {
      // Not the slice keys: this arrow edits the box.
      event.preventDefault();
      event.stopPropagation();
      const by = event.shiftKey ? 10 : 1;
      const rect = event.altKey
        ? {
            x: box.x,
            y: box.y,
            width: Math.max(1, Math.min(size.columns - box.x, box.width + step[0] * by)),
            height: Math.max(1, Math.min(size.rows - box.y, box.height + step[1] * by)),
          }
        : movedRect(box, step[0] * by, step[1] * by, size);
      dispatch({ type: 'set-rect', ref, rect });
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      event.stopPropagation();
      remove(ref);
    }
  };

  const remove = (ref: BoxRef) => {
    dispatch({ type: 'delete', ref });
    // Keep the keyboard in the list rather than dropping focus on the page.
    list.current?.focus();
  };

  return (
    <section className="redaction-boxes" aria-labelledby="redaction-boxes-title" data-testid="redaction-list">
      <h3 id="redaction-boxes-title">Boxes on this image</h3>
      <p className="privacy-muted">
        {boxes.length === 0
          ? 'No boxes. Choose Box above the image and drag over anything to hide.'
          : `${boxes.length} box${boxes.length === 1 ? '' : 'es'}, ${filled} to be filled. Arrow keys move the box you are on, Alt+arrows resize it.`}
      </p>
      <ul className="redaction-list" ref={list} tabIndex={-1} aria-label="Boxes on this image">
        {boxes.map(({ ref, box }) => {
          const label = boxLabel(box, privacy.hidden);
          const isSelected = sameRef(ref, selected);
          return (
            <li
              key={refKey(ref)}
              className="redaction-item"
              data-testid="redaction-item"
              data-ref={refKey(ref)}
              data-class={boxClass(box)}
              data-redact={box.redact}
              aria-current={isSelected}
            >
              <button
                type="button"
                className="redaction-item-name"
                data-testid="redaction-item-name"
                aria-pressed={isSelected}
                aria-label={`Select ${label}`}
                onClick={() => dispatch({ type: 'select', ref })}
                onFocus={() => dispatch({ type: 'select', ref })}
                onKeyDown={(event) => onNameKey(event, ref, box)}
              >
                <span className="redaction-item-text">{label}</span>
                <span className="redaction-item-meta"> {whereWords(box, ref, current)}</span>
              </button>
              <div className="redaction-item-actions">
                <button
                  type="button"
                  data-testid="redaction-item-toggle"
                  aria-pressed={box.redact}
                  aria-label={`Fill ${label} in the export`}
                  onClick={() => dispatch({ type: 'toggle', ref })}
                >
                  {box.redact ? 'Redact' : 'Keep'}
                </button>
                <button
                  type="button"
                  data-testid="redaction-item-all-frames"
                  disabled={box.frame === 'all'}
                  aria-label={`Apply ${label} to every frame`}
                  onClick={() => dispatch({ type: 'all-frames', ref })}
                >
                  All frames
                </button>
                <button
                  type="button"
                  data-testid="redaction-item-device"
                  disabled={ref.owner === 'signature' || !current.device}
                  aria-label={`Apply ${label} to every image of this size from this device`}
                  title={current.device ? `Every ${describeDevice(current.device)} image` : 'Reading the device…'}
                  onClick={() => current.device && dispatch({ type: 'same-device', ref, device: current.device })}
                >
                  Same device
                </button>
                <button type="button" data-testid="redaction-item-delete" aria-label={`Delete ${label}`} onClick={() => remove(ref)}>
                  Delete
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="redaction-history">
        <button type="button" data-testid="redaction-undo" disabled={!canUndo} onClick={() => dispatch({ type: 'undo' })} aria-keyshortcuts="Control+Z">
          Undo
        </button>
        <button type="button" data-testid="redaction-redo" disabled={!canRedo} onClick={() => dispatch({ type: 'redo' })} aria-keyshortcuts="Control+Shift+Z">
          Redo
        </button>
        <label className="export-check">
          <input
            type="checkbox"
            data-testid="redaction-keep-technical"
            checked={plan.keepTechnicalText}
            onChange={(event) => dispatch({ type: 'keep-technical', keep: event.target.checked })}
          />
          Keep technical text (kV, window, orientation)
        </label>
      </div>
    </section>
  );
}
