// The face of the selected series: what the scan found, and before / after
// defacing where a defaced preview exists (the face views' own toggle). The 3D
// render itself is the viewer's; this links to it.
import type { SeriesSummary } from '../../shared/api/contract';
import { FaceComparisonToggle } from '../face/FaceComparisonToggle';
import { useSeriesFaces } from '../face/FaceFindingsContext';

export function FaceReview({ series, onShow }: { series: SeriesSummary; onShow: () => void }) {
  const faces = useSeriesFaces(series.seriesInstanceUID);
  const found = faces.volume ?? faces.pictures[0];
  return (
    <section className="review-face" aria-labelledby="review-face-title" data-testid="face-review" data-found={found ? 'true' : 'false'}>
      <h3 id="review-face-title">Face</h3>
      {!found && <p className="privacy-muted">No face found in this series (or the scan has not looked at its pixels yet).</p>}
      {faces.volume && (
        <p data-testid="face-review-volume">
          {faces.volume.detail} Confidence {Math.round(faces.volume.confidence * 100)}%.
        </p>
      )}
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
