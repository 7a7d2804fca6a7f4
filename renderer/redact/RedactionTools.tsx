// The stack toolbar's redaction controls: the Box tool (dragging draws a box
// instead of changing the window), Before / After, and deleting the selected box.
import { useRedaction } from './RedactionContext';

export function RedactionTools() {
  const session = useRedaction();
  if (!session) return null;
  const { tool, setTool, view, setView, selected, dispatch } = session;
  return (
    <div className="redaction-tools" role="group" aria-label="Redaction">
      <button
        type="button"
        data-testid="redaction-box-tool"
        aria-pressed={tool === 'box'}
        disabled={view === 'after'}
        title="Drag on the image to draw a box to redact"
        onClick={() => setTool(tool === 'box' ? 'none' : 'box')}
      >
        Box
      </button>
      <button
        type="button"
        data-testid="redaction-delete"
        aria-label="Delete the selected box"
        disabled={!selected || view === 'after'}
        onClick={() => selected && dispatch({ type: 'delete', ref: selected })}
      >
        Delete box
      </button>
      <span className="separator" aria-hidden="true" />
      <button type="button" data-testid="redaction-before" aria-pressed={view === 'before'} aria-label="Before redaction: outlined boxes" onClick={() => setView('before')}>
        Before
      </button>
      <button type="button" data-testid="redaction-after" aria-pressed={view === 'after'} aria-label="After redaction: boxes filled" onClick={() => setView('after')}>
        After
      </button>
    </div>
  );
}
