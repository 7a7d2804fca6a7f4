// What one study gives away, as the patient's risk cards: the scan's findings
// of the study's series grouped by what a person would worry about (a face,
// text on the images, details in the files…), each with one example to show.
// Pure: no React, no DOM (unit-tested in Vitest).
import type { Finding, InstanceSummary, ScanDocument, SeriesSummary, StudySummary } from '../../shared/api/contract';
import { describeSeries, type FindingRow } from '../findings/describeFindings';

/** One image to show on a card, with the boxes to draw on it (image pixels). */
export interface RiskPicture {
  series: SeriesSummary;
  instance: InstanceSummary;
  instanceIndex: number;
  frame: number;
  boxes: Array<{ box: [number, number, number, number]; identifying: boolean }>;
}

export type Risk =
  | { kind: 'face'; series: SeriesSummary; finding: Finding }
  | { kind: 'text'; files: number; identifyingFiles: number; texts: string[]; technical: number; picture?: RiskPicture; findings: Finding[] }
  | { kind: 'photo-face'; pictures: number; picture?: RiskPicture; findings: Finding[] }
  | { kind: 'marker'; series: SeriesSummary; count: number; findings: Finding[] }
  | { kind: 'header'; files: number; rows: FindingRow[] }
  | { kind: 'unchecked'; files: number; reasons: string[] };

interface Located {
  series: SeriesSummary;
  instance: InstanceSummary;
  instanceIndex: number;
}

/** The scan names files by path; the study's summaries by displayPath. */
function locator(study: StudySummary): (file: string) => Located | undefined {
  const byPath = new Map<string, Located>();
  for (const series of study.series) series.instances.forEach((instance, instanceIndex) => byPath.set(instance.displayPath, { series, instance, instanceIndex }));
  return (file) => byPath.get(file);
}

/** An example picture: the first file with a box on its pixels, every box of that frame drawn. */
function pictureOf(findings: readonly Finding[], locate: (file: string) => Located | undefined, identifying: (f: Finding) => boolean): RiskPicture | undefined {
  const onPixels = findings.filter((f) => f.where.box && (f.where.image ?? 'pixels') === 'pixels');
  const first = onPixels.find(identifying) ?? onPixels[0];
  const at = first && locate(first.where.file);
  if (!first || !at) return undefined;
  const frame = first.where.frame ?? 0;
  const boxes = onPixels
    .filter((f) => f.where.file === first.where.file && (f.where.frame ?? 0) === frame)
    .map((f) => ({ box: f.where.box!, identifying: identifying(f) }));
  return { ...at, frame, boxes };
}

export function studyRisks(study: StudySummary, document: ScanDocument | null): Risk[] {
  if (!document) return [];
  const uids = new Set(study.series.map((s) => s.seriesInstanceUID));
  const scanned = document.series.filter((s) => uids.has(s.seriesInstanceUID));
  const seriesOf = new Map(study.series.map((s) => [s.seriesInstanceUID, s]));
  const locate = locator(study);
  const all = scanned.flatMap((s) => s.findings);
  const risks: Risk[] = [];

  for (const s of scanned) {
    const series = seriesOf.get(s.seriesInstanceUID)!;
    for (const finding of s.findings) if (finding.kind === 'face' && !finding.where.image) risks.push({ kind: 'face', series, finding });
  }

  const text = all.filter((f) => f.kind === 'burned-in-text');
  if (text.length > 0) {
    const identifying = (f: Finding) => f.textClass !== 'technical';
    const texts = [...new Set(text.filter(identifying).map((f) => f.text?.trim() ?? '').filter(Boolean))];
    risks.push({
      kind: 'text',
      files: new Set(text.map((f) => f.where.file)).size,
      identifyingFiles: new Set(text.filter(identifying).map((f) => f.where.file)).size,
      texts,
      technical: text.filter((f) => !identifying(f)).length,
      picture: pictureOf(text, locate, identifying),
      findings: text,
    });
  }

  const photoFaces = all.filter((f) => f.kind === 'face' && f.where.image);
  if (photoFaces.length > 0) {
    risks.push({
      kind: 'photo-face',
      pictures: new Set(photoFaces.map((f) => `${f.where.file}|${f.where.image}`)).size,
      picture: pictureOf(photoFaces, locate, () => true),
      findings: photoFaces,
    });
  }

  for (const s of scanned) {
    const marks = s.findings.filter((f) => f.kind === 'skin-marker');
    if (marks.length > 0) risks.push({ kind: 'marker', series: seriesOf.get(s.seriesInstanceUID)!, count: marks.length, findings: marks });
  }

  const rows = mergeRows(scanned.map((s) => describeSeries(s)));
  if (rows.length > 0) {
    const files = new Set(all.filter((f) => f.kind === 'header-phi').map((f) => f.where.file)).size;
    risks.push({ kind: 'header', files, rows });
  }

  const ours = new Set(study.series.flatMap((s) => s.instances.map((i) => i.displayPath)));
  const unchecked = (document.unchecked ?? []).filter((u) => ours.has(u.input));
  if (unchecked.length > 0) risks.push({ kind: 'unchecked', files: unchecked.length, reasons: [...new Set(unchecked.map((u) => u.reason))] });
  return risks;
}

/** The same element in several series is one row (the highest confidence, files summed). */
function mergeRows(perSeries: FindingRow[][]): FindingRow[] {
  const merged = new Map<string, FindingRow>();
  for (const rows of perSeries) {
    for (const row of rows) {
      const seen = merged.get(row.path);
      merged.set(row.path, seen ? { ...seen, confidence: Math.max(seen.confidence, row.confidence), files: seen.files + row.files } : row);
    }
  }
  return [...merged.values()].sort((a, b) => b.confidence - a.confidence || a.path.localeCompare(b.path));
}

/** What kinds of detail the header rows hold, in the patient's words, most revealing first. */
export function headerKinds(rows: readonly FindingRow[]): string[] {
  const words: Record<FindingRow['category'], string> = {
    name: 'your name',
    id: 'ID numbers that point to your records',
    date: 'dates (your birth, your visits)',
    address: 'your address',
    phone: 'a phone number',
    institution: 'the hospital or clinic',
    physician: 'your doctors’ names',
    uid: 'numbers that link these images to other records',
    other: 'other details about you',
  };
  const order: Array<FindingRow['category']> = ['name', 'id', 'date', 'address', 'phone', 'institution', 'physician', 'other', 'uid'];
  const present = new Set(rows.map((r) => r.category));
  return order.filter((c) => present.has(c)).map((c) => words[c]);
}

/** "20050303" (or the old "2005.03.03") → "3 March 2005" (UTC, the date as written); other text as it is. */
export function plainDate(value: string): string {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (!m) return value.trim();
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) ? value : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
