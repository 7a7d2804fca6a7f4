// Files that were not opened, each with the reason, so nothing disappears silently.
import type { SkippedInput } from '../../shared/api/contract';

export function SkippedList({ skipped }: { skipped: SkippedInput[] }) {
  if (skipped.length === 0) return null;
  return (
    <details className="skipped" data-testid="skipped-list" open>
      <summary>
        {skipped.length} file{skipped.length === 1 ? '' : 's'} skipped
      </summary>
      <ul aria-label="Skipped files">
        {skipped.map((entry, index) => (
          <li key={`${entry.displayPath}#${index}`} data-testid="skipped-item">
            <span className="skipped-path">{entry.displayPath}</span>
            <span className="skipped-reason">{entry.reason}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
