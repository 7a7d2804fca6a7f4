// The flagged instance under the review cursor: what was found on it, the
// picture with the boxes, and the keys (j/k or arrows, a, r, e) as buttons.
import type { Finding } from '../../shared/api/contract';
import { SeriesThumbnail } from '../browser/SeriesThumbnail';
import { usePrivacyMode } from '../review/PrivacyMode';
import type { Decision, PixelKind, ReviewItem } from './queueModel';

const kindWords: Record<PixelKind, string> = {
  'burned-in-text': 'Text in the image',
  face: 'A face can be rebuilt from this series',
  'skin-marker': 'Marks on the skin (tattoo ink, markers, piercings)',
};

/** What accepting does, per kind: the export removes it. */
const acceptWords: Record<PixelKind, string> = {
  'burned-in-text': 'accept fills the identifying text black',
  face: 'accept removes the face from the copy',
  'skin-marker': 'accept removes the mark from the copy',
};

function describe(kind: PixelKind, findings: Finding[]): string {
  const own = findings.filter((f) => f.kind === kind);
  if (kind !== 'burned-in-text') return `${kindWords[kind]}${own.length > 1 ? ` (${own.length})` : ''}`;
  const identifying = own.filter((f) => f.textClass !== 'technical').length;
  const technical = own.length - identifying;
  return `${kindWords[kind]}: ${identifying} identifying, ${technical} technical`;
}

/** The boxes over the thumbnail; privacy mode fills those that may identify, as the review's cover does. */
function Boxes({ item }: { item: ReviewItem }) {
  const { hidden } = usePrivacyMode();
  const instance = item.series.instances[item.instanceIndex];
  const boxes = item.findings.filter((f) => f.where.box && (f.where.frame ?? 0) === 0 && (f.where.image ?? 'pixels') === 'pixels');
  if (!instance?.columns || !instance.rows || boxes.length === 0) return null;
  return (
    <svg className="queue-boxes" viewBox={`0 0 ${instance.columns} ${instance.rows}`} preserveAspectRatio="xMidYMid meet" data-testid="queue-review-boxes" aria-hidden="true">
      {boxes.map((f, index) => {
        const [x, y, width, height] = f.where.box!;
        const cover = hidden && f.textClass !== 'technical';
        return <rect key={index} x={x} y={y} width={width} height={height} className={`queue-box queue-box-${f.textClass ?? f.kind}`} style={cover ? { fill: '#000' } : undefined} />;
      })}
    </svg>
  );
}

export function ReviewPanel(props: {
  item: ReviewItem | null;
  position: number;
  total: number;
  studyNumber: number | null;
  decision: Decision | undefined;
  onMove: (step: 1 | -1) => void;
  onDecide: (decision: Decision) => void;
  onEdit: () => void;
}) {
  const { item, decision } = props;
  const { hidden } = usePrivacyMode();
  return (
    <section className="queue-review" data-testid="queue-review" aria-label="Review flagged images" data-item={item?.id ?? ''} data-decision={decision ?? 'none'}>
      <h3>
        Flagged images{' '}
        <span className="privacy-muted" data-testid="queue-review-position">
          {props.total > 0 ? `${props.position + 1} of ${props.total}` : 'none'}
        </span>
      </h3>
      {!item ? (
        <p className="privacy-muted">Nothing flagged in the studies shown: text, faces and skin marks found in the pixels appear here.</p>
      ) : (
        <>
          <div className="queue-review-body">
            <SeriesThumbnail series={item.series} instance={item.series.instances[item.instanceIndex]} frame={0}>
              <Boxes item={item} />
            </SeriesThumbnail>
            <div>
              <p className="queue-review-where" data-testid="queue-review-where">
                Study {props.studyNumber} · {item.series.modality} {hidden ? '' : item.series.seriesDescription || '(no description)'} · image {item.instanceIndex + 1} of{' '}
                {item.series.instances.length}
              </p>
              <ul className="queue-review-kinds">
                {item.kinds.map((kind) => (
                  <li key={kind} data-testid="queue-review-kind" data-kind={kind}>
                    {describe(kind, item.findings)} — <span className="privacy-muted">{acceptWords[kind]}</span>
                  </li>
                ))}
              </ul>
              <p data-testid="queue-review-decision">{decision ? (decision === 'accepted' ? 'Accepted: Veil removes it' : 'Rejected: kept as it is') : 'Not decided yet'}</p>
            </div>
          </div>
          <div className="queue-review-keys" role="group" aria-label="Review actions">
            <button type="button" data-testid="queue-prev" onClick={() => props.onMove(-1)} aria-keyshortcuts="k ArrowUp">
              Previous <kbd>k</kbd>
            </button>
            <button type="button" data-testid="queue-next" onClick={() => props.onMove(1)} aria-keyshortcuts="j ArrowDown">
              Next <kbd>j</kbd>
            </button>
            <button type="button" data-testid="queue-accept" onClick={() => props.onDecide('accepted')} aria-keyshortcuts="a" aria-pressed={decision === 'accepted'}>
              Accept <kbd>a</kbd>
            </button>
            <button type="button" data-testid="queue-reject" onClick={() => props.onDecide('rejected')} aria-keyshortcuts="r" aria-pressed={decision === 'rejected'}>
              Reject <kbd>r</kbd>
            </button>
            <button type="button" data-testid="queue-edit" onClick={props.onEdit} aria-keyshortcuts="e">
              Edit in viewer <kbd>e</kbd>
            </button>
          </div>
        </>
      )}
    </section>
  );
}
