import type { ProgressEvent } from '../../shared/api/contract';

export function ProgressIndicator({ progress, busy }: { progress: ProgressEvent | null; busy: boolean }) {
  if (!busy) return null;
  const total = progress?.total ?? 0;
  return (
    <div className="progress" data-testid="progress" role="status" aria-live="polite">
      <progress max={total || undefined} value={total ? progress?.done : undefined} aria-label="Opening progress" />
      <span className="progress-message">{progress ? `${progress.done}/${progress.total} ${progress.message}` : 'Opening…'}</span>
    </div>
  );
}
