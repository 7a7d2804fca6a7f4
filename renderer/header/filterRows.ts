// Header search: every row, at any depth, whose tag, keyword or value
// contains the query, in document order, so "PatientID" also finds the IDs
// nested inside OtherPatientIDsSequence. Each match says where it sits.
import type { HeaderRow } from '../../shared/dicom';

export interface HeaderMatch {
  row: HeaderRow;
  /** Enclosing sequences and items, e.g. "OtherPatientIDsSequence › Item 1"; empty at top level. */
  within: string;
}

export function filterRows(rows: HeaderRow[], query: string): HeaderMatch[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return rows.map((row) => ({ row, within: '' }));
  const found: HeaderMatch[] = [];
  const visit = (row: HeaderRow, path: string[]) => {
    const text = `${row.tag} ${row.keyword} ${row.value}`.toLowerCase();
    // Matches are listed flat: drop children so they are not shown twice.
    if (text.includes(needle)) found.push({ row: { ...row, children: undefined }, within: path.join(' › ') });
    const here = [...path, row.keyword || row.tag];
    row.children?.forEach((child) => visit(child, here));
  };
  rows.forEach((row) => visit(row, []));
  return found;
}
