// The boxes of the frame on screen, drawn in SVG over the stack viewport and
// placed through the viewport's own geometry (they follow zoom and pan).
// Mouse: with the Box tool, drag on the image to draw; drag a box to move it,
// its corner handles to resize it; a click toggles redact / keep; Delete removes
// the selected box. "After" shows the redaction as it will be: filled, no labels.
import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Types } from '@cornerstonejs/core';
import type { InstanceSummary } from '../../shared/api/contract';
import type { PixelBox } from '../../shared/redact';
import { deviceOf } from './deviceCache';
import { canvasRectOf, canvasToImage, imageToCanvas, type ImagePoint } from './imageCoords';
import { boxClass, boxLabel, refKey } from './labels';
import { effectiveBoxes, movedRect, rectBetween, sameRef, type BoxRef, type Device, type PlannedBox } from './planState';
import { useRedaction } from './RedactionContext';
import './redaction.css';
import { useViewportRedraw } from '../viewports/useViewportRedraw';
import { usePrivacyMode } from '../review/PrivacyMode';

interface Props {
  viewport: Types.IStackViewport;
  instance: InstanceSummary;
  /** 0-based frame of the instance on screen. */
  frame: number;
}

type Drag =
  | { kind: 'draw'; start: ImagePoint; rect: PixelBox | null }
  | { kind: 'move'; ref: BoxRef; from: ImagePoint; origin: PixelBox; rect: PixelBox; startCanvas: Types.Point2; moved: boolean }
  | { kind: 'resize'; ref: BoxRef; fixed: ImagePoint; rect: PixelBox };

type Corner = 'nw' | 'ne' | 'sw' | 'se';
const corners: Corner[] = ['nw', 'ne', 'sw', 'se'];

/** Pointer travel (CSS px) below which a press on a box is a click. */
const clickSlop = 3;
/** A drawn box smaller than this (image px) is a slip, not a box. */
const minDrawn = 2;

function cornerPoint(rect: PixelBox, corner: Corner): ImagePoint {
  return [corner.endsWith('w') ? rect.x : rect.x + rect.width, corner.startsWith('n') ? rect.y : rect.y + rect.height];
}

function oppositeCorner(corner: Corner): Corner {
  return `${corner.startsWith('n') ? 's' : 'n'}${corner.endsWith('w') ? 'e' : 'w'}` as Corner;
}

