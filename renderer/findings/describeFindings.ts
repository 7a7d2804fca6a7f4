// Scan findings in plain words: one row per element path in a series (the
// same element in 20 files is one thing to know, "in 20 files"), the most
// revealing first. The DICOM path stays one click away for those who want it.
import type { Finding, ScannedSeries } from '../../shared/api/contract';
import { lookupTag } from '../../shared/dicom';

export type Category = NonNullable<Finding['category']>;

export interface FindingRow {
  /** The element path, e.g. "(0010,1002)[0].(0010,0020)". */
  path: string;
  /** The innermost tag, "(gggg,eeee)". */
  tag: string;
  category: Category | 'other';
  /** What it is, for a person: "Your name". */
  what: string;
  /** Where it is: the element's name, and the sequence it sits in. */
  where: string;
  /** Highest confidence over the files. */
  confidence: number;
  files: number;
}

const plainWords: Record<Category, string> = {
  name: 'A person’s name',
  id: 'An ID that points to a record about the patient',
  address: 'An address',
  phone: 'A phone number',
  physician: 'A clinician’s name (tells where the patient was seen)',
  date: 'A date (birth, visit or scan)',
  institution: 'The hospital or clinic',
  uid: 'A unique number that links these images to other records',
  other: 'An identifying value',
};

/** "PatientBirthDate" → "Patient Birth Date"; unknown or private tags keep their number. */
export function elementName(tag: string): string {
  const hex = tag.replace(/[^0-9A-Fa-f]/g, '').toUpperCase();
  const keyword = hex.length === 8 ? lookupTag(hex)?.keyword : undefined;
  if (!keyword) return parseInt(hex.slice(0, 4), 16) % 2 === 1 ? `Private element ${tag}` : `Element ${tag}`;
  // "SOPInstanceUID" → "SOP Instance UID"; "OtherPatientIDsSequence" keeps "IDs" whole.
  return keyword.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z]{2,})/g, '$1 $2');
}

function tagsIn(path: string): string[] {
  return (path.match(/\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)/g) ?? []).map((t) => t.toUpperCase());
}

function whereOf(path: string): string {
  const tags = tagsIn(path);
  const inner = tags.at(-1);
  if (!inner) return path;
  const name = elementName(inner);
  return tags.length > 1 ? `${name}, inside ${elementName(tags[tags.length - 2])}` : name;
}

export function confidenceWord(confidence: number): 'certain' | 'likely' | 'possible' {
  return confidence >= 0.9 ? 'certain' : confidence >= 0.7 ? 'likely' : 'possible';
}

export function describeSeries(series: ScannedSeries): FindingRow[] {
  const rows = new Map<string, FindingRow & { seen: Set<string> }>();
  for (const finding of series.findings) {
    // Pixel findings (burned-in text…) are boxes on the image, listed with the redaction boxes.
    if (finding.kind !== 'header-phi') continue;
    const path = finding.where.path ?? finding.where.tag ?? '';
    let row = rows.get(path);
    if (!row) {
      const category = finding.category ?? 'other';
      row = {
        path,
        tag: finding.where.tag ?? tagsIn(path).at(-1) ?? '',
        category,
        what: plainWords[category] ?? plainWords.other,
        where: whereOf(path),
        confidence: 0,
        files: 0,
        seen: new Set(),
      };
      rows.set(path, row);
    }
    row.confidence = Math.max(row.confidence, finding.confidence);
    row.seen.add(finding.where.file);
    row.files = row.seen.size;
  }
  return [...rows.values()]
    .map(({ seen: _seen, ...row }) => row)
    .sort((a, b) => b.confidence - a.confidence || a.path.localeCompare(b.path));
}
