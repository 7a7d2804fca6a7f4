// Before / after defacing: shown only when a defaced preview of the series
// exists (`FaceFindings.defaced`). Nothing produces one yet, so today this
// renders nothing; it is the place the defacing work plugs into.
import { useFaceFindings, type SeriesFaces } from './FaceFindingsContext';

export function FaceComparisonToggle({ faces }: { faces: SeriesFaces }) {
  const findings = useFaceFindings();
  if (!findings || !faces.defaced) return null;
  const { comparison, setComparison } = findings;
  return (
    <span className="face-comparison" role="group" aria-label="Face before or after defacing" data-testid="face-comparison">
      {(['before', 'after'] as const).map((side) => (
        <button key={side} type="button" aria-pressed={comparison === side} onClick={() => setComparison(side)}>
          {side === 'before' ? 'Before' : 'After defacing'}
        </button>
      ))}
    </span>
  );
}
