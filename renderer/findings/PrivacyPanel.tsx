// "What these scans reveal": the findings of everything open, per series, in
// plain words (the DICOM element one click away), and the way out: an export
// of a de-identified, verified copy. The scan itself lives in ScanContext.
import type { ScanDocument, ScanProgressEvent, SeriesSummary } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { useAppView } from '../app/AppView';
import { ExportPanel } from '../export/ExportPanel';
import { MarkerList } from '../marker/MarkerList';
import { confidenceWord, describeSeries } from './describeFindings';
import { RedactionBoxList } from './RedactionBoxList';
import { useScan } from './ScanContext';
import './findings.css';

export function PrivacyPanel() {
  const { series, fileIds, scan, stop } = useScan();
  const { setView } = useAppView();
  if (fileIds.length === 0) return null;
  const descriptions = new Map(series.map((s) => [s.seriesInstanceUID, s]));

  return (
    <section className="privacy-panel" aria-labelledby="privacy-title" data-testid="findings-panel" data-state={scan.status}>
      <h2 id="privacy-title">What these scans reveal</h2>
      {/* The patient's way in: the same findings as cards with pictures, no DICOM words. */}
      <button type="button" className="privacy-overview-link" data-testid="findings-overview-link" onClick={() => setView('overview')}>
        Explain it in plain words
      </button>
      {scan.status === 'scanning' && <p className="privacy-muted">Reading the headers…</p>}
      {scan.status === 'pixels' && <PixelProgress progress={scan.progress} onStop={stop} />}
      {scan.status === 'done' && scan.stopped && (
        <p className="privacy-muted" role="note" data-testid="findings-pixels-stopped">
          The pixels were not all read for burned-in text: the findings below come from the headers only.
        </p>
      )}
      {scan.status === 'unavailable' && <p className="privacy-muted">The privacy scan is not available here.</p>}
      {scan.status === 'error' && (
        <p className="privacy-error" role="alert">
          The scan failed: {scan.message}
        </p>
      )}
      {(scan.status === 'done' || scan.status === 'pixels') && <ScanResult document={scan.document} describe={(uid) => descriptions.get(uid)} />}
      <RedactionBoxList />
      <ExportPanel fileIds={fileIds} />
    </section>
  );
}

function PixelProgress({ progress, onStop }: { progress: ScanProgressEvent | null; onStop: () => void }) {
  const api = getVeilApi();
  return (
    <div className="privacy-pixels" data-testid="findings-pixel-progress">
      <p className="privacy-muted" aria-live="polite">
        Reading the images for burned-in text… {progress ? `${progress.done} of ${progress.total} files` : ''}
      </p>
      <progress aria-label="Burned-in text check" max={progress?.total || 1} value={progress?.done ?? 0} />
      {api.cancelScan && (
        <button type="button" data-testid="findings-pixel-stop" onClick={onStop}>
          Stop
        </button>
      )}
    </div>
  );
}

function UncheckedNote({ document }: { document: ScanDocument }) {
  const unchecked = document.unchecked ?? [];
  if (unchecked.length === 0) return null;
  return (
    <p className="privacy-muted" role="note" data-testid="findings-unchecked" data-count={unchecked.length}>
      Not checked for burned-in text: {unchecked.length} file{unchecked.length === 1 ? '' : 's'} ({unchecked[0].reason}
      {unchecked.length > 1 ? ', and others' : ''}).
    </p>
  );
}

function FaceSummary({ document }: { document: ScanDocument }) {
  const faces = document.series.flatMap((s) => s.findings.filter((f) => f.kind === 'face').map((f) => ({ finding: f, modality: s.modality })));
  if (faces.length === 0) return null;
  const rebuilt = faces.filter((f) => f.finding.where.image === undefined);
  const pictures = faces.length - rebuilt.length;
  return (
    <p className="privacy-summary privacy-face" data-testid="findings-face" data-count={faces.length}>
      {rebuilt.length > 0 &&
        `A face can be rebuilt from ${rebuilt.length === 1 ? `this ${rebuilt[0]!.modality || 'scan'} series` : `${rebuilt.length} series`} in 3D, and face recognition could match it to photographs. `}
      {pictures > 0 && `A face is visible in ${pictures} picture${pictures === 1 ? '' : 's'} (a photograph or a thumbnail). `}
      Choose below whether the copy removes them.
    </p>
  );
}

