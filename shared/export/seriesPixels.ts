// Pixel edits that need a whole series, before any file is written: the face
// (Clean Recognizable Visual Features, `defaceSeries`) and marks on the skin
// (issue 6: tattoo ink, markers, piercings). Both are made on one volume —
// markers are searched in the defaced result, so a marker inside the face mask
// is already gone — and each file gets one set of frames to write with
// everything it needs replaced. After the fill the volume is searched again:
// a marker that was to go and still shows fails the series.
import type { DicomFile } from '../dicom';
import type { DefaceOptions } from '../deface';
import { segmentSkin, volumeFromSeries, type FaceDetector, type Vec3, type Volume } from '../detect/face';
import { findSkinMarkers, redactMarkers, type MarkerFinding, type MarkerKind, type SliceChanges } from '../detect/marker';
import { pixelInfo } from '../pixels';
import { storedRange, type MaskFill } from '../redact';
import { defaceSeries, type FaceReport, type FileDeface } from './deface';

export interface SeriesPixelOptions {
  /** Clean Recognizable Visual Features: check and deface with this detector. */
  deface?: { detector: FaceDetector; fill?: DefaceOptions['fill']; mask?: DefaceOptions['mask'] };
  /** Remove skin markers: all found, or only those within `toleranceMm` of an accepted position (LPS mm, e.g. the viewer's list). */
  markers?: { accepted?: readonly Vec3[]; toleranceMm?: number };
}

export type MarkerSeriesStatus = 'removed' | 'none-found' | 'not-checked' | 'failed';

/** One marker in the audit report: where, how big, what filled it, which files it touched. */
export interface MarkerReportEntry {
  kind: MarkerKind;
  /** LPS mm. */
  position: number[];
  sizeMm: number[];
  confidence: number;
  /** False: found but kept (not accepted in the viewer). */
  removed: boolean;
  /** What took its place. */
  fill?: 'soft tissue' | 'air' | 'surrounding signal';
  /** Inputs (as found) whose pixels it changed. */
  files: string[];
}

/** One series in the audit report. */
export interface MarkerReport {
  input: string;
  files: number;
  status: MarkerSeriesStatus;
  reason: string;
  /** Voxels changed by the markers' fill. */
  voxels?: number;
  /** Markers that were to go and were found again after the fill. */
  remaining?: number;
  markers?: MarkerReportEntry[];
}

export interface SeriesPixels {
  face?: FaceReport;
  markers?: MarkerReport;
  /** Per file (index into the files given): what to write. */
  files: Map<number, FileDeface>;
  /** Why the whole series must fail, if it must. */
  failed?: string;
}

const round = (v: number) => Math.round(v * 10) / 10;
const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Checks one series (`files`: all of it, any order) and plans every pixel it must lose. */
export async function seriesPixels(inputs: readonly string[], files: readonly DicomFile[], options: SeriesPixelOptions): Promise<SeriesPixels> {
  const built = volumeFromSeries(files);
  const out: SeriesPixels = { files: new Map() };
  let volume: Volume | undefined = built.ok ? built.volume : undefined;
  if (options.deface) {
    const d = await defaceSeries(inputs, files, options.deface.detector, { built, fill: options.deface.fill, mask: options.deface.mask });
    out.face = d.report;
    out.files = d.files;
    if (d.report.status === 'failed') return { ...out, failed: `Clean Recognizable Visual Features: ${d.report.reason}` };
    volume = d.defaced ?? volume;
  }
  if (!options.markers) return out;
  const base = { input: inputs[0] ?? '', files: files.length };
  if (!built.ok || !volume) {
    out.markers = { ...base, status: 'not-checked', reason: `not a volume (${built.ok ? 'no volume' : built.reason}): skin markers are searched in CT and MR volumes` };
    return out;
  }
  if (volume.modality !== 'CT' && volume.modality !== 'MR') {
    out.markers = { ...base, status: 'not-checked', reason: `${volume.modality || 'this modality'} is not searched for skin markers (CT and MR only)` };
    return out;
  }
  const skin = segmentSkin(volume);
  const found = findSkinMarkers(volume, { skin });
  const tolerance = options.markers.toleranceMm ?? 6;
  const accepted = options.markers.accepted;
  const chosen = accepted ? found.filter((m) => accepted.some((a) => distance(a, m.centre) <= tolerance)) : found;
  if (chosen.length === 0) {
    const kept = found.map((m) => entry(m, false, [], volume));
    out.markers = { ...base, status: 'none-found', reason: found.length ? `${found.length} found, none accepted for removal` : 'no marks found on the skin', markers: kept };
    return out;
  }
  const redaction = redactMarkers(volume, chosen, { recheck: { skin } });
  // The proof: search the result again; what shows where a marker was means it is not gone.
  const again = findSkinMarkers(redaction.volume, { skin });
  const remaining = again.filter((m) => chosen.some((c) => distance(c.centre, m.centre) <= tolerance + c.diameterMm / 2)).length;
  const touched = filesBySlice(redaction.changes, volume, inputs);
  const entries = found.map((m) => {
    const removed = chosen.includes(m);
    return entry(m, removed, removed ? filesOf(m, volume, touched) : [], volume);
  });
  const report: MarkerReport = {
    ...base,
    status: remaining > 0 ? 'failed' : 'removed',
    reason:
      remaining > 0
        ? `${remaining} of ${chosen.length} skin marker(s) still found after the fill`
        : `${chosen.length} skin marker(s) filled with the surrounding tissue or air (${redaction.voxels} voxels); none found again afterwards`,
    voxels: redaction.voxels,
    remaining,
    markers: entries,
  };
  out.markers = report;
  if (remaining > 0) return { ...out, failed: `Skin markers: ${report.reason}` };
  out.files = mergeMarkerFills(files, volume, redaction.changes, out.files, chosen.length);
  return out;
}

