// The paint tool's switch and radius: in the findings panel's list and the
// 3D view's toolbar (one state: a region painted anywhere lands in one list).
import { useMarkerFindings } from './MarkerFindingsContext';
import { maxRadiusMm, minRadiusMm } from './paintedRegions';
import './marker.css';

export function PaintControls({ testId = 'paint' }: { testId?: string }) {
  const findings = useMarkerFindings();
  if (!findings?.paintable) return null;
  const { painting, setPainting, paintRadiusMm, setPaintRadiusMm } = findings;
  return (
    <span className="paint-controls">
      <button
        type="button"
        aria-pressed={painting}
        onClick={() => setPainting(!painting)}
        title="Click or drag on the skin (3D) or on a slice to mark a region the copy fills with the surrounding soft tissue (a scar, a mark not found)"
        data-testid={`${testId}-tool`}
      >
        {painting ? 'Stop painting' : 'Paint a mark'}
      </button>
      <label>
        radius{' '}
        <input
          type="number"
          min={minRadiusMm}
          max={maxRadiusMm}
          step={1}
          value={paintRadiusMm}
          onChange={(event) => setPaintRadiusMm(Number(event.target.value))}
          data-testid={`${testId}-radius`}
        />{' '}
        mm
      </label>
    </span>
  );
}
