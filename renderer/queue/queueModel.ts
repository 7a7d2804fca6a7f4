// The batch queue as data: one row per study of everything open, its status
// from the scan, the review and the last export, and the flagged instances to
// review (pixel findings: burned-in text, faces, skin markers), one per file.
// Pure functions (no React, no DOM): unit-tested.
import type { ExportRequest, FileId, Finding, FindingKind, OpenResult, ScanDocument, SeriesSummary } from '../../shared/api/contract';

export type StudyStatus = 'waiting' | 'scanning' | 'scanned' | 'needs-review' | 'exported' | 'failed';
export type Decision = 'accepted' | 'rejected';
export type ExportOutcome = 'exported' | 'failed';
export type PixelKind = Exclude<FindingKind, 'header-phi'>;

export const statusLabels: Record<StudyStatus, string> = {
  waiting: 'Waiting',
  scanning: 'Scanning',
  scanned: 'Scanned',
  'needs-review': 'Needs review',
  exported: 'Exported',
  failed: 'Failed',
};

/** One file with pixel findings: what the user accepts (Veil removes it) or rejects (kept as is). */
export interface ReviewItem {
  /** The file's path as the scan names it; unique per item. */
  id: string;
  studyKey: string;
  series: SeriesSummary;
  instanceIndex: number;
  sop: string;
  kinds: PixelKind[];
  findings: Finding[];
}

export interface QueueStudy {
  key: string;
  /** 1-based, in the order opened (no names: the queue is screenshotted and shared). */
  number: number;
  description: string;
  modalities: string[];
  series: SeriesSummary[];
  fileIds: FileId[];
  paths: string[];
  headerFindings: number;
  has: Record<PixelKind, boolean>;
  items: ReviewItem[];
  /** Files whose pixels could not be read (an unknown risk). */
  unchecked: number;
  undecided: number;
  status: StudyStatus;
}

export type ScanPhase = 'none' | 'headers' | 'pixels' | 'done' | 'error';

export interface QueueInputs {
  opened: OpenResult | null;
  document: ScanDocument | null;
  phase: ScanPhase;
  decisions: ReadonlyMap<string, Decision>;
  outcomes: ReadonlyMap<string, ExportOutcome>;
}

const pixelKinds: PixelKind[] = ['burned-in-text', 'face', 'skin-marker'];

export function studyKey(patientKey: string, studyInstanceUID: string): string {
  return `${patientKey}\u0000${studyInstanceUID}`;
}

interface Place {
  studyKey: string;
  series: SeriesSummary;
  instanceIndex: number;
}

/** Every opened file's path → its study, series and place in the series. */
export function placesOf(opened: OpenResult | null): Map<string, Place> {
  const places = new Map<string, Place>();
  for (const patient of opened?.patients ?? []) {
    for (const study of patient.studies) {
      const key = studyKey(patient.key, study.studyInstanceUID);
      for (const series of study.series) series.instances.forEach((instance, instanceIndex) => places.set(instance.displayPath, { studyKey: key, series, instanceIndex }));
    }
  }
  return places;
}

/** Review items per study from the scan's pixel findings (a face or marker of a whole series sits on the file it names). */
function reviewItems(document: ScanDocument | null, places: ReadonlyMap<string, Place>): Map<string, ReviewItem[]> {
  const byFile = new Map<string, ReviewItem>();
  for (const series of document?.series ?? []) {
    for (const finding of series.findings) {
      if (finding.kind === 'header-phi') continue;
      const place = places.get(finding.where.file);
      if (!place) continue;
      let item = byFile.get(finding.where.file);
      if (!item) {
        item = {
          id: finding.where.file,
          studyKey: place.studyKey,
          series: place.series,
          instanceIndex: place.instanceIndex,
          sop: place.series.instances[place.instanceIndex]?.sopInstanceUID ?? '',
          kinds: [],
          findings: [],
        };
        byFile.set(finding.where.file, item);
      }
      item.findings.push(finding);
      if (!item.kinds.includes(finding.kind)) item.kinds.push(finding.kind);
    }
  }
  const byStudy = new Map<string, ReviewItem[]>();
  for (const item of byFile.values()) byStudy.set(item.studyKey, [...(byStudy.get(item.studyKey) ?? []), item]);
  // In viewer order: series as listed, instances as sorted.
  for (const items of byStudy.values()) items.sort((a, b) => a.series.seriesInstanceUID.localeCompare(b.series.seriesInstanceUID) || a.instanceIndex - b.instanceIndex);
  return byStudy;
}

function statusOf(phase: ScanPhase, outcome: ExportOutcome | undefined, undecided: number): StudyStatus {
  if (outcome) return outcome;
  if (phase === 'error') return 'failed';
  if (phase === 'none') return 'waiting';
  if (phase === 'headers' || phase === 'pixels') return 'scanning';
  return undecided > 0 ? 'needs-review' : 'scanned';
}

