// The researcher's journey: every study of the opened folder in one queue with
// its status (scanned, needs review, exported, failed), filters, a keyboard
// review of the flagged images (j/k or arrows, a accept, r reject, e edit in
// the viewer) whose decisions go into the redaction plan the export applies,
// and the batch export. See README.md.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExportProgressEvent, ExportRequest, ExportSummary } from '../../shared/api/contract';
import { useAppView } from '../app/AppView';
import { scanDocument, useScan, type ScanState } from '../findings/ScanContext';
import { useRedaction } from '../redact/RedactionContext';
import { defaultDecision } from '../redact/planState';
import { QueueExport } from './QueueExport';
import {
  buildQueue,
  exportOutcomes,
  filterQueue,
  noFilter,
  pixelOptions,
  restatus,
  reviewedStudies,
  statusLabels,
  type Decision,
  type PixelKind,
  type QueueFilter,
  type QueueStudy,
  type ReviewItem,
  type ScanPhase,
  type StudyStatus,
} from './queueModel';
import { decide, updateQueue, useQueueState } from './queueStore';
import { ReviewPanel } from './ReviewPanel';
import { StudyRows } from './StudyRows';
import './queue.css';

function phaseOf(scan: ScanState): ScanPhase {
  switch (scan.status) {
    case 'scanning':
      return 'headers';
    case 'pixels':
      return 'pixels';
    case 'done':
      return 'done';
    case 'error':
      return 'error';
    default:
      return 'none';
  }
}

const noDecisions = new Map<string, Decision>();
const hasLabels: Record<PixelKind, string> = { 'burned-in-text': 'Text', face: 'Face', 'skin-marker': 'Markers' };

/** Keys typed into a field are the field's. */
function typing(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element?.closest) return false;
  if (element.closest('textarea, select, [contenteditable=true]')) return true;
  const input = element.closest('input');
  return !!input && input.type !== 'checkbox' && input.type !== 'radio';
}

