// The queue's table: one memoized row per study (a decision or an export
// re-renders only the rows it changes), and only the rows in view once the
// queue is long (200 studies and more).
import { memo, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { usePrivacyMode } from '../review/PrivacyMode';
import { statusLabels, type QueueStudy } from './queueModel';

/** Fixed row height in px: windowing needs it, and queue.css uses the same. */
export const rowHeight = 34;
/** Below this many rows every row is in the DOM (simple, and what tests read). */
const windowFrom = 60;

interface RowProps {
  study: QueueStudy;
  checked: boolean;
  current: boolean;
  /** Privacy mode: the study's description can name the patient or the reason for the scan. */
  hidden: boolean;
  onToggle: (key: string) => void;
  onOpen: (key: string) => void;
}

const StudyRow = memo(function StudyRow({ study, checked, current, hidden, onToggle, onOpen }: RowProps) {
  const flags = [study.has['burned-in-text'] && 'text', study.has.face && 'face', study.has['skin-marker'] && 'markers'].filter(Boolean).join(', ');
  return (
    <tr
      className="queue-row"
      data-testid="queue-row"
      data-study={study.number}
      data-status={study.status}
      data-current={current}
      aria-current={current ? 'true' : undefined}
      style={{ height: rowHeight }}
    >
      <td>
        <input type="checkbox" aria-label={`Select study ${study.number}`} data-testid="queue-select" checked={checked} onChange={() => onToggle(study.key)} />
      </td>
      <td className="queue-number">{study.number}</td>
      <td className="queue-description">
        <button type="button" className="queue-link" onClick={() => onOpen(study.key)} title="Review this study's flagged images">
          {hidden ? `Study ${study.number}` : study.description}
        </button>
      </td>
      <td>{study.modalities.join(', ')}</td>
      <td className="queue-count">{study.fileIds.length}</td>
      <td className="queue-count" data-testid="queue-header-findings">
        {study.headerFindings}
      </td>
      <td data-testid="queue-flags">{flags || '—'}</td>
      <td className="queue-count" data-testid="queue-undecided">
        {study.items.length > 0 ? `${study.items.length - study.undecided}/${study.items.length}` : '—'}
      </td>
      <td>
        <span className={`queue-status queue-status-${study.status}`} data-testid="queue-status">
          {statusLabels[study.status]}
        </span>
      </td>
    </tr>
  );
});

/** Rows [start, end) in view of `container`, with some to spare; all when the list is short. */
function useRowWindow(count: number, container: React.RefObject<HTMLDivElement | null>): [number, number] {
  const [range, setRange] = useState<[number, number]>([0, Math.min(count, windowFrom)]);
  const update = useCallback(() => {
    const element = container.current;
    if (!element || count < windowFrom) {
      setRange([0, count]);
      return;
    }
    const first = Math.max(0, Math.floor(element.scrollTop / rowHeight) - 10);
    const last = Math.min(count, Math.ceil((element.scrollTop + element.clientHeight) / rowHeight) + 10);
    setRange((current) => (current[0] === first && current[1] === last ? current : [first, last]));
  }, [count, container]);
  useEffect(() => {
    update();
    const element = container.current;
    element?.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      element?.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, [update, container]);
  return range;
}

export function StudyRows(props: {
  studies: QueueStudy[];
  selected: ReadonlySet<string>;
  currentStudy: string | null;
  onToggle: (key: string) => void;
  onToggleAll: (checked: boolean) => void;
  onOpen: (key: string) => void;
  empty: ReactNode;
}) {
  const { studies, selected, currentStudy, onToggle, onOpen } = props;
  const { hidden } = usePrivacyMode();
  const container = useRef<HTMLDivElement>(null);
  const [start, end] = useRowWindow(studies.length, container);
  // Keep the current study's row in view while reviewing with the keyboard.
  useEffect(() => {
    const index = studies.findIndex((s) => s.key === currentStudy);
    const element = container.current;
    if (index < 0 || !element) return;
    const top = index * rowHeight;
    if (top < element.scrollTop || top + rowHeight > element.scrollTop + element.clientHeight - rowHeight) element.scrollTop = Math.max(0, top - rowHeight * 2);
  }, [currentStudy, studies]);
  const allChecked = studies.length > 0 && studies.every((s) => selected.has(s.key));
  return (
    <div className="queue-table-wrap" ref={container} data-testid="queue-table">
      <table className="queue-table">
        <thead>
          <tr>
            <th>
              <input type="checkbox" aria-label="Select every study shown" data-testid="queue-select-all" checked={allChecked} onChange={(e) => props.onToggleAll(e.target.checked)} />
            </th>
            <th>#</th>
            <th>Study</th>
            <th>Modality</th>
            <th>Files</th>
            <th title="Identifying values in the headers (the profile replaces them)">Header</th>
            <th title="Found in the pixels">Flags</th>
            <th title="Flagged images decided / flagged">Reviewed</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {start > 0 && <tr style={{ height: start * rowHeight }} aria-hidden="true" />}
          {studies.slice(start, end).map((study) => (
            <StudyRow key={study.key} study={study} checked={selected.has(study.key)} current={study.key === currentStudy} hidden={hidden} onToggle={onToggle} onOpen={onOpen} />
          ))}
          {end < studies.length && <tr style={{ height: (studies.length - end) * rowHeight }} aria-hidden="true" />}
        </tbody>
      </table>
      {studies.length === 0 && props.empty}
    </div>
  );
}
