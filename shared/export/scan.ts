// `veil scan`: privacy findings per series, in the one structure scripts and
// the app's findings panel read (JSON Schema: scan.schema.json). Header PHI
// comes from the de-identification engine's collector; pixel, face and
// skin-marker detectors add their kinds as they land.
import { Tags, type DicomFile } from '../dicom';
import type { IdentifyingValue } from '../deid';

export type FindingKind = 'header-phi' | 'burned-in-text' | 'face' | 'skin-marker';

export interface FindingLocation {
  file: string;
  /** The element, "(gggg,eeee)"; for nested elements the innermost one. */
  tag?: string;
  /** Full element path, e.g. "(0010,1002)[0].(0010,0020)". */
  path?: string;
  /** Pixel findings: the frame (0-based) and the box [x, y, width, height] in image pixels. */
  frame?: number;
  box?: [number, number, number, number];
  /** Which picture of the file: its pixel data, its icon thumbnail, or an overlay plane ("overlay-6000"). */
  image?: 'pixels' | 'icon' | `overlay-${string}`;
  /** A face rebuilt from a volume: its box in patient space (LPS mm) and in the series' voxel indices (sorted along the normal). */
  region?: { voxelMin: number[]; voxelMax: number[]; patientMin: number[]; patientMax: number[] };
  /** A skin marker: its centre in patient space (LPS mm) and its size in mm. */
  position?: number[];
  sizeMm?: number[];
}

export interface Finding {
  kind: FindingKind;
  /** How sure the detector is that this reveals the person, 0..1. */
  confidence: number;
  where: FindingLocation;
  /** One readable sentence; never contains the value itself. */
  detail: string;
  /** The identifying category of a header finding. */
  category?: IdentifyingValue['kind'];
  /** The value, only when asked for (`--values`): scan output often ends up in logs. */
  value?: string;
  /** Burned-in text: what OCR read there, and whether it identifies someone or is technical (kV, W/L…). */
  text?: string;
  textClass?: 'identifying' | 'technical';
  /** A face rebuilt in 3D: the render the detector saw (PNG data URL), only when the caller asks (the app's overview). */
  picture?: string;
}

export interface ScannedSeries {
  seriesInstanceUID: string;
  modality: string;
  files: string[];
  findings: Finding[];
}

export interface ScanDocument {
  series: ScannedSeries[];
  skipped: Array<{ input: string; reason: string }>;
  /** Files read, but whose pixels could not be checked (a codec missing, damaged frames): an unknown risk. */
  unchecked?: Array<{ input: string; reason: string }>;
}

/** How surely each category identifies a person (direct identifiers 1, quasi-identifiers lower). */
const confidenceByCategory: Record<IdentifyingValue['kind'], number> = {
  name: 1,
  id: 1,
  address: 1,
  phone: 1,
  physician: 0.8,
  date: 0.7,
  institution: 0.6,
  uid: 0.5,
  other: 0.6,
};

const categoryLabel: Record<IdentifyingValue['kind'], string> = {
  name: 'A person name',
  id: 'An identifier',
  address: 'An address',
  phone: 'A phone number',
  physician: "A clinician's name",
  date: 'A date',
  institution: 'An institution',
  uid: 'A unique identifier (UID)',
  other: 'An identifying value',
};

function innermostTag(path: string): string | undefined {
  const tags = path.match(/\([0-9A-Fa-f]{4},[0-9A-Fa-f]{4}\)/g);
  return tags?.[tags.length - 1]?.toUpperCase();
}

/**
 * Header findings of one file from its identifying values: one per category and place. The
 * collector lists a value in all its spellings and parts (for the search); the first one of
 * a place is the value as stored.
 */
export function headerFindings(file: string, identifiers: readonly IdentifyingValue[], includeValues = false): Finding[] {
  const places = new Set<string>();
  const firstPerPlace = identifiers.filter((id) => {
    const key = `${id.kind}|${id.source}`;
    if (places.has(key)) return false;
    places.add(key);
    return true;
  });
  return firstPerPlace.map((id) => {
    const tag = innermostTag(id.source);
    const finding: Finding = {
      kind: 'header-phi',
      confidence: confidenceByCategory[id.kind],
      where: { file, ...(tag ? { tag } : {}), path: id.source },
      detail: `${categoryLabel[id.kind]} is stored in ${id.source}.`,
      category: id.kind,
    };
    if (includeValues) finding.value = id.value;
    return finding;
  });
}

/** Collects per-file results into the per-series scan document (one per run). */
export class ScanCollector {
  private readonly series = new Map<string, ScannedSeries>();
  private readonly skipped: ScanDocument['skipped'] = [];
  private readonly unchecked: NonNullable<ScanDocument['unchecked']> = [];

  addFile(input: string, file: DicomFile, findings: readonly Finding[]): void {
    const uid = file.dataset.string(Tags.SeriesInstanceUID);
    let entry = this.series.get(uid);
    if (!entry) {
      entry = { seriesInstanceUID: uid, modality: file.dataset.string(Tags.Modality), files: [], findings: [] };
      this.series.set(uid, entry);
    }
    entry.files.push(input);
    entry.findings.push(...findings);
  }

  skip(input: string, reason: string): void {
    this.skipped.push({ input, reason });
  }

  /** Findings about a series as a whole (a face rebuilt from its volume). */
  addSeriesFindings(seriesInstanceUID: string, findings: readonly Finding[]): void {
    this.series.get(seriesInstanceUID)?.findings.push(...findings);
  }

  /** A file whose header was scanned but whose pixels could not be. */
  uncheck(input: string, reason: string): void {
    this.unchecked.push({ input, reason });
  }

  document(): ScanDocument {
    return {
      series: [...this.series.values()],
      skipped: [...this.skipped],
      ...(this.unchecked.length > 0 ? { unchecked: [...this.unchecked] } : {}),
    };
  }
}