export function RedactionOverlay({ viewport, instance, frame }: Props) {
  const session = useRedaction();
  const privacy = usePrivacyMode();
  const [svg, setSvg] = useState<SVGSVGElement | null>(null);
  const [device, setDevice] = useState<Device | undefined>();
  const [drag, setDragState] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const setDrag = (next: Drag | null) => {
    dragRef.current = next;
    setDragState(next);
  };

  useViewportRedraw(viewport);

  // The wheel still scrolls and zooms the image under a box or the Box tool. Not React's
  // onWheel: that listener is passive, and Ctrl+wheel must not zoom the page.
  useEffect(() => {
    if (!svg) return;
    const forward = (event: WheelEvent) => {
      event.preventDefault();
      viewport.element.dispatchEvent(new WheelEvent('wheel', event));
    };
    svg.addEventListener('wheel', forward, { passive: false });
    return () => svg.removeEventListener('wheel', forward);
  }, [svg, viewport]);

  useEffect(() => {
    let live = true;
    setDevice(undefined);
    deviceOf(instance).then(
      (found) => live && setDevice(found),
      () => undefined, // Without the header no signature applies; the file's own boxes still do.
    );
    return () => {
      live = false;
    };
  }, [instance]);

  const columns = instance.columns ?? device?.columns ?? 0;
  const rows = instance.rows ?? device?.rows ?? 0;
  const setCurrent = session?.setCurrent;
  useEffect(() => {
    setCurrent?.({ instance, frame, rows, columns, device });
  }, [setCurrent, instance, frame, rows, columns, device]);
  useEffect(() => () => setCurrent?.(null), [setCurrent]);

  // A selection belongs to the frame it was made on: Delete must never hit a box not on screen.
  const dispatch = session?.dispatch;
  useEffect(() => {
    dispatch?.({ type: 'select', ref: null });
  }, [dispatch, instance, frame]);

  // Delete / Backspace removes the selected box; Escape lets go of the drag, the box, then the Box tool.
  const selected = session?.selected ?? null;
  const setTool = session?.setTool;
  useEffect(() => {
    if (!dispatch) return;
    const onKey = (event: KeyboardEvent) => {
      if ((event.target as HTMLElement | null)?.closest('input, select, textarea, [contenteditable=true]')) return;
      if (event.key === 'Escape') {
        if (dragRef.current) setDrag(null);
        else if (selected) dispatch({ type: 'select', ref: null });
        else setTool?.('none');
        return;
      }
      if ((event.key === 'Delete' || event.key === 'Backspace') && selected) {
        event.preventDefault();
        dispatch({ type: 'delete', ref: selected });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dispatch, selected, setTool]);

  if (!session || !dispatch || columns === 0 || rows === 0) return null;
  const { plan, view, tool } = session;
  const size = { columns, rows };
  const boxes = effectiveBoxes(plan, { sop: instance.sopInstanceUID, frame, image: 'pixels', device });
  const editing = view === 'before';

  const pointerCanvas = (event: ReactPointerEvent): Types.Point2 => {
    const bounds = svg?.getBoundingClientRect();
    return [event.clientX - (bounds?.left ?? 0), event.clientY - (bounds?.top ?? 0)];
  };
  const pointerImage = (event: ReactPointerEvent) => canvasToImage(viewport, pointerCanvas(event));
  const capture = (event: ReactPointerEvent) => svg?.setPointerCapture(event.pointerId);

  const startDraw = (event: ReactPointerEvent) => {
    if (!editing || tool !== 'box' || event.button !== 0) return;
    const at = pointerImage(event);
    if (!at) return;
    event.preventDefault();
    capture(event);
    dispatch({ type: 'select', ref: null });
    setDrag({ kind: 'draw', start: at, rect: null });
  };

  const startMove = (event: ReactPointerEvent, ref: BoxRef, box: PlannedBox) => {
    if (!editing || event.button !== 0) return;
    const at = pointerImage(event);
    if (!at) return;
    event.preventDefault();
    event.stopPropagation();
    capture(event);
    dispatch({ type: 'select', ref });
    const rect = { x: box.x, y: box.y, width: box.width, height: box.height };
    setDrag({ kind: 'move', ref, from: at, origin: rect, rect, startCanvas: pointerCanvas(event), moved: false });
  };

  const startResize = (event: ReactPointerEvent, ref: BoxRef, box: PlannedBox, corner: Corner) => {
    if (!editing || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    capture(event);
    setDrag({ kind: 'resize', ref, fixed: cornerPoint(box, oppositeCorner(corner)), rect: { x: box.x, y: box.y, width: box.width, height: box.height } });
  };

  const onPointerMove = (event: ReactPointerEvent) => {
    const current = dragRef.current;
    if (!current) return;
    const at = pointerImage(event);
    if (!at) return;
    if (current.kind === 'draw') setDrag({ ...current, rect: rectBetween(current.start, at, size) });
    else if (current.kind === 'resize') setDrag({ ...current, rect: rectBetween(current.fixed, at, size) });
    else {
      const [cx, cy] = pointerCanvas(event);
      const moved = current.moved || Math.hypot(cx - current.startCanvas[0], cy - current.startCanvas[1]) >= clickSlop;
      setDrag({ ...current, moved, rect: moved ? movedRect(current.origin, at[0] - current.from[0], at[1] - current.from[1], size) : current.origin });
    }
  };

  const onPointerUp = (event: ReactPointerEvent) => {
    const finished = dragRef.current;
    if (!finished) return;
    if (svg?.hasPointerCapture(event.pointerId)) svg.releasePointerCapture(event.pointerId);
    setDrag(null);
    if (finished.kind === 'draw') {
      const rect = finished.rect;
      if (rect && rect.width >= minDrawn && rect.height >= minDrawn)
        dispatch({ type: 'add', sop: instance.sopInstanceUID, box: { ...rect, frame, image: 'pixels', origin: 'user', redact: true } });
    } else if (finished.kind === 'move') {
      dispatch(finished.moved ? { type: 'set-rect', ref: finished.ref, rect: finished.rect } : { type: 'toggle', ref: finished.ref });
    } else if (finished.rect.width >= 1 && finished.rect.height >= 1) {
      dispatch({ type: 'set-rect', ref: finished.ref, rect: finished.rect });
    }
  };

  const shown = boxes.map(({ ref, box }) => {
    const dragged = drag && drag.kind !== 'draw' && sameRef(drag.ref, ref) ? { ...box, ...drag.rect } : box;
    return { ref, box: dragged, canvas: canvasRectOf(viewport, dragged) };
  });
  const redacted = boxes.filter((b) => b.box.redact).length;
  const draft = drag?.kind === 'draw' && drag.rect ? canvasRectOf(viewport, drag.rect) : null;

  return (
    <svg
      ref={setSvg}
      className="redaction-overlay"
      data-testid="redaction-overlay"
      data-view={view}
      data-privacy={privacy.hidden}
      data-tool={tool}
      data-boxes={boxes.length}
      role="group"
      aria-label={`Redaction boxes on this frame: ${boxes.length}, ${redacted} to be filled`}
      onPointerDown={startDraw}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={() => setDrag(null)}
      onContextMenu={(event) => event.preventDefault()}
    >
      {shown.map(({ ref, box, canvas }) => {
        if (!canvas || (!editing && !box.redact)) return null;
        const isSelected = sameRef(ref, selected);
        const label = boxLabel(box, privacy.hidden);
        const labelAbove = canvas.top >= 14;
        return (
          <g
            key={refKey(ref)}
            className="redaction-box"
            data-testid="redaction-box"
            data-ref={refKey(ref)}
            data-class={boxClass(box)}
            data-redact={box.redact}
            data-selected={isSelected}
            data-rect={`${box.x},${box.y},${box.width},${box.height}`}
            onPointerDown={(event) => startMove(event, ref, box)}
          >
            <title>{`${label} — ${box.redact ? 'will be filled' : 'kept'}`}</title>
            <rect className="redaction-rect" x={canvas.left} y={canvas.top} width={canvas.width} height={canvas.height} />
            {editing && (
              <text className="redaction-label" x={canvas.left} y={labelAbove ? canvas.top - 3 : canvas.top + canvas.height + 11}>
                {label}
              </text>
            )}
            {editing &&
              isSelected &&
              corners.map((corner) => {
                const at = imageToCanvas(viewport, cornerPoint(box, corner));
                if (!at) return null;
                return (
                  <rect
                    key={corner}
                    className={`redaction-handle redaction-handle-${corner}`}
                    data-testid={`redaction-handle-${corner}`}
                    x={at[0] - 4}
                    y={at[1] - 4}
                    width={8}
                    height={8}
                    onPointerDown={(event) => startResize(event, ref, box, corner)}
                  />
                );
              })}
          </g>
        );
      })}
      {draft && <rect className="redaction-draft" data-testid="redaction-draft" x={draft.left} y={draft.top} width={draft.width} height={draft.height} />}
    </svg>
  );
}
