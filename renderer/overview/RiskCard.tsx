// One risk as a card: a picture (the face Veil rebuilt, the image with the text
// boxed), what it means in plain words, what the safe copy does about it, and
// the DICOM terms one click away under "Technical details".
import { useId, type ReactNode } from 'react';
import { SeriesThumbnail } from '../browser/SeriesThumbnail';
import { useAppView } from '../app/AppView';
import { usePrivacyMode } from '../review/PrivacyMode';
import type { Risk, RiskPicture } from './studyRisks';
import { headerKinds } from './studyRisks';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Card(props: { kind: Risk['kind']; title: string; picture?: ReactNode; children: ReactNode; action: ReactNode; details: ReactNode; view?: ReactNode }) {
  const id = useId();
  return (
    <li className="risk-card" data-testid="risk-card" data-kind={props.kind} aria-labelledby={id}>
      {props.picture && <div className="risk-picture">{props.picture}</div>}
      <div className="risk-body">
        <h4 id={id}>{props.title}</h4>
        {props.children}
        <p className="risk-action" data-testid="risk-action">
          <strong>What Veil will do: </strong>
          {props.action}
        </p>
        <div className="risk-links">
          {props.view}
          <details className="risk-details">
            <summary>Technical details</summary>
            <div data-testid="risk-technical">{props.details}</div>
          </details>
        </div>
      </div>
    </li>
  );
}

