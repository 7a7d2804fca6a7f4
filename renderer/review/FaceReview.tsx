// The face of the selected series: what the scan found with the render its
// detector saw (desktop scans carry it), and before / after defacing where a
// defaced preview exists (the face views' own toggle). The 3D view itself is the
// viewer's; this links to it. Privacy mode hides the render: a face identifies.
import type { SeriesSummary } from '../../shared/api/contract';
import { FaceComparisonToggle } from '../face/FaceComparisonToggle';
import { useSeriesFaces } from '../face/FaceFindingsContext';
import { scanDocument, useScan } from '../findings/ScanContext';
import { usePrivacyMode } from './PrivacyMode';

export function FaceReview({ series, onShow }: { series: SeriesSummary; onShow: () => void }) {
  const faces = useSeriesFaces(series.seriesInstanceUID);
  const found = faces.volume ?? faces.pictures[0];
  const { scan } = useScan();
  const privacy = usePrivacyMode();
  const render = scanDocument(scan)
    ?.series.find((s) => s.seriesInstanceUID === series.seriesInstanceUID)
    ?.findings.find((f) => f.kind === 'face' && f.picture)?.picture;
  return (
    <section className="review-face" aria-labelledby="review-face-title" data-testid="face-review" data-found={found ? 'true' : 'false'}>
      <h3 id="review-face-title">Face</h3>
      {!found && <p className="privacy-muted">No face found in this series (or the scan has not looked at its pixels yet).</p>}
      {faces.volume && (
        <p data-testid="face-review-volume">
          {faces.volume.detail} Confidence {Math.round(faces.volume.confidence * 100)}%.
        </p>
      )}
      {render && !privacy.hidden && (
        <figure className="review-face-render">
          <img src={render} data-testid="face-review-render" alt="The face as the face check rebuilt it from this series, before defacing" />
          <figcaption>Before: the face the check rebuilt from the slices</figcaption>
        </figure>
      )}
      {render && privacy.hidden && <p className="privacy-muted">The face render is hidden in privacy mode.</p>}
      {faces.pictures.length > 0 && <p>A face is visible in {faces.pictures.length} picture(s) of this series.</p>}
      {found && (
        <>
          <FaceComparisonToggle faces={faces} />
          {!faces.defaced && (
            <p className="privacy-muted">
              Tick “Remove faces” in the export: the copy is defaced and rendered again from every view, and the report shows the renders before and after.
            </p>
          )}
          <button type="button" data-testid="face-review-show" aria-keyshortcuts="V" onClick={onShow}>
            Show in the viewer (V)
          </button>
        </>
      )}
    </section>
  );
}
