// The linkage file: which original patient and study became which pseudonym.
// It re-identifies the export, so it is written only when asked for, only on
// this computer and never into the export or its report. Rows are read from
// the headers as written (one file per exported study folder), not recomputed:
// the file says what the copies actually carry.
import type { FileReport } from './report';

export interface LinkageIdentity {
  patientID: string;
  patientName: string;
  studyInstanceUID: string;
}

export interface LinkageRow {
  original: LinkageIdentity;
  pseudonym: LinkageIdentity;
  /** The study's folder in the export, e.g. "VEIL/P0001/ST001". */
  studyFolder: string;
}

export const linkageColumns = [
  'original_patient_id',
  'original_patient_name',
  'original_study_instance_uid',
  'pseudonym_patient_id',
  'pseudonym_patient_name',
  'pseudonym_study_instance_uid',
  'export_study_folder',
] as const;

/** One exported file per study folder (VEIL/Pnnnn/STnnn): its input and output, in folder order. */
export function studyRepresentatives(files: Iterable<FileReport>): Array<{ input: string; output: string; studyFolder: string }> {
  const chosen = new Map<string, { input: string; output: string; studyFolder: string }>();
  for (const file of files) {
    if (file.status !== 'exported' || !file.output) continue;
    const studyFolder = file.output.split('/').slice(0, 3).join('/');
    if (!chosen.has(studyFolder)) chosen.set(studyFolder, { input: file.input, output: file.output, studyFolder });
  }
  return [...chosen.values()].sort((a, b) => (a.studyFolder < b.studyFolder ? -1 : a.studyFolder > b.studyFolder ? 1 : 0));
}

/** RFC 4180: quoted when it holds a comma, quote or line break. Values are kept exactly (they are the keys a researcher joins on). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The CSV text: a header line, then one line per row, CRLF as RFC 4180 asks. */
export function linkageCsv(rows: readonly LinkageRow[]): string {
  const lines = [linkageColumns.join(',')];
  for (const { original: o, pseudonym: p, studyFolder } of rows) {
    lines.push([o.patientID, o.patientName, o.studyInstanceUID, p.patientID, p.patientName, p.studyInstanceUID, studyFolder].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Parses what `linkageCsv` wrote (for tests and tools reading it back). */
export function parseLinkageCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