/** A thumbnail of the image with its boxes: red where it identifies, grey dashed where it is technical. */
function BoxedThumbnail({ picture, label }: { picture: RiskPicture; label: string }) {
  const { hidden } = usePrivacyMode();
  const { instance } = picture;
  const width = instance.columns ?? 0;
  const height = instance.rows ?? 0;
  return (
    <figure className="risk-thumbnail" data-testid="risk-thumbnail" data-boxes={picture.boxes.length}>
      <SeriesThumbnail series={picture.series} instance={instance} frame={picture.frame}>
        {width > 0 && height > 0 && (
          <svg className="risk-boxes" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
            {picture.boxes.map(({ box, identifying }, index) => (
              <rect
                key={index}
                x={box[0]}
                y={box[1]}
                width={box[2]}
                height={box[3]}
                className={identifying ? 'risk-box-identifying' : 'risk-box-technical'}
                // Privacy mode: text that may identify is covered, as in the review.
                style={hidden && identifying ? { fill: '#000' } : undefined}
                vectorEffect="non-scaling-stroke"
              />
            ))}
          </svg>
        )}
      </SeriesThumbnail>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

function ShowInViewer({ picture, series, label }: { picture?: RiskPicture; series?: RiskPicture['series']; label: string }) {
  const { showInViewer } = useAppView();
  const target = picture?.series ?? series;
  if (!target) return null;
  return (
    <button type="button" className="risk-view" onClick={() => showInViewer(target, picture?.instanceIndex ?? 0)}>
      {label}
    </button>
  );
}

export function RiskCard({ risk }: { risk: Risk }) {
  const { hidden } = usePrivacyMode();
  switch (risk.kind) {
    case 'face': {
      const modality = risk.series.modality || 'scan';
      return (
        <Card
          kind="face"
          title="Your face can be rebuilt from this scan"
          picture={
            hidden ? (
              <figure className="risk-thumbnail" data-testid="risk-face-hidden">
                <p className="overview-muted">The face is hidden in privacy mode.</p>
              </figure>
            ) : risk.finding.picture ? (
              <figure className="risk-face" data-testid="risk-face-picture">
                <img src={risk.finding.picture} alt={`The face Veil rebuilt from the ${modality} images`} />
                <figcaption>Drawn by Veil from the {modality} images</figcaption>
              </figure>
            ) : (
              <figure className="risk-thumbnail">
                <SeriesThumbnail series={risk.series} />
                <figcaption>One image of this scan</figcaption>
              </figure>
            )
          }
          action="remove the face from the safe copy, then draw the copy again from every side to check that no face is left."
          view={<ShowInViewer series={risk.series} label="See it in the viewer" />}
          details={
            <>
              <p>{risk.finding.detail}</p>
              <p>
                Series {hidden ? '' : risk.series.seriesDescription || risk.series.seriesInstanceUID} ({risk.series.modality}); confidence{' '}
                {Math.round(risk.finding.confidence * 100)}%. The copy does this with the profile option Clean Recognizable Visual Features and
                sets Recognizable Visual Features (0028,0302) to NO.
              </p>
            </>
          }
        >
          <p>
            A computer can turn the {modality} images of your head into a 3D picture of your face, like the one shown. Face recognition could
            match it to photographs of you.
          </p>
        </Card>
      );
    }
    case 'text': {
      const { identifyingFiles, files } = risk;
      const title =
        identifyingFiles > 0
          ? `Your details are written into ${plural(identifyingFiles, 'image')}`
          : `Labels are written into ${plural(files, 'image')}`;
      return (
        <Card
          kind="text"
          title={title}
          picture={risk.picture && <BoxedThumbnail picture={risk.picture} label="Red boxes: text that may identify you" />}
          action={
            identifyingFiles > 0 ? (
              <>
                cover this text with black boxes in the safe copy, then read the copy again to check that it is gone.
                {risk.technical > 0 && ' Technical labels (such as scanner settings) stay: they do not identify you.'}
              </>
            ) : (
              'keep these labels: they do not identify you.'
            )
          }
          view={<ShowInViewer picture={risk.picture} label="See the boxes in the viewer" />}
          details={
            <>
              <p>
                Burned-in annotation: {plural(risk.findings.length, 'text region')} found by OCR in {plural(files, 'file')} ({risk.technical}{' '}
                technical). The copy fills the boxes with the profile option Clean Pixel Data and sets Burned In Annotation (0028,0301) to NO.
              </p>
              <ul>
                {risk.findings.slice(0, 20).map((f, index) => (
                  <li key={index}>
                    <code>{hidden ? `File ${index + 1}` : f.where.file.split(/[\\/]/).pop()}</code> frame {(f.where.frame ?? 0) + 1}, box {f.where.box?.join(', ')}:{' '}
                    {f.textClass ?? 'text'}
                  </li>
                ))}
              </ul>
            </>
          }
        >
          {risk.texts.length > 0 && hidden ? (
            <p>Veil read {plural(risk.texts.length, 'piece')} of text on the images (hidden in privacy mode).</p>
          ) : risk.texts.length > 0 ? (
            <p>
              Veil read on the images:{' '}
              {risk.texts.slice(0, 4).map((t, index) => (
                <q key={index} className="risk-text">
                  {t}
                </q>
              ))}
              {risk.texts.length > 4 && ` and ${risk.texts.length - 4} more`}
            </p>
          ) : (
            <p>The text written on these images looks technical (scanner settings), not personal.</p>
          )}
          <p>Anyone who sees the images can read it, even after the file&rsquo;s hidden details are removed.</p>
        </Card>
      );
    }
    case 'photo-face':
      return (
        <Card
          kind="photo-face"
          title={`A face can be seen in ${plural(risk.pictures, 'picture')}`}
          picture={risk.picture && <BoxedThumbnail picture={risk.picture} label="The face Veil found" />}
          action="nothing by itself: photographs are copied as they are. Draw a box over the face in the viewer and the copy covers it."
          view={<ShowInViewer picture={risk.picture} label="Open it in the viewer" />}
          details={<p>{risk.findings.map((f) => f.detail).join(' ')}</p>}
        >
          <p>Some files hold a photograph or a small preview picture that shows a face.</p>
        </Card>
      );
    case 'marker':
      return (
        <Card
          kind="marker"
          title={`Marks on your skin show in this scan (${risk.count})`}
          picture={
            <figure className="risk-thumbnail">
              <SeriesThumbnail series={risk.series} />
              <figcaption>One image of this scan</figcaption>
            </figure>
          }
          action="point them out here and in the report; the copy keeps them unless the choices below remove them."
          view={<ShowInViewer series={risk.series} label="See it in the viewer" />}
          details={<p>{risk.findings.map((f) => f.detail).join(' ')}</p>}
        >
          <p>Tattoo ink, skin markers or piercings can be seen in the images, and such marks can tell who you are.</p>
        </Card>
      );
    case 'header':
      return (
        <Card
          kind="header"
          title="Details hidden in the files carry your identity"
          action="remove these details or replace them with stand-in values in the safe copy, then read every copied file again to check that none is left."
          details={
            <table className="risk-tags">
              <caption>Header elements (DICOM) with identifying values</caption>
              <thead>
                <tr>
                  <th scope="col">Element</th>
                  <th scope="col">Tag</th>
                  <th scope="col">Files</th>
                </tr>
              </thead>
              <tbody>
                {risk.rows.map((row) => (
                  <tr key={row.path} data-testid="risk-tag" data-tag={row.tag}>
                    <td>{row.where}</td>
                    <td>
                      <code>{row.path}</code>
                    </td>
                    <td>{row.files}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        >
          <p>
            Besides the pictures, each file carries written details that you do not see on screen. In {plural(risk.files, 'file')} they include:{' '}
            {headerKinds(risk.rows).join(', ')}.
          </p>
        </Card>
      );
    case 'unchecked':
      return (
        <Card
          kind="unchecked"
          title={`Veil could not look inside ${plural(risk.files, 'image')}`}
          action="clean the hidden details of these files too, but it cannot promise that no writing is on their pictures: look at them before you share the copy."
          details={
            <ul>
              {risk.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        >
          <p>Veil could not check these images for writing or faces here (why is under Technical details).</p>
        </Card>
      );
  }
}
