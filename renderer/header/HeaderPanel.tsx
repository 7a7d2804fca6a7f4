// Every element of the current file (meta + dataset), sequences nested and
// expandable, private elements marked: what the file says about the patient.
import { useEffect, useState } from 'react';
import type { InstanceSummary } from '../../shared/api/contract';
import { headerRows, type HeaderRow } from '../../shared/dicom';
import { getVeilApi } from '../api/veilApi';
import { hiddenValue, isIdentifyingElement } from '../review/identifying';
import { usePrivacyMode } from '../review/PrivacyMode';
import { filterRows } from './filterRows';

export function HeaderPanel({ instance }: { instance: InstanceSummary | null }) {
  const [rows, setRows] = useState<HeaderRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileId = instance?.fileId;

  const [query, setQuery] = useState('');
  const privacy = usePrivacyMode();

  useEffect(() => {
    setError(null);
    // Keep the previous rows while the next file parses (no flicker when scrolling).
    if (!fileId) {
      setRows(null);
      return;
    }
    let live = true;
    // Wait for scrolling or cine to settle: each header means a read and a parse.
    const timer = setTimeout(() => {
      getVeilApi()
        .readFile(fileId)
        .then((bytes) => live && setRows(headerRows(new Uint8Array(bytes))))
        .catch((cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [fileId]);

  return (
    <section className="header-panel" data-testid="header-panel" aria-label="DICOM header">
      <h2>
        Header <span className="header-file">{privacy.hidden ? '' : instance?.displayPath}</span>
      </h2>
      {rows && (
        <input
          type="search"
          className="header-search"
          data-testid="header-search"
          aria-label="Search the header (tag, name or value)"
          placeholder="Search tag, name or value…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      )}
      {error && <p role="alert">Cannot read the header: {error}</p>}
      {!instance && <p className="empty">No file selected.</p>}
      {rows && (
        <table className="header-table">
          <colgroup>
            <col className="col-tag" />
            <col className="col-vr" />
            <col className="col-keyword" />
            <col className="col-value" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">VR</th>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {/* Privacy mode searches only what is shown: a hidden value must not be found by typing it. */}
            {filterRows(privacy.hidden ? rows.map(masked) : rows, query).map(({ row, within }, index) => (
              <HeaderRowView key={`${row.tag}#${index}`} row={row} within={within} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The row with identifying values (and its children's) replaced, for privacy mode. */
function masked(row: HeaderRow): HeaderRow {
  const value = !row.children && isIdentifyingElement(row.tag, row.vr, row.isPrivate) && row.value !== '' ? hiddenValue : row.value;
  return { ...row, value, ...(row.children ? { children: row.children.map(masked) } : {}) };
}

function HeaderRowView({ row, within = '' }: { row: HeaderRow; within?: string }) {
  const [open, setOpen] = useState(false);
  const nested = (row.children?.length ?? 0) > 0;
  return (
    <>
      <tr
        className="header-row"
        data-testid="header-row"
        data-tag={row.tag}
        data-keyword={row.keyword}
        data-private={row.isPrivate ? 'true' : 'false'}
        data-depth={row.depth}
      >
        <td className="header-tag" style={{ paddingLeft: `${0.4 + row.depth * 1.1}em` }}>
          {nested ? (
            <button
              type="button"
              className="header-toggle"
              data-testid="header-toggle"
              aria-expanded={open}
              aria-label={`${open ? 'Collapse' : 'Expand'} ${row.keyword || row.tag}`}
              onClick={() => setOpen(!open)}
            >
              {open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="header-toggle-spacer" />
          )}
          {row.tag}
        </td>
        <td className="header-vr">{row.vr}</td>
        <td className="header-keyword">
          {within && <span className="header-within">{within} ›</span>}
          {row.keyword}
          {row.isPrivate && (
            <span className="private-badge" title="Private element: vendor-defined, often holds identifying data">
              private
            </span>
          )}
        </td>
        <td className="header-value">{row.value}</td>
      </tr>
      {open && row.children?.map((child, index) => <HeaderRowView key={`${child.tag}#${index}`} row={child} />)}
    </>
  );
}