function entry(m: MarkerFinding, removed: boolean, files: string[], volume: Volume): MarkerReportEntry {
  const fill = volume.modality !== 'CT' ? 'surrounding signal' : m.kind === 'external-object' ? 'air' : 'soft tissue';
  return { kind: m.kind, position: m.centre.map(round), sizeMm: m.sizeMm.map(round), confidence: Math.round(m.confidence * 100) / 100, removed, ...(removed ? { fill } : {}), files };
}

/** Slice → the input it was read from, for the slices the fill changed. */
function filesBySlice(changes: ReadonlyMap<number, SliceChanges>, volume: Volume, inputs: readonly string[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const k of changes.keys()) {
    const source = volume.sources?.[k];
    if (source) out.set(k, inputs[source.file] ?? '');
  }
  return out;
}

/** Inputs changed near one marker: its slices and the fill's rim (a few mm) around them. */
function filesOf(m: MarkerFinding, volume: Volume, touched: ReadonlyMap<number, string>): string[] {
  const rim = Math.ceil(5 / volume.spacing[2]);
  const names = new Set<string>();
  for (let k = m.bounds[2][0] - rim; k <= m.bounds[2][1] + rim; k++) {
    const name = touched.get(k);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/**
 * Adds the markers' changed voxels to each file's frames (stored values through the file's own
 * rescale). A frame the face fill already covers becomes one mask with a value per pixel.
 */
function mergeMarkerFills(
  files: readonly DicomFile[],
  volume: Volume,
  changes: ReadonlyMap<number, SliceChanges>,
  byFile: Map<number, FileDeface>,
  count: number,
): Map<number, FileDeface> {
  const out = new Map(byFile);
  const plane = volume.dims[0] * volume.dims[1];
  const markerPixels = new Map<number, number>();
  for (const [k, change] of changes) {
    const source = volume.sources?.[k];
    if (!source) throw new Error('the volume does not say which file each slice came from');
    const file = files[source.file]!;
    const info = pixelInfo(file);
    const { lo, hi } = storedRange(info);
    const slope = info.rescaleSlope || 1;
    const current = out.get(source.file) ?? { fills: [] };
    const fills = [...current.fills];
    const at = fills.findIndex((f) => f.frame === source.frame);
    // The frame as stored values (NaN = not written), the face's fill first.
    const values = new Float64Array(plane).fill(NaN);
    if (at >= 0) {
      const face = fills[at]!;
      let n = 0;
      for (let p = 0; p < plane; p++) if (face.mask[p]) values[p] = typeof face.value === 'number' ? face.value : face.value[n++]!;
    }
    change.indices.forEach((p, n) => (values[p] = Math.max(lo, Math.min(hi, Math.round((change.values[n]! - info.rescaleIntercept) / slope)))));
    const mask = new Uint8Array(plane);
    const list: number[] = [];
    for (let p = 0; p < plane; p++) {
      if (Number.isNaN(values[p]!)) continue;
      mask[p] = 1;
      list.push(values[p]!);
    }
    const merged: MaskFill = { frame: source.frame, mask, value: Int32Array.from(list) };
    if (at >= 0) fills[at] = merged;
    else fills.push(merged);
    markerPixels.set(source.file, (markerPixels.get(source.file) ?? 0) + change.indices.length);
    out.set(source.file, { ...current, fills });
  }
  for (const [index, pixels] of markerPixels) {
    const current = out.get(index)!;
    const face = (byFile.get(index)?.fills.length ?? 0) > 0 ? 'the face and ' : '';
    out.set(index, { ...current, rule: `${current.claim ? 'Clean Recognizable Visual Features and skin markers' : 'Skin markers'}: ${face}${pixels} pixels of ${count} skin marker(s) in the series replaced` });
  }
  return out;
}