export function buildQueue({ opened, document, phase, decisions, outcomes }: QueueInputs): QueueStudy[] {
  const places = placesOf(opened);
  const items = reviewItems(phase === 'done' ? document : null, places);
  const headerCounts = new Map<string, number>();
  for (const series of document?.series ?? []) {
    for (const finding of series.findings) {
      const place = finding.kind === 'header-phi' ? places.get(finding.where.file) : undefined;
      if (place) headerCounts.set(place.studyKey, (headerCounts.get(place.studyKey) ?? 0) + 1);
    }
  }
  const uncheckedCounts = new Map<string, number>();
  for (const entry of phase === 'done' ? (document?.unchecked ?? []) : []) {
    const place = places.get(entry.input);
    if (place) uncheckedCounts.set(place.studyKey, (uncheckedCounts.get(place.studyKey) ?? 0) + 1);
  }
  const studies: QueueStudy[] = [];
  for (const patient of opened?.patients ?? []) {
    for (const study of patient.studies) {
      const key = studyKey(patient.key, study.studyInstanceUID);
      const own = items.get(key) ?? [];
      const undecided = own.filter((item) => !decisions.has(item.id)).length;
      const instances = study.series.flatMap((s) => s.instances);
      studies.push({
        key,
        number: studies.length + 1,
        description: study.studyDescription || study.series.find((s) => s.seriesDescription)?.seriesDescription || '(no description)',
        modalities: [...new Set(study.series.map((s) => s.modality).filter(Boolean))],
        series: study.series,
        fileIds: instances.map((i) => i.fileId),
        paths: instances.map((i) => i.displayPath),
        headerFindings: headerCounts.get(key) ?? 0,
        has: Object.fromEntries(pixelKinds.map((kind) => [kind, own.some((item) => item.kinds.includes(kind))])) as Record<PixelKind, boolean>,
        items: own,
        unchecked: uncheckedCounts.get(key) ?? 0,
        undecided,
        status: statusOf(phase, outcomes.get(key), undecided),
      });
    }
  }
  return studies;
}

/** Each study with its status under new decisions or outcomes; an unchanged study keeps its object (memoized rows skip it). */
export function restatus(
  studies: readonly QueueStudy[],
  phase: ScanPhase,
  decisions: ReadonlyMap<string, Decision>,
  outcomes: ReadonlyMap<string, ExportOutcome>,
): QueueStudy[] {
  return studies.map((study) => {
    const undecided = study.items.filter((item) => !decisions.has(item.id)).length;
    const status = statusOf(phase, outcomes.get(study.key), undecided);
    return status === study.status && undecided === study.undecided ? study : { ...study, status, undecided };
  });
}

export interface QueueFilter {
  status: StudyStatus | 'all';
  modality: string | 'all';
  /** Only studies with each of these kinds of pixel finding. */
  has: PixelKind[];
}

export const noFilter: QueueFilter = { status: 'all', modality: 'all', has: [] };

export function filterQueue(studies: readonly QueueStudy[], filter: QueueFilter): QueueStudy[] {
  return studies.filter(
    (s) =>
      (filter.status === 'all' || s.status === filter.status) &&
      (filter.modality === 'all' || s.modalities.includes(filter.modality)) &&
      filter.has.every((kind) => s.has[kind]),
  );
}

/** Studies ready to go: scanned, every flagged instance decided, not exported yet (a failed one may go again). */
export function reviewedStudies(studies: readonly QueueStudy[]): QueueStudy[] {
  return studies.filter((s) => s.status === 'scanned' || (s.status === 'failed' && s.undecided === 0));
}

/** Per-study outcome of an export from each file's status (a study is exported when all its files are). */
export function exportOutcomes(studies: readonly QueueStudy[], fileStatus: ReadonlyMap<string, 'exported' | 'skipped' | 'failed'>): Map<string, ExportOutcome> {
  const outcomes = new Map<string, ExportOutcome>();
  for (const study of studies) {
    const statuses = study.paths.map((p) => fileStatus.get(p));
    if (statuses.every((s) => s === undefined)) continue;
    if (statuses.some((s) => s === 'failed')) outcomes.set(study.key, 'failed');
    else if (statuses.every((s) => s === 'exported' || s === 'skipped')) outcomes.set(study.key, 'exported');
  }
  return outcomes;
}

/** The export's pixel options for these studies: text cleaned unless every text instance was rejected; faces likewise. */
export function pixelOptions(studies: readonly QueueStudy[], decisions: ReadonlyMap<string, Decision>): { cleanPixelData: boolean; cleanRecognizableVisualFeatures: boolean } {
  const wanted = (kind: PixelKind) => studies.some((s) => s.items.some((item) => item.kinds.includes(kind) && decisions.get(item.id) !== 'rejected'));
  return { cleanPixelData: wanted('burned-in-text'), cleanRecognizableVisualFeatures: wanted('face') };
}

type Position = [number, number, number];
const isPosition = (value: unknown): value is Position =>
  Array.isArray(value) && value.length === 3 && value.every((n) => typeof n === 'number' && Number.isFinite(n));

/**
 * The export's `skinMarkers` for these studies: the marks of every image not rejected, per series
 * (accept = remove, and undecided follows Veil's proposal as text and faces do); an empty list when
 * every one was rejected, so the report still lists them kept. Undefined when no mark was found.
 */
export function skinMarkersRequest(studies: readonly QueueStudy[], decisions: ReadonlyMap<string, Decision>): ExportRequest['skinMarkers'] | undefined {
  const bySeries = new Map<string, Position[]>();
  let found = false;
  for (const study of studies) {
    for (const item of study.items) {
      if (!item.kinds.includes('skin-marker')) continue;
      found = true;
      if (decisions.get(item.id) === 'rejected') continue;
      const uid = item.series.seriesInstanceUID;
      for (const finding of item.findings) {
        if (finding.kind !== 'skin-marker' || !isPosition(finding.where.position)) continue;
        bySeries.set(uid, [...(bySeries.get(uid) ?? []), finding.where.position]);
      }
    }
  }
  if (!found) return undefined;
  return { accepted: [...bySeries].map(([seriesInstanceUID, positions]) => ({ seriesInstanceUID, positions })) };
}
