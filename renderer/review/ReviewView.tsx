// The radiologist's journey: before release, what the export will contain —
// the header of each file before and after (the export's own engine and rules),
// its burned-in text boxes side by side with per-image overrides, the face of
// the series, and privacy mode for screenshots. Every action has a key.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InstanceSummary, SeriesSummary } from '../../shared/api/contract';
import { useAppView } from '../app/AppView';
import { bundledProfiles } from '../export/profiles';
import { useScan } from '../findings/ScanContext';
import { useRedaction } from '../redact/RedactionContext';
import { FaceReview } from './FaceReview';
import { HeaderDiff, type DiffFilter } from './HeaderDiff';
import { isPlainKey, reviewShortcuts } from './keys';
import { PixelReview } from './PixelReview';
import { usePrivacyMode } from './PrivacyMode';
import './review.css';

/**
 * Where the review was, kept while the app runs: "Add a box" and "Show in the viewer"
 * switch tabs, and coming back should find the same file, overlays and filters.
 */
const remembered: { sop?: string; profileIndex: number; filter: DiffFilter; onlyBoxes: boolean; overlaysOff: ReadonlySet<string> } = {
  profileIndex: 0,
  filter: 'all',
  onlyBoxes: false,
  overlaysOff: new Set(),
};

interface Entry {
  series: SeriesSummary;
  instance: InstanceSummary;
  /** Index within its series (for the viewer). */
  index: number;
}

