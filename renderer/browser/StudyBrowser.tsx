// Left panel: patient → study → series, each series with a thumbnail.
import type { PatientSummary, SeriesSummary } from '../../shared/api/contract';
import { usePrivacyMode } from '../review/PrivacyMode';
import { SeriesThumbnail } from './SeriesThumbnail';

interface Props {
  patients: PatientSummary[];
  selected: SeriesSummary | null;
  onSelect: (series: SeriesSummary) => void;
}

export function StudyBrowser({ patients, selected, onSelect }: Props) {
  const privacy = usePrivacyMode();
  if (patients.length === 0) {
    return (
      <aside className="study-browser" data-testid="study-browser" aria-label="Studies">
        <p className="empty">Nothing open. Open files, a folder, or drop them here.</p>
      </aside>
    );
  }
  return (
    <aside className="study-browser" data-testid="study-browser" aria-label="Studies">
      {patients.map((patient, index) => (
        <section
          key={patient.key}
          className="patient"
          aria-label={privacy.hidden ? `Patient ${index + 1}` : `Patient ${patient.patientName || patient.patientID}`}
        >
          {/* Privacy mode: a number stands for the person (name, ID, sex and birth date hidden). */}
          <h2 className="patient-name" data-hidden={privacy.hidden}>
            {privacy.hidden ? `Patient ${index + 1}` : patient.patientName || '(no name)'}
          </h2>
          <p className="patient-details">
            {privacy.hidden
              ? 'Hidden in privacy mode'
              : [patient.patientID && `ID ${patient.patientID}`, patient.patientSex, formatDate(patient.patientBirthDate)].filter(Boolean).join(' · ')}
          </p>
          {patient.studies.map((study) => (
            <section key={study.studyInstanceUID} className="study">
              <h3 className="study-title">
                {privacy.hidden ? 'Study' : study.studyDescription || '(no description)'}{' '}
                <span className="study-date">{privacy.hidden ? '' : formatDate(study.studyDate)}</span>
              </h3>
              <ul className="series-list">
                {study.series.map((series) => (
                  <li key={series.seriesInstanceUID}>
                    <button
                      type="button"
                      className="series-item"
                      data-testid="series-item"
                      data-series-uid={series.seriesInstanceUID}
                      aria-pressed={selected?.seriesInstanceUID === series.seriesInstanceUID}
                      aria-label={`Series ${series.seriesNumber ?? ''} ${series.seriesDescription} ${series.modality}`}
                      onClick={() => onSelect(series)}
                    >
                      <SeriesThumbnail series={series} />
                      <span className="series-text">
                        <span className="series-description">{series.seriesDescription || '(no description)'}</span>
                        <span className="series-meta">
                          {series.modality} · {imageCount(series)}
                        </span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </section>
      ))}
    </aside>
  );
}

function imageCount(series: SeriesSummary): string {
  const frames = series.instances.reduce((sum, instance) => sum + (instance.hasPixels ? instance.numberOfFrames : 0), 0);
  const files = series.instances.length;
  if (frames === 0) return `${files} file${files === 1 ? '' : 's'}, no images`;
  return frames === files ? `${files} image${files === 1 ? '' : 's'}` : `${files} file${files === 1 ? '' : 's'}, ${frames} frames`;
}

/** DICOM DA "YYYYMMDD" (PS3.5 6.2) shown as YYYY-MM-DD. */
export function formatDate(da: string): string {
  return /^\d{8}$/.test(da) ? `${da.slice(0, 4)}-${da.slice(4, 6)}-${da.slice(6, 8)}` : da;
}
