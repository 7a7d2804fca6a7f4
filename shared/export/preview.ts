// What an export would write into one file's header, before it is written: the
// export's own steps (planHeader's identifying values, deidentify with the same
// context, the File Meta asWrittenByVeil gives) run in memory, then the original
// and the bytes the export would write are read side by side, element by element.
import { collectIdentifiers, deidentify, type AuditEntry, type DeidAction, type DeidProfile, type IdentifyingValue } from '../deid';
import { headerRows, readDicom, writeDicom, type HeaderRow } from '../dicom';
import { asWrittenByVeil, planHeader, type PlannedHeader } from './copy';
import { PatientValues } from './searchLists';

/** One element of the header as it is now and as the export would write it. */
export interface PreviewRow {
  /** The audit's path: "(0010,0010)", nested "(0008,1115)[0].(0020,000E)". */
  path: string;
  /** The element's own tag, "(0010,0010)". */
  tag: string;
  keyword: string;
  vr: string;
  /** 0 at the top; one more per sequence. */
  depth: number;
  isPrivate: boolean;
  privateCreator?: string;
  /** The value shown; null when the element is not there. */
  before: string | null;
  after: string | null;
  action: DeidAction;
  /** The profile rule that decided, as in the export's audit report. */
  rule: string;
}

export interface DeidPreview {
  profileName: string;
  rows: PreviewRow[];
  /** Whole days added to every date, when dates are shifted. */
  dayShift?: number;
  /** What the header alone cannot show (pixel work happens at export). */
  notes: string[];
}

export interface PreviewContext {
  secret: string;
  /** The export-wide search list; default: this file's own values, as planned for the export. */
  knownIdentifiers?: readonly IdentifyingValue[];
}

const keptUnlisted = 'Not in PS3.15 Table E.1-1: kept (E.1.1)';

/** Rows by audit path, sequences flattened (items are in the path, not rows of their own). */
function flatten(rows: readonly HeaderRow[], prefix = '', out = new Map<string, HeaderRow & { path: string }>()): Map<string, HeaderRow & { path: string }> {
  for (const row of rows) {
    const path = `${prefix}${row.tag}`;
    out.set(path, { ...row, path });
    row.children?.forEach((item, index) => flatten(item.children ?? [], `${path}[${index}].`, out));
  }
  return out;
}

/** "(0008,1115)[0].(0020,000E)" → "(0008,1115)"; undefined at the top. */
function parentPath(path: string): string | undefined {
  const cut = path.lastIndexOf('[');
  return cut > 0 ? path.slice(0, cut) : undefined;
}

/** The search list the export would give this file, when the caller has no wider one. */
function ownSearchList(planned: PlannedHeader): IdentifyingValue[] {
  const values = new PatientValues();
  values.add(planned.patientKey, planned.identifiers);
  return values.searchListFor(planned.patientKey);
}

function pixelNotes(profile: DeidProfile): string[] {
  const notes: string[] = [];
  if (profile.options.includes('cleanPixelData')) notes.push('Burned-in text is filled at export (Clean Pixel Data): the pixel overlays show where.');
  if (profile.options.includes('cleanRecognizableVisualFeatures')) notes.push('Faces are removed at export, per series (Clean Recognizable Visual Features).');
  return notes;
}

/**
 * The header diff of one file under `profile`: every element of the original and of the copy
 * the export would write (File Meta included), with the audit's action and rule. Throws when
 * the file is not one the export copies (a DICOMDIR).
 */
export function previewDeid(originalBytes: Uint8Array, profile: DeidProfile, context: PreviewContext): DeidPreview {
  const original = readDicom(originalBytes);
  const planned = planHeader('preview', original, profile);
  if ('status' in planned) throw new Error(planned.reason ?? 'this file is not exported');
  const result = deidentify(original, profile, {
    secret: context.secret,
    knownIdentifiers: context.knownIdentifiers ?? ownSearchList(planned),
    ownIdentifiers: collectIdentifiers(original, profile),
  });
  const written = writeDicom(asWrittenByVeil(result.file));
  const before = flatten(headerRows(originalBytes));
  const after = flatten(headerRows(written));
  const audit = new Map<string, AuditEntry>(result.audit.map((entry) => [entry.path, entry]));
  // An element inside a sequence the engine decided as a whole follows the sequence's line.
  const entryFor = (path: string): AuditEntry | undefined => {
    for (let at: string | undefined = path; at; at = parentPath(at)) {
      const entry = audit.get(at);
      if (entry) return at === path || entry.action !== 'kept' ? entry : undefined;
    }
    return undefined;
  };

  const paths = [...before.keys()];
  for (const path of after.keys()) if (!before.has(path)) paths.push(path);
  const rows = paths.map((path): PreviewRow => {
    const was = before.get(path);
    const now = after.get(path);
    const row = (was ?? now)!;
    const entry = entryFor(path);
    const action: DeidAction = entry?.action ?? (!now ? 'removed' : !was ? 'added' : was.value === now.value ? 'kept' : 'replaced');
    return {
      path,
      tag: row.tag,
      keyword: row.keyword || entry?.keyword || '',
      vr: row.vr,
      depth: path.split('[').length - 1,
      isPrivate: row.isPrivate,
      ...(row.privateCreator ? { privateCreator: row.privateCreator } : {}),
      before: was ? was.value : null,
      after: now ? now.value : null,
      action,
      rule: entry?.rule ?? (action === 'kept' ? keptUnlisted : 'File Meta Information: written by Veil (PS3.10 7.1)'),
    };
  });
  return {
    profileName: profile.name,
    rows,
    ...(result.dayShift !== undefined ? { dayShift: result.dayShift } : {}),
    notes: pixelNotes(profile),
  };
}
