// "Export safe copy…": pick a profile, choose a folder (main's dialog; main
// writes only there), watch the progress with a way to stop, then read what
// happened: exported / skipped / failed, the verification, the audit report.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ExportProgressEvent, ExportSummary, FileId } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { useFaceFindings } from '../face/FaceFindingsContext';
import { useRedactionPlan } from '../redact/RedactionContext';
import { useExportPhase } from './ExportSession';
import { ProfileControls, useProfileChoice } from './ProfileControls';
import { withPixelOptions } from './profiles';
import { useMarkerFindings } from '../marker/MarkerFindingsContext';
import { acceptedBySeries } from '../marker/markerMarks';
import { paintedBySeries } from '../marker/paintedRegions';
import { PrivatePath, usePrivacyMode } from '../review/PrivacyMode';

/** `patient`: plain words ("Make a safe copy…"); profiles and research formats one click away under "More choices". */
export function ExportPanel({ fileIds, variant }: { fileIds: FileId[]; variant?: 'patient' }) {
  const patient = variant === 'patient';
  const api = getVeilApi();
  const available = Boolean(api.exportStudy && api.chooseExportFolder);
  const [phase, setPhase] = useExportPhase(fileIds);
  const profileChoice = useProfileChoice();
  const [nifti, setNifti] = useState(false);
  const plan = useRedactionPlan();
  const textFound = Object.values(plan.files).some((boxes) => boxes.some((b) => b.redact)) || plan.signatures.length > 0;
  // Off until text is found, then on: a patient should not have to know to ask for it.
  const [cleanPixels, setCleanPixels] = useState<boolean | null>(null);
  const cleaning = cleanPixels ?? textFound;
  const faceFound = (useFaceFindings()?.marks ?? []).some((mark) => mark.kind === 'volume');
  // The same for faces rebuilt from head scans: on once one is found.
  const [deface, setDeface] = useState<boolean | null>(null);
  const defacing = deface ?? faceFound;
  const [defaceFill, setDefaceFill] = useState<'air' | 'noise' | 'blur'>('air');
  const [defaceEars, setDefaceEars] = useState(false);
  // Marks on the skin: on once found; the list in the findings panel says which go.
  const markerFindings = useMarkerFindings();
  // Painted regions count as marks: on once one is painted.
  const markersFound = (markerFindings?.marks.length ?? 0) + (markerFindings?.painted.length ?? 0) > 0;
  const [markers, setMarkers] = useState<boolean | null>(null);
  const removingMarkers = markers ?? markersFound;
  const outcome = useRef<HTMLDivElement>(null);

  // Progress and results appear under the button, often below the pane's fold: bring them into view.
  useEffect(() => {
    if (phase.step === 'running' || phase.step === 'done' || phase.step === 'error') outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [phase.step]);



  const start = async () => {
    if (!api.exportStudy || !api.chooseExportFolder) return;
    setPhase({ step: 'choosing' });
    try {
      const folder = await api.chooseExportFolder();
      if (!folder) {
        setPhase({ step: 'idle' });
        return;
      }
      setPhase({ step: 'running', folder, progress: null, cancelling: false });
      const summary = await api.exportStudy({
        fileIds,
        target: folder,
        profile: withPixelOptions(profileChoice.chosen.text, { cleanPixelData: cleaning, cleanRecognizableVisualFeatures: defacing }),
        options: { nifti, ...(defacing && defaceFill !== 'air' ? { defaceFill } : {}), ...(defacing && defaceEars ? { defaceEars } : {}) },
        ...(cleaning ? { redactionPlan: JSON.stringify(plan) } : {}),
        ...(removingMarkers
          ? {
              skinMarkers:
                markerFindings && markersFound
                  ? {
                      accepted: acceptedBySeries(markerFindings.marks, markerFindings.rejected),
                      ...(markerFindings.painted.length ? { painted: paintedBySeries(markerFindings.painted) } : {}),
                    }
                  : {},
            }
          : {}),
      });
      setPhase({ step: 'done', summary });
    } catch (cause) {
      setPhase({ step: 'error', message: cause instanceof Error ? cause.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(cause) });
    }
  };

  const cancel = () => {
    setPhase((current) => (current.step === 'running' ? { ...current, cancelling: true } : current));
    void api.cancelExport?.();
  };

  const busy = phase.step === 'choosing' || phase.step === 'running';

  return (
    <div className="export-panel" data-testid="export-panel" data-phase={phase.step}>
      <h3>{patient ? 'Make a safe copy' : 'Export a safe copy'}</h3>
      {!available ? (
        <p className="privacy-muted" role="note" data-testid="export-unavailable">
          Exporting needs the Veil desktop app: in the browser, Veil cannot write a folder of files. The findings above are
          computed here, in this tab.
        </p>
      ) : (
        <>
          <MoreChoices shown={!patient}>
            <ProfileControls
              prefix="export"
              choice={profileChoice}
              busy={busy}
              pixelOptions={{ cleanPixelData: cleaning, cleanRecognizableVisualFeatures: defacing }}
            />
            <label className="export-check">
              <input type="checkbox" data-testid="export-nifti" checked={nifti} disabled={busy} onChange={(e) => setNifti(e.target.checked)} />
              Also write NIfTI volumes (for research tools)
            </label>
          </MoreChoices>
          <label className="export-check">
            <input
              type="checkbox"
              data-testid="export-clean-pixels"
              checked={cleaning}
              disabled={busy}
              onChange={(e) => setCleanPixels(e.target.checked)}
            />
            Remove burned-in text (the boxes above; every copy is read again to prove none is left)
          </label>
          <label className="export-check">
            <input type="checkbox" data-testid="export-deface" checked={defacing} disabled={busy} onChange={(e) => setDeface(e.target.checked)} />
            Remove faces that can be rebuilt from head scans (each copy is rendered again to prove no face is left)
          </label>
          {defacing && (
            <div className="export-suboptions">
              <label className="export-field">
                Replace the face with
                <select data-testid="export-deface-fill" value={defaceFill} disabled={busy} onChange={(e) => setDefaceFill(e.target.value as 'air' | 'noise' | 'blur')}>
                  <option value="air">air (background)</option>
                  <option value="noise">noise like the background</option>
                  <option value="blur">a heavy blur</option>
                </select>
              </label>
              <label className="export-check">
                <input type="checkbox" data-testid="export-deface-ears" checked={defaceEars} disabled={busy} onChange={(e) => setDefaceEars(e.target.checked)} />
                The ears too
              </label>
            </div>
          )}
          <label className="export-check">
            <input type="checkbox" data-testid="export-markers" checked={removingMarkers} disabled={busy} onChange={(e) => setMarkers(e.target.checked)} />
            Remove marks on the skin (tattoo ink, markers, piercings: the checked ones in the list above, and the painted regions; each volume is searched again)
          </label>
          <button type="button" data-testid="export-start" disabled={busy || fileIds.length === 0} onClick={() => void start()}>
            {patient ? 'Make a safe copy…' : 'Export safe copy…'}
          </button>
        </>
      )}
      <div ref={outcome}>
        {phase.step === 'running' && (
          <Running folder={phase.folder} progress={phase.progress} cancelling={phase.cancelling} onCancel={cancel} />
        )}
        {phase.step === 'done' && <Result summary={phase.summary} openReport={api.openExportReport?.bind(api)} />}
        {phase.step === 'error' && (
          <p className="privacy-error" role="alert" data-testid="export-error">
            {phase.message}
          </p>
        )}
      </div>
    </div>
  );
}

/** The specialist's controls: in place, or folded away on the patient's path. */
function MoreChoices({ shown, children }: { shown: boolean; children: ReactNode }) {
  if (shown) return <>{children}</>;
  return (
    <details className="export-more" data-testid="export-more">
      <summary>More choices (profile, research formats)</summary>
      {children}
    </details>
  );
}

function Running(props: { folder: string; progress: ExportProgressEvent | null; cancelling: boolean; onCancel: () => void }) {
  const { progress } = props;
  return (
    <div className="export-running" data-testid="export-running">
      <p className="export-folder">
        Writing to <PrivatePath path={props.folder} />
      </p>
      <progress
        data-testid="export-progress"
        aria-label="Export progress"
        max={progress?.total || 1}
        value={progress?.done ?? 0}
        data-done={progress?.done ?? 0}
        data-total={progress?.total ?? 0}
      />
      <p className="privacy-muted" aria-live="polite">
        {progress ? `${progress.done} of ${progress.total} files` : 'Preparing…'}
        {props.cancelling ? ' — stopping after the files in progress' : ''}
      </p>
      <button type="button" data-testid="export-cancel" disabled={props.cancelling} onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

function Result({ summary, openReport }: { summary: ExportSummary; openReport?: () => Promise<void> }) {
  const [openError, setOpenError] = useState<string | null>(null);
  const privacy = usePrivacyMode();
  const verdict = summary.complete ? 'Export complete' : summary.interrupted ? 'Export stopped' : 'Export incomplete';
  return (
    <div className="export-result" data-testid="export-summary" data-complete={summary.complete} data-interrupted={summary.interrupted} role="status">
      <p className="export-verdict">{verdict}</p>
      <ul className="export-counts">
        <li data-testid="export-count-exported">{summary.exported} exported</li>
        <li data-testid="export-count-skipped">{summary.skipped} skipped</li>
        <li data-testid="export-count-failed">{summary.failed} failed</li>
      </ul>
      <p data-testid="export-verified">
        {summary.exported > 0 && summary.verified === summary.exported
          ? `Verification passed: all ${summary.verified} exported files were re-read and contain none of the identifying values.`
          : `Verification: ${summary.verified} of ${summary.exported} exported files checked clean.`}
      </p>
      {summary.interrupted && (
        <p className="privacy-muted">Export into the same folder again to resume where it stopped.</p>
      )}
      <p className="export-folder">
        Folder: <PrivatePath testId="export-output-folder" path={summary.outputFolder} />
      </p>
      {summary.reportHtmlPath && (
        <p className="export-folder">
          Report (kept on this computer, it names your files): <PrivatePath testId="export-report-path" path={summary.reportHtmlPath} />{' '}
          {openReport && (
            <button
              type="button"
              data-testid="export-open-report"
              onClick={() => openReport().catch((cause: unknown) => setOpenError(cause instanceof Error ? cause.message : String(cause)))}
            >
              Open report
            </button>
          )}
        </p>
      )}
      {openError && <p className="privacy-error">{openError}</p>}
      {summary.problems.length > 0 && (
        <details className="export-problems">
          <summary>Files not exported</summary>
          <ul>
            {summary.problems.map((p, index) => (
              <li key={`${p.input}#${index}`} data-testid="export-problem">
                <span className="skipped-path">{privacy.hidden ? `File ${index + 1}` : p.input}</span> <span className="privacy-muted">{p.status}: {p.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {summary.notes.length > 0 && (
        <ul className="export-notes">
          {summary.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
