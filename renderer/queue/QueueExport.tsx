// Exporting from the queue: the selected studies or every reviewed one, in one
// run into a folder from main's dialog, with a progress bar, Cancel and
// Resume (the same request into the same folder: finished files are kept).
// The optional linkage file is off by default and goes where the user says.
import { useEffect, useRef, useState } from 'react';
import type { ExportProgressEvent, ExportRequest, ExportSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { withPixelOptions } from '../export/profiles';
import { useRedactionPlan } from '../redact/RedactionContext';
import { PrivatePath, usePrivacyMode } from '../review/PrivacyMode';
import { ProfileControls, useProfileChoice } from '../export/ProfileControls';
import { skinMarkersRequest, type Decision, type QueueStudy } from './queueModel';

type Phase =
  | { step: 'idle' }
  | { step: 'choosing' }
  | { step: 'running'; count: number; progress: ExportProgressEvent | null; cancelling: boolean }
  | { step: 'done'; summary: ExportSummary }
  | { step: 'error'; message: string };

export interface QueueExportProps {
  selected: QueueStudy[];
  reviewed: QueueStudy[];
  /** What the review asks of the pixels (text found and not rejected, faces likewise). */
  wanted: { cleanPixelData: boolean; cleanRecognizableVisualFeatures: boolean };
  /** The review's decisions: accepted skin marks are removed, rejected ones kept. */
  decisions: ReadonlyMap<string, Decision>;
  lastRequest: ExportRequest | null;
  /** Called with every file's status as the export reports it, and the request once it ends. */
  onFileStatus: (file: string, status: ExportProgressEvent['status']) => void;
  onFinished: (request: ExportRequest, summary: ExportSummary | null) => void;
}

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(cause);
}