export function ReviewView() {
  const { series } = useScan();
  const session = useRedaction();
  const { showInViewer } = useAppView();
  const privacy = usePrivacyMode();
  const entries = useMemo<Entry[]>(() => series.flatMap((s) => s.instances.map((instance, index) => ({ series: s, instance, index }))), [series]);
  const [selected, setSelected] = useState(() => Math.max(0, entries.findIndex((e) => e.instance.sopInstanceUID === remembered.sop)));
  const [profileIndex, setProfileIndex] = useState(remembered.profileIndex);
  const [filter, setFilter] = useState<DiffFilter>(remembered.filter);
  const [onlyBoxes, setOnlyBoxes] = useState(remembered.onlyBoxes);
  /** SOP Instance UIDs whose overlays are off (on by default). */
  const [overlaysOff, setOverlaysOff] = useState<ReadonlySet<string>>(remembered.overlaysOff);
  const search = useRef<HTMLInputElement>(null);

  const plan = session?.plan;
  const boxCount = useCallback((instance: InstanceSummary) => plan?.files[instance.sopInstanceUID]?.length ?? 0, [plan]);
  const listed = useMemo(() => entries.map((entry, i) => ({ entry, i })).filter(({ entry }) => !onlyBoxes || boxCount(entry.instance) > 0), [entries, onlyBoxes, boxCount]);
  const current = entries[Math.min(selected, entries.length - 1)];

  // Another study opened: start at its first file (the remembered one is not in it).
  const firstEntries = useRef(entries);
  useEffect(() => {
    if (firstEntries.current !== entries) setSelected(0);
  }, [entries]);
  useEffect(() => {
    Object.assign(remembered, { sop: current?.instance.sopInstanceUID, profileIndex, filter, onlyBoxes, overlaysOff });
  }, [current, profileIndex, filter, onlyBoxes, overlaysOff]);

  const toggleOverlays = useCallback((sop: string) => {
    setOverlaysOff((off) => {
      const next = new Set(off);
      if (!next.delete(sop)) next.add(sop);
      return next;
    });
  }, []);

  const step = useCallback(
    (by: number) => {
      if (listed.length === 0) return;
      const at = listed.findIndex(({ i }) => i === selected);
      const next = listed[Math.max(0, Math.min(listed.length - 1, (at < 0 ? 0 : at) + by))];
      setSelected(next.i);
    },
    [listed, selected],
  );

  const addBox = useCallback(() => {
    if (!current || !session) return;
    showInViewer(current.series, current.index);
    session.setView('before');
    session.setTool('box');
  }, [current, session, showInViewer]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isPlainKey(event) || !current) return;
      const key = event.key;
      if (key === 'n' || key === 'N') step(1);
      else if (key === 'p' || key === 'P') step(-1);
      else if (key === '/') search.current?.focus();
      else if (key === 'c' || key === 'C') setFilter((f) => (f === 'changed' ? 'all' : 'changed'));
      else if (key === 'o' || key === 'O') toggleOverlays(current.instance.sopInstanceUID);
      else if (key === 'b' || key === 'B') addBox();
      else if (key === 'v' || key === 'V') showInViewer(current.series, current.index);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, step, toggleOverlays, addBox, showInViewer]);

  if (!current) {
    return (
      <section className="review" data-testid="review" aria-label="Review">
        <p className="empty">Nothing open to review.</p>
      </section>
    );
  }
  const profile = bundledProfiles[profileIndex];
  const overlays = !overlaysOff.has(current.instance.sopInstanceUID);

  return (
    <section className="review" data-testid="review" aria-label="Review">
      <div className="review-toolbar" role="toolbar" aria-label="Review">
        <label>
          Profile{' '}
          <select data-testid="review-profile" aria-label="Profile the export will use" value={profileIndex} onChange={(e) => setProfileIndex(Number(e.target.value))}>
            {bundledProfiles.map((p, index) => (
              <option key={p.name} value={index}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <span className="privacy-muted">{profile.description}</span>
        <details className="review-keys" data-testid="review-shortcuts">
          <summary>Keys</summary>
          <dl>
            {reviewShortcuts.map(([keys, what]) => (
              <div key={keys}>
                <dt>
                  <kbd>{keys}</kbd>
                </dt>
                <dd>{what}</dd>
              </div>
            ))}
          </dl>
        </details>
      </div>
      <div className="review-body">
        <nav className="review-files" aria-label="Files to review">
          <label className="review-only-boxes">
            <input type="checkbox" data-testid="review-only-boxes" checked={onlyBoxes} onChange={(e) => setOnlyBoxes(e.target.checked)} /> Only files with
            burned-in text
          </label>
          <ul data-testid="review-files">
            {listed.map(({ entry, i }) => {
              const boxes = boxCount(entry.instance);
              const sop = entry.instance.sopInstanceUID;
              const name = privacy.hidden ? `File ${i + 1}` : (entry.instance.displayPath.split(/[\\/]/).pop() ?? entry.instance.displayPath);
              return (
                <li key={entry.instance.fileId} data-testid="review-file" data-sop={sop} data-boxes={boxes} data-selected={i === selected}>
                  <button type="button" className="review-file-name" aria-current={i === selected} onClick={() => setSelected(i)}>
                    {name}
                    <span className="review-file-series">{privacy.hidden ? entry.series.modality : `${entry.series.modality} ${entry.series.seriesDescription}`}</span>
                  </button>
                  {boxes > 0 && (
                    <button
                      type="button"
                      className="review-file-overlays"
                      data-testid="overlay-toggle"
                      aria-pressed={!overlaysOff.has(sop)}
                      aria-label={`Overlays of ${name} (${boxes} box${boxes === 1 ? '' : 'es'})`}
                      onClick={() => toggleOverlays(sop)}
                    >
                      {boxes} box{boxes === 1 ? '' : 'es'} · {overlaysOff.has(sop) ? 'off' : 'on'}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="review-main" data-testid="review-current" data-sop={current.instance.sopInstanceUID}>
          <HeaderDiff instance={current.instance} profile={profile.text} filter={filter} onFilter={setFilter} searchRef={search} />
        </div>
        <div className="review-side">
          <PixelReview
            instance={current.instance}
            overlays={overlays}
            onToggleOverlays={() => toggleOverlays(current.instance.sopInstanceUID)}
            onAddBox={addBox}
          />
          <FaceReview series={current.series} onShow={() => showInViewer(current.series, current.index)} />
        </div>
      </div>
    </section>
  );
}
