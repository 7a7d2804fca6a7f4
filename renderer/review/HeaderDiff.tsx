// The header diff of one file: every element before and after the export, with
// the rule that decided it (computed by the export's own engine through
// VeilApi.previewDeid). Filterable; private and nested elements marked.
import { useEffect, useMemo, useState, type RefObject } from 'react';
import type { DeidPreview, InstanceSummary, PreviewRow } from '../../shared/api/contract';
import { getVeilApi } from '../api/veilApi';
import { hiddenValue, isIdentifyingElement } from './identifying';
import { usePrivacyMode } from './PrivacyMode';

export type DiffFilter = 'all' | 'changed' | 'private' | 'nested';

/** Rows drawn at first: a header with thousands of private elements (Philips) stays quick; the rest on request. */
const FIRST_ROWS = 400;

const filterWords: Record<DiffFilter, string> = { all: 'All elements', changed: 'Changed only', private: 'Private only', nested: 'In sequences' };
export const diffFilters = Object.keys(filterWords) as DiffFilter[];

const actionWords: Record<PreviewRow['action'], string> = {
  removed: 'removed',
  emptied: 'emptied',
  replaced: 'replaced',
  'uid-replaced': 'UID replaced',
  shifted: 'shifted',
  cleaned: 'cleaned',
  kept: 'kept',
  added: 'added',
};

interface Props {
  instance: InstanceSummary | null;
  /** The profile as JSON text (the export's format). */
  profile: string;
  filter: DiffFilter;
  onFilter: (filter: DiffFilter) => void;
  searchRef: RefObject<HTMLInputElement | null>;
}

function shown(row: PreviewRow, filter: DiffFilter, query: string): boolean {
  if (filter === 'changed' && row.before === row.after) return false;
  if (filter === 'private' && !row.isPrivate) return false;
  if (filter === 'nested' && row.depth === 0) return false;
  if (!query) return true;
  const q = query.toLowerCase();
  return [row.path, row.keyword, row.before ?? '', row.after ?? '', row.rule, row.action].some((text) => text.toLowerCase().includes(q));
}

/** Privacy mode: identifying values hidden; a replacement that carries nothing of the original stays. */
function masked(row: PreviewRow): PreviewRow {
  if (!isIdentifyingElement(row.tag, row.vr, row.isPrivate)) return row;
  const hide = (value: string | null) => (value ? hiddenValue : value);
  return { ...row, before: hide(row.before), after: row.after === row.before ? hide(row.after) : row.after };
}

export function HeaderDiff({ instance, profile, filter, onFilter, searchRef }: Props) {
  const [preview, setPreview] = useState<DeidPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [allRows, setAllRows] = useState(false);
  const privacy = usePrivacyMode();
  const api = getVeilApi();
  const fileId = instance?.fileId;

  useEffect(() => {
    setError(null);
    setAllRows(false);
    if (!fileId || !api.previewDeid) {
      setPreview(null);
      return;
    }
    let live = true;
    api
      .previewDeid(fileId, profile)
      .then((next) => live && setPreview(next))
      .catch((cause: unknown) => {
        if (!live) return;
        setPreview(null);
        setError(cause instanceof Error ? cause.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '') : String(cause));
      });
    return () => {
      live = false;
    };
  }, [api, fileId, profile]);

  // Privacy mode filters what is shown, so typing a hidden value finds nothing.
  const rows = useMemo(() => {
    const all = preview ? (privacy.hidden ? preview.rows.map(masked) : preview.rows) : [];
    return all.filter((row) => shown(row, filter, query.trim()));
  }, [preview, privacy.hidden, filter, query]);

  if (!api.previewDeid) {
    return (
      <p className="privacy-muted" role="note" data-testid="diff-unavailable">
        The header preview is not available here.
      </p>
    );
  }
  const changed = preview?.rows.filter((row) => row.before !== row.after).length ?? 0;

  return (
    <section className="review-diff" aria-labelledby="review-diff-title" data-testid="header-diff" data-state={error ? 'error' : preview ? 'ready' : 'loading'}>
      <h3 id="review-diff-title">Header before and after</h3>
      {preview && (
        <p className="privacy-muted" data-testid="diff-summary">
          {preview.rows.length} elements, {changed} changed by “{preview.profileName}”
          {preview.dayShift !== undefined ? `; dates move by ${preview.dayShift} days` : ''}.
        </p>
      )}
      {preview?.notes.map((note) => (
        <p key={note} className="privacy-muted" role="note">
          {note}
        </p>
      ))}
      <div className="review-diff-filters">
        <input
          ref={searchRef}
          type="search"
          data-testid="diff-search"
          aria-label="Search the diff (tag, name, value or rule)"
          aria-keyshortcuts="/"
          placeholder="Search tag, name, value or rule… (/)"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <select data-testid="diff-filter" aria-label="Which elements (C: changed only)" aria-keyshortcuts="C" value={filter} onChange={(event) => onFilter(event.target.value as DiffFilter)}>
          {diffFilters.map((f) => (
            <option key={f} value={f}>
              {filterWords[f]}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p className="privacy-error" role="alert" data-testid="diff-error">
          {error}
        </p>
      )}
      {preview && (
        <table className="review-diff-table" data-testid="diff-table" data-rows={rows.length}>
          <thead>
            <tr>
              <th scope="col">Element</th>
              <th scope="col">Now</th>
              <th scope="col">In the export</th>
              <th scope="col">Action</th>
              <th scope="col">Rule</th>
            </tr>
          </thead>
          <tbody>
            {(allRows ? rows : rows.slice(0, FIRST_ROWS)).map((row) => (
              <DiffRow key={row.path} row={row} />
            ))}
          </tbody>
        </table>
      )}
      {preview && !allRows && rows.length > FIRST_ROWS && (
        <button type="button" data-testid="diff-show-all" onClick={() => setAllRows(true)}>
          Show all {rows.length} elements ({rows.length - FIRST_ROWS} more)
        </button>
      )}
    </section>
  );
}

function DiffRow({ row }: { row: PreviewRow }) {
  const differs = row.before !== row.after;
  return (
    <tr
      data-testid="diff-row"
      data-path={row.path}
      data-keyword={row.keyword}
      data-action={row.action}
      data-changed={differs}
      data-private={row.isPrivate}
      data-depth={row.depth}
      className={differs ? 'diff-changed' : undefined}
    >
      <td className="diff-element" style={{ paddingLeft: `${0.3 + row.depth * 1.1}em` }}>
        <code>{row.depth > 0 ? row.path : row.tag}</code> {row.keyword || <em>unknown</em>}
        {row.isPrivate && (
          <span className="private-badge" title={row.privateCreator ? `Private element of ${row.privateCreator}` : 'Private element'}>
            private
          </span>
        )}
      </td>
      <td className="diff-before" data-testid="diff-before">
        {row.before === null ? <span className="diff-absent">absent</span> : row.before}
      </td>
      <td className="diff-after" data-testid="diff-after">
        {row.after === null ? <span className="diff-absent">absent</span> : row.after}
      </td>
      <td className={`diff-action diff-action-${row.action}`} data-testid="diff-action">
        {actionWords[row.action]}
      </td>
      <td className="diff-rule" data-testid="diff-rule">
        {row.rule}
      </td>
    </tr>
  );
}