export function BatchQueue() {
  const { opened, scan, stop } = useScan();
  const redaction = useRedaction();
  const { showInViewer } = useAppView();
  const state = useQueueState(opened);
  const phase = phaseOf(scan);
  const document = scanDocument(scan);

  // Rows from the scan (rebuilt when it moves on), then statuses from the decisions and exports;
  // a study whose status did not change keeps its object, so its memoized row does not render.
  const base = useMemo(() => buildQueue({ opened, document, phase, decisions: noDecisions, outcomes: new Map() }), [opened, document, phase]);
  const last = useRef<{ base: QueueStudy[]; studies: QueueStudy[] } | null>(null);
  const studies = useMemo(() => {
    const from = last.current?.base === base ? last.current.studies : base;
    const next = restatus(from, phase, state.decisions, state.outcomes);
    last.current = { base, studies: next };
    return next;
  }, [base, phase, state.decisions, state.outcomes]);

  const [filter, setFilter] = useState<QueueFilter>(noFilter);
  const visible = useMemo(() => filterQueue(studies, filter), [studies, filter]);
  const modalities = useMemo(() => [...new Set(studies.flatMap((s) => s.modalities))].sort(), [studies]);
  const counts = useMemo(() => {
    const byStatus = new Map<StudyStatus, number>();
    for (const s of studies) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    return byStatus;
  }, [studies]);

  // The review walks the flagged images of the studies shown.
  const items = useMemo(() => visible.flatMap((s) => s.items), [visible]);
  const position = Math.max(0, items.findIndex((item) => item.id === state.cursor));
  const current: ReviewItem | null = items[position] ?? null;
  const studyNumbers = useMemo(() => new Map(studies.map((s) => [s.key, s.number])), [studies]);

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = useCallback((key: string) => setSelected((s) => { const next = new Set(s); if (!next.delete(key)) next.add(key); return next; }), []);
  const toggleAll = useCallback((checked: boolean) => setSelected(checked ? new Set(visible.map((s) => s.key)) : new Set()), [visible]);

  const move = useCallback(
    (step: 1 | -1) => {
      if (items.length === 0) return;
      const next = items[(position + step + items.length) % items.length];
      updateQueue(opened, (s) => ({ ...s, cursor: next.id }));
    },
    [items, position, opened],
  );

  const openStudy = useCallback(
    (key: string) => {
      const first = items.find((item) => item.studyKey === key);
      if (first) updateQueue(opened, (s) => ({ ...s, cursor: first.id }));
    },
    [items, opened],
  );

  const plan = redaction?.plan;
  const dispatch = redaction?.dispatch;
  const decideCurrent = useCallback(
    (decision: Decision) => {
      if (!current) return;
      // Text boxes of this image follow the decision: accepted as Veil proposed, rejected kept.
      const boxes = plan?.files[current.sop] ?? [];
      boxes.forEach((box, index) => {
        const wanted = decision === 'rejected' ? false : box.origin === 'burned-in-text' ? defaultDecision(box.textClass, plan!.keepTechnicalText) : true;
        if (box.redact !== wanted) dispatch?.({ type: 'toggle', ref: { owner: 'file', sop: current.sop, index } });
      });
      const next = items[position + 1];
      updateQueue(opened, (s) => ({ ...decide(s, current.id, decision), cursor: next?.id ?? current.id }));
    },
    [current, plan, dispatch, items, position, opened],
  );

  const edit = useCallback(() => {
    if (!current) return;
    updateQueue(opened, (s) => ({ ...s, cursor: current.id }));
    showInViewer(current.series, current.instanceIndex);
  }, [current, opened, showInViewer]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const key = event.key;
      if (key === 'j' || key === 'ArrowDown') move(1);
      else if (key === 'k' || key === 'ArrowUp') move(-1);
      else if (key === 'a') decideCurrent('accepted');
      else if (key === 'r') decideCurrent('rejected');
      else if (key === 'e') edit();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [move, decideCurrent, edit]);

  // Export: each file's status as reported, folded into per-study outcomes when the run ends.
  const fileStatus = useRef(new Map<string, ExportProgressEvent['status']>());
  const onFileStatus = useCallback((file: string, status: ExportProgressEvent['status']) => fileStatus.current.set(file, status), []);
  const onFinished = useCallback(
    (request: ExportRequest, summary: ExportSummary | null) => {
      for (const problem of summary?.problems ?? []) fileStatus.current.set(problem.input, problem.status);
      const outcomes = exportOutcomes(studies, fileStatus.current);
      updateQueue(opened, (s) => ({ ...s, outcomes: new Map([...s.outcomes, ...outcomes]), lastRequest: request }));
    },
    [studies, opened],
  );

  const selectedStudies = useMemo(() => studies.filter((s) => selected.has(s.key)), [studies, selected]);
  const reviewed = useMemo(() => reviewedStudies(visible), [visible]);
  // The pixel options follow the studies the next export would take (until the user sets them).
  const wanted = useMemo(
    () => pixelOptions(selectedStudies.length > 0 ? selectedStudies : reviewed.length > 0 ? reviewed : visible, state.decisions),
    [selectedStudies, reviewed, visible, state.decisions],
  );

  const setStatus = (status: QueueFilter['status']) => setFilter((f) => ({ ...f, status }));
  return (
    <section className="queue" data-testid="queue" aria-label="Batch" data-scan={phase} data-studies={studies.length}>
      <div className="queue-main">
        <div className="queue-toolbar" role="toolbar" aria-label="Filters">
          <label>
            Status{' '}
            <select data-testid="queue-filter-status" value={filter.status} onChange={(e) => setStatus(e.target.value as QueueFilter['status'])}>
              <option value="all">All ({studies.length})</option>
              {(Object.keys(statusLabels) as StudyStatus[]).map((status) => (
                <option key={status} value={status}>
                  {statusLabels[status]} ({counts.get(status) ?? 0})
                </option>
              ))}
            </select>
          </label>
          <label>
            Modality{' '}
            <select data-testid="queue-filter-modality" value={filter.modality} onChange={(e) => setFilter((f) => ({ ...f, modality: e.target.value }))}>
              <option value="all">All</option>
              {modalities.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          {(Object.keys(hasLabels) as PixelKind[]).map((kind) => (
            <label key={kind} className="export-check">
              <input
                type="checkbox"
                data-testid={`queue-filter-${kind}`}
                checked={filter.has.includes(kind)}
                onChange={(e) => setFilter((f) => ({ ...f, has: e.target.checked ? [...f.has, kind] : f.has.filter((k) => k !== kind) }))}
              />
              {hasLabels[kind]}
            </label>
          ))}
          <span className="privacy-muted queue-scan" data-testid="queue-scan-state" aria-live="polite">
            {phase === 'headers' && 'Reading headers…'}
            {phase === 'pixels' && scan.status === 'pixels' && (
              <>
                Reading pixels{scan.progress ? ` ${scan.progress.done} of ${scan.progress.total} files` : '…'}{' '}
                <progress data-testid="queue-scan-progress" aria-label="Scan progress" max={scan.progress?.total || 1} value={scan.progress?.done ?? 0} />{' '}
                <button type="button" data-testid="queue-scan-stop" onClick={stop}>
                  Stop
                </button>
              </>
            )}
            {phase === 'done' && scan.status === 'done' && scan.stopped && 'Pixel scan stopped: flags are from the headers only.'}
            {phase === 'error' && scan.status === 'error' && `Scan failed: ${scan.message}`}
          </span>
        </div>
        <StudyRows
          studies={visible}
          selected={selected}
          currentStudy={current?.studyKey ?? null}
          onToggle={toggle}
          onToggleAll={toggleAll}
          onOpen={openStudy}
          empty={<p className="privacy-muted">{studies.length === 0 ? 'Open a folder of studies to fill the queue.' : 'No study matches the filters.'}</p>}
        />
      </div>
      <aside className="queue-side">
        <ReviewPanel
          item={current}
          position={position}
          total={items.length}
          studyNumber={current ? (studyNumbers.get(current.studyKey) ?? null) : null}
          decision={current ? state.decisions.get(current.id) : undefined}
          onMove={move}
          onDecide={decideCurrent}
          onEdit={edit}
        />
        <QueueExport
          selected={selectedStudies}
          reviewed={reviewed}
          wanted={wanted}
          decisions={state.decisions}
          lastRequest={state.lastRequest}
          onFileStatus={onFileStatus}
          onFinished={onFinished}
        />
      </aside>
    </section>
  );
}
