// The findings panel's list of marks on the skin: one line per mark with where
// it is and how big, and a checkbox — checked marks are removed from the copy
// (when the export's "Remove marks on the skin" is on), unchecked ones kept.
// Below them the regions the user painted (each with Remove) and the paint tool.
import { useMarkerFindings } from './MarkerFindingsContext';
import type { MarkerMark } from './markerMarks';
import { PaintControls } from './PaintControls';
import { describePainted } from './paintedRegions';
import './marker.css';

const kindText: Record<string, string> = {
  'dense-in-shell': 'Dense mark in the skin',
  'external-object': 'Object on the skin',
  'signal-void': 'Signal void at the skin',
};

const mm = (v: number) => v.toFixed(0);

function describe(mark: MarkerMark): string {
  const [x, y, z] = mark.position;
  // LPS: x grows to the patient's left, y to the back, z to the head.
  return `${kindText[mark.markerKind] ?? 'Mark'}, ${mm(Math.max(...mark.sizeMm))} mm, at ${mm(Math.abs(x))} mm ${x >= 0 ? 'left' : 'right'}, ${mm(Math.abs(y))} mm ${y >= 0 ? 'posterior' : 'anterior'}, z ${mm(z)} mm`;
}

export function MarkerList() {
  const findings = useMarkerFindings();
  if (!findings || (findings.marks.length === 0 && findings.painted.length === 0 && !findings.paintable)) return null;
  const { marks, rejected, setAccepted, shown, setShown, painted, removePainted } = findings;
  const removed = marks.filter((m) => !rejected.has(m.id)).length;
  return (
    <div className="marker-panel" data-testid="marker-list" data-accepted={removed} data-count={marks.length} data-painted={painted.length}>
      {marks.length + painted.length > 0 && (
        <p className="privacy-muted">
          {marks.length > 0 &&
            `Checked marks are removed from the copy (filled with the surrounding tissue, or air for objects on the skin): ${removed} of ${marks.length}. `}
          <button type="button" className="marker-toggle" aria-pressed={shown} onClick={() => setShown(!shown)} data-testid="marker-shown">
            {shown ? 'Hide on images' : 'Show on images'}
          </button>
        </p>
      )}
      <ul className="marker-list">
        {marks.map((mark) => (
          <li key={mark.id} data-testid="marker-item" data-marker={mark.id}>
            <label title={mark.detail}>
              <input
                type="checkbox"
                data-testid="marker-accept"
                checked={!rejected.has(mark.id)}
                onChange={(event) => setAccepted(mark.id, event.target.checked)}
              />{' '}
              {describe(mark)}
            </label>
          </li>
        ))}
      </ul>
      {painted.length > 0 && (
        <ul className="marker-list painted-list">
          {painted.map((region) => (
            <li key={region.id} data-testid="painted-item" data-painted={region.id} data-from={region.from}>
              {describePainted(region)}
              <button type="button" onClick={() => removePainted(region.id)} data-testid="painted-remove">
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="privacy-muted">
        {painted.length > 0 ? `${painted.length} painted region${painted.length === 1 ? '' : 's'}: filled in the copy with the surrounding soft tissue (the skin only). ` : 'A scar or a mark not found? '}
        <PaintControls />
      </p>
    </div>
  );
}