function MarkerSummary({ document }: { document: ScanDocument }) {
  const marks = document.series.flatMap((s) => s.findings.filter((f) => f.kind === 'skin-marker'));
  if (marks.length === 0) return null;
  return (
    <p className="privacy-summary" data-testid="findings-skin-markers" data-count={marks.length}>
      {marks.length} mark{marks.length === 1 ? '' : 's'} on the skin (tattoo ink, skin markers, piercings) show in the scan and can
      identify a person.
    </p>
  );
}

function PixelSummary({ document }: { document: ScanDocument }) {
  const text = document.series.flatMap((s) => s.findings.filter((f) => f.kind === 'burned-in-text'));
  if (text.length === 0) return null;
  const files = new Set(text.map((f) => f.where.file)).size;
  const identifying = text.filter((f) => f.textClass === 'identifying').length;
  return (
    <p className="privacy-summary" data-testid="findings-burned-in-text" data-count={text.length}>
      Text is burned into the pixels: {text.length} region{text.length === 1 ? '' : 's'} in {files} file{files === 1 ? '' : 's'},{' '}
      {identifying} that may identify the patient. They are outlined on the image; choose what to fill below.
    </p>
  );
}

function ScanResult({ document, describe }: { document: ScanDocument; describe: (uid: string) => SeriesSummary | undefined }) {
  const total = document.series.reduce((sum, s) => sum + s.findings.filter((f) => f.kind === 'header-phi').length, 0);
  if (total === 0) {
    return (
      <>
        <p className="privacy-muted" data-testid="findings-none">
          No identifying values found in the headers.
        </p>
        <PixelSummary document={document} />
        <FaceSummary document={document} />
        <MarkerSummary document={document} />
        <MarkerList />
        <UncheckedNote document={document} />
      </>
    );
  }
  return (
    <>
      <p className="privacy-summary">
        The file headers carry information about the patient. Exporting a safe copy removes or replaces it.
      </p>
      <PixelSummary document={document} />
      <FaceSummary document={document} />
      <MarkerSummary document={document} />
      <MarkerList />
      <UncheckedNote document={document} />
      {document.series.map((scanned, index) => {
        const rows = describeSeries(scanned);
        if (rows.length === 0) return null;
        const summary = describe(scanned.seriesInstanceUID);
        const title = summary?.seriesDescription || `${scanned.modality || 'Series'} series`;
        return (
          <details
            key={scanned.seriesInstanceUID || index}
            className="findings-series"
            data-testid="findings-series"
            data-series-uid={scanned.seriesInstanceUID}
            open={index === 0}
          >
            <summary>
              {title} — {rows.length} finding{rows.length === 1 ? '' : 's'} in {scanned.files.length} file
              {scanned.files.length === 1 ? '' : 's'}
            </summary>
            <ul className="findings-list" aria-label={`Findings in ${title}`}>
              {rows.map((row) => (
                <li key={row.path} className="finding" data-testid="finding" data-tag={row.tag} data-category={row.category}>
                  <span className="finding-what">{row.what}</span>
                  <span className="finding-where">
                    in <strong>{row.where}</strong>
                    {scanned.files.length > 1 ? `, ${row.files} of ${scanned.files.length} files` : ''}
                  </span>
                  <span
                    className={`finding-confidence finding-${confidenceWord(row.confidence)}`}
                    title={`Confidence ${Math.round(row.confidence * 100)}%`}
                  >
                    {confidenceWord(row.confidence)}
                  </span>
                  <details className="finding-tag">
                    <summary aria-label={`DICOM tag of ${row.where}`}>DICOM tag</summary>
                    <code data-testid="finding-tag">{row.path}</code>
                  </details>
                </li>
              ))}
            </ul>
          </details>
        );
      })}
      {document.skipped.length > 0 && (
        <p className="privacy-muted">{document.skipped.length} file(s) could not be scanned.</p>
      )}
    </>
  );
}