export function QueueExport(props: QueueExportProps) {
  const api = getVeilApi();
  const available = Boolean(api.exportStudy && api.chooseExportFolder);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const profileChoice = useProfileChoice();
  const [cleanPixels, setCleanPixels] = useState<boolean | null>(null);
  const [deface, setDeface] = useState<boolean | null>(null);
  const [linkage, setLinkage] = useState(false);
  const [markers, setMarkers] = useState(true);
  const cleaning = cleanPixels ?? props.wanted.cleanPixelData;
  const defacing = deface ?? props.wanted.cleanRecognizableVisualFeatures;
  const plan = useRedactionPlan();
  const onFileStatus = useRef(props.onFileStatus);
  onFileStatus.current = props.onFileStatus;

  useEffect(() => {
    if (!api.onExportProgress) return;
    return api.onExportProgress((progress) => {
      onFileStatus.current(progress.file, progress.status);
      setPhase((current) => (current.step === 'running' ? { ...current, progress } : current));
    });
  }, [api]);

  const profileText = () => withPixelOptions(profileChoice.chosen.text, { cleanPixelData: cleaning, cleanRecognizableVisualFeatures: defacing });

  const run = async (request: ExportRequest, count: number) => {
    setPhase({ step: 'running', count, progress: null, cancelling: false });
    try {
      const summary = await api.exportStudy!(request);
      setPhase({ step: 'done', summary });
      props.onFinished(request, summary);
    } catch (cause) {
      setPhase({ step: 'error', message: message(cause) });
      props.onFinished(request, null);
    }
  };

  const start = async (studies: QueueStudy[]) => {
    if (!api.exportStudy || !api.chooseExportFolder || studies.length === 0) return;
    setPhase({ step: 'choosing' });
    try {
      const target = await api.chooseExportFolder();
      if (!target) return setPhase({ step: 'idle' });
      let linkageFile: string | null = null;
      if (linkage) {
        linkageFile = (await api.chooseLinkageFile?.()) ?? null;
        // Asked for and then cancelled: no export without it (the user expected one).
        if (!linkageFile) return setPhase({ step: 'idle' });
      }
      const skinMarkers = markers ? skinMarkersRequest(studies, props.decisions) : undefined;
      const request: ExportRequest = {
        fileIds: studies.flatMap((s) => s.fileIds),
        target,
        profile: profileText(),
        ...(cleaning ? { redactionPlan: JSON.stringify(plan) } : {}),
        ...(skinMarkers ? { skinMarkers } : {}),
        ...(linkageFile ? { linkageFile } : {}),
      };
      await run(request, studies.length);
    } catch (cause) {
      setPhase({ step: 'error', message: message(cause) });
    }
  };

  const cancel = () => {
    setPhase((current) => (current.step === 'running' ? { ...current, cancelling: true } : current));
    void api.cancelExport?.();
  };

  const busy = phase.step === 'choosing' || phase.step === 'running';
  const resumable = props.lastRequest && ((phase.step === 'done' && !phase.summary.complete) || phase.step === 'error');

  return (
    <section className="queue-export" data-testid="queue-export" data-phase={phase.step} aria-label="Export">
      <h3>Export</h3>
      <ProfileControls
        prefix="queue"
        choice={profileChoice}
        busy={busy}
        pixelOptions={{ cleanPixelData: cleaning, cleanRecognizableVisualFeatures: defacing }}
      />
      <label className="export-check">
        <input type="checkbox" data-testid="queue-clean-pixels" checked={cleaning} disabled={busy} onChange={(e) => setCleanPixels(e.target.checked)} />
        Remove burned-in text (as reviewed)
      </label>
      <label className="export-check">
        <input type="checkbox" data-testid="queue-deface" checked={defacing} disabled={busy} onChange={(e) => setDeface(e.target.checked)} />
        Remove faces from head scans
      </label>
      <label className="export-check">
        <input type="checkbox" data-testid="queue-markers" checked={markers} disabled={busy} onChange={(e) => setMarkers(e.target.checked)} />
        Remove marks on the skin (as reviewed: rejected marks stay)
      </label>
      <label className="export-check">
        <input
          type="checkbox"
          data-testid="queue-linkage"
          checked={linkage}
          disabled={busy || !api.chooseLinkageFile}
          onChange={(e) => setLinkage(e.target.checked)}
        />
        Also write a linkage file (original ID ↔ pseudonym), to a place you choose outside the export; keep it private
      </label>
      {!available ? (
        <p className="privacy-muted" role="note" data-testid="queue-export-unavailable">
          Exporting a batch needs the Veil desktop app (or <code>veil deid</code>).
        </p>
      ) : (
        <div className="queue-export-actions">
          <button type="button" data-testid="queue-export-selected" disabled={busy || props.selected.length === 0} onClick={() => void start(props.selected)}>
            Export selected ({props.selected.length})…
          </button>
          <button type="button" data-testid="queue-export-reviewed" disabled={busy || props.reviewed.length === 0} onClick={() => void start(props.reviewed)}>
            Export all reviewed ({props.reviewed.length})…
          </button>
          {resumable && (
            <button type="button" data-testid="queue-resume" disabled={busy} onClick={() => void run(props.lastRequest!, 0)}>
              Resume
            </button>
          )}
        </div>
      )}
      {phase.step === 'running' && (
        <div className="export-running" data-testid="queue-export-running">
          <progress
            data-testid="queue-export-progress"
            aria-label="Export progress"
            max={phase.progress?.total || 1}
            value={phase.progress?.done ?? 0}
            data-done={phase.progress?.done ?? 0}
            data-total={phase.progress?.total ?? 0}
          />
          <p className="privacy-muted" aria-live="polite">
            {phase.progress ? `${phase.progress.done} of ${phase.progress.total} files` : 'Preparing…'}
            {phase.cancelling ? ' — stopping after the files in progress' : ''}
          </p>
          <button type="button" data-testid="queue-export-cancel" disabled={phase.cancelling} onClick={cancel}>
            Cancel
          </button>
        </div>
      )}
      {phase.step === 'done' && <Outcome summary={phase.summary} />}
      {phase.step === 'error' && (
        <p className="privacy-error" role="alert" data-testid="queue-export-error">
          {phase.message}
        </p>
      )}
    </section>
  );
}

function Outcome({ summary }: { summary: ExportSummary }) {
  const privacy = usePrivacyMode();
  const verdict = summary.complete ? 'Export complete' : summary.interrupted ? 'Export stopped: Resume carries on where it stopped' : 'Export incomplete';
  return (
    <div className="export-result" role="status" data-testid="queue-export-summary" data-complete={summary.complete} data-interrupted={summary.interrupted}>
      <p className="export-verdict">{verdict}</p>
      <p data-testid="queue-export-counts">
        {summary.exported} exported, {summary.failed} failed, {summary.skipped} skipped; {summary.verified} verified clean
      </p>
      <p className="export-folder">
        Folder: <PrivatePath testId="queue-export-folder" path={summary.outputFolder} />
      </p>
      {summary.linkage && (
        <p className="export-folder" data-testid="queue-linkage-written">
          Linkage file ({summary.linkage.studies} studies, keep it private): <PrivatePath path={summary.linkage.file} />
        </p>
      )}
      {summary.problems.length > 0 && (
        <details className="export-problems">
          <summary>Files not exported</summary>
          <ul>
            {summary.problems.map((p, index) => (
              <li key={`${p.input}#${index}`}>
                <span className="skipped-path">{privacy.hidden ? `File ${index + 1}` : p.input}</span> <span className="privacy-muted">{p.status}: {p.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
