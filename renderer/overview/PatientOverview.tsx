// The patient's journey: what these scans give away, in plain words. One
// section per study with its risk cards (what it is, a picture, what the safe
// copy does about it), then "Make a safe copy" — the export panel in its
// plain-words form. The scan itself is ScanContext's, shared with the viewer.
import type { StudySummary } from '../../shared/api/contract';
import { ExportPanel } from '../export/ExportPanel';
import { scanDocument, useScan } from '../findings/ScanContext';
import { usePrivacyMode } from '../review/PrivacyMode';
import { RiskCard } from './RiskCard';
import { plainDate, studyRisks } from './studyRisks';
import './overview.css';

export function PatientOverview() {
  const { opened, fileIds, scan, stop } = useScan();
  const document = scanDocument(scan);
  const studies = (opened?.patients ?? []).flatMap((p) => p.studies);
  const images = fileIds.length;

  return (
    <section className="overview" data-testid="overview" data-state={scan.status} aria-labelledby="overview-title">
      <div className="overview-main">
        <h2 id="overview-title">What your scans give away</h2>
        {images === 0 ? (
          <p className="overview-lead">Open your CD or its folder (Open folder…) and Veil will show here what the images reveal about you.</p>
        ) : (
          <p className="overview-lead">
            Veil looked at {images} image{images === 1 ? '' : 's'} in {studies.length} stud{studies.length === 1 ? 'y' : 'ies'}. Everything
            happens on this computer: nothing is sent anywhere.
          </p>
        )}
        <ScanStatus stop={stop} />
        {studies.map((study, index) => (
          <StudyRisks key={study.studyInstanceUID || index} study={study} number={index + 1} />
        ))}
        {document && document.skipped.length > 0 && (
          <p className="overview-muted" data-testid="overview-skipped">
            {document.skipped.length} file{document.skipped.length === 1 ? ' is' : 's are'} not images (an index of the CD, a document…) and
            {document.skipped.length === 1 ? ' is' : ' are'} not part of the copy.
          </p>
        )}
      </div>
      {images > 0 && (
        <aside className="overview-copy" aria-label="Make a safe copy">
          <p className="overview-muted">
            A safe copy is a new set of files for sharing (with a researcher, a second opinion, an app). Your CD and its files stay as they
            are.
          </p>
          <ExportPanel fileIds={fileIds} variant="patient" />
        </aside>
      )}
    </section>
  );
}

function ScanStatus({ stop }: { stop: () => void }) {
  const { scan } = useScan();
  switch (scan.status) {
    case 'scanning':
      return <p className="overview-muted" aria-live="polite">Reading the files…</p>;
    case 'pixels':
      return (
        <div className="overview-progress" data-testid="overview-progress">
          <p className="overview-muted" aria-live="polite">
            Looking at the images for writing and faces… {scan.progress ? `${scan.progress.done} of ${scan.progress.total}` : ''}
          </p>
          <progress aria-label="Looking at the images" max={scan.progress?.total || 1} value={scan.progress?.done ?? 0} />
          <button type="button" onClick={stop}>
            Stop looking
          </button>
        </div>
      );
    case 'done':
      return scan.stopped ? (
        <p className="overview-muted" role="note">
          Veil stopped before looking at every image: the cards below may miss writing or a face.
        </p>
      ) : null;
    case 'unavailable':
      return <p className="overview-muted">Veil cannot check the files here.</p>;
    case 'error':
      return (
        <p className="privacy-error" role="alert">
          Veil could not check the files: {scan.message}
        </p>
      );
    default:
      return null;
  }
}

function StudyRisks({ study, number }: { study: StudySummary; number: number }) {
  const { scan } = useScan();
  const privacy = usePrivacyMode();
  const risks = studyRisks(study, scanDocument(scan));
  const images = study.series.reduce((n, s) => n + s.instances.length, 0);
  const kinds = [...new Set(study.series.map((s) => s.modality).filter(Boolean))].join(', ');
  // Privacy mode masks what the study browser masks: the description and the date.
  const title = privacy.hidden ? `Study ${number}${kinds ? ` (${kinds})` : ''}` : study.studyDescription || (kinds ? `${kinds} study` : 'A study');
  const date = study.studyDate && !privacy.hidden ? plainDate(study.studyDate) : '';
  const headingId = `study-${study.studyInstanceUID.replace(/[^0-9A-Za-z]/g, '-')}`;
  return (
    <article className="overview-study" data-testid="overview-study" data-risks={risks.length} aria-labelledby={headingId}>
      <h3 id={headingId}>
        {title}
        <span className="overview-study-meta">
          {date && ` — ${date}`} — {images} image{images === 1 ? '' : 's'}
        </span>
      </h3>
      {risks.length > 0 ? (
        <ul className="risk-cards" aria-label={`What ${title} gives away`}>
          {risks.map((risk, index) => (
            <RiskCard key={`${risk.kind}-${index}`} risk={risk} />
          ))}
        </ul>
      ) : (
        scan.status === 'done' && (
          <p className="overview-muted" data-testid="overview-nothing">
            Veil found nothing in this study that points to you.
          </p>
        )
      )}
    </article>
  );
}
