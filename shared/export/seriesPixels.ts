// Pixel edits that need a whole series, before any file is written: the face
// (Clean Recognizable Visual Features, `defaceSeries`) and marks on the skin
// (issue 6: tattoo ink, markers, piercings). Markers are searched in the
// original (the skin as it was, before the cut bared bone) and filled in the
// defaced volume, except those the face fill already took. Dense bits the cut
// left floating that still read as markers in the defaced volume go too (the
// detector passes over bone the cut bared, so on Cranium there are none).
// The defaced volume is searched as `veil scan` searches the copies (no mask
// passed in): the stage's proof and the scan agree.
// Each file gets one set of frames with everything it needs replaced. After the fill the volume is searched again:
// a marker that was to go and still shows fails the series.
import type { DicomFile } from '../dicom';
import type { DefaceOptions } from '../deface';
import { segmentSkin, volumeFromSeries, type FaceDetector, type Vec3, type Volume } from '../detect/face';
import { findSkinMarkers, redactMarkers, type MarkerFinding, type MarkerKind, type SliceChanges } from '../detect/marker';
import { fillPaintedRegions, type PaintedFill, type PaintedRegion } from '../detect/marker/painted';
import { pixelInfo } from '../pixels';
import { storedRange, type MaskFill } from '../redact';
import { defaceSeries, type FaceReport, type FileDeface } from './deface';

export interface SeriesPixelOptions {
  /** Clean Recognizable Visual Features: check and deface with this detector. */
  deface?: { detector: FaceDetector; fill?: DefaceOptions['fill']; mask?: DefaceOptions['mask'] };
  /** Remove skin markers: all found, or only those within `toleranceMm` of an accepted position (LPS mm, e.g. the viewer's list). */
  markers?: { accepted?: readonly Vec3[]; toleranceMm?: number; painted?: readonly PaintedRegion[] };
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
  fill?: 'soft tissue' | 'air' | 'surrounding signal' | 'the face fill';
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
  /** Dense bits left floating by the face's cut (found in the defaced volume, near its fill), removed too. */
  remnants?: number;
  markers?: MarkerReportEntry[];
  /** Regions the user painted on the skin (scars), filled in the skin shell. */
  painted?: PaintedReportEntry[];
}

/** One painted region in the audit report. */
export interface PaintedReportEntry {
  kind: 'painted';
  /** Centre, LPS mm. */
  position: number[];
  radiusMm: number;
  /** Voxels its fill changed. */
  voxels: number;
  files: string[];
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
  const original: Volume | undefined = built.ok ? built.volume : undefined;
  let volume = original;
  if (options.deface) {
    const d = await defaceSeries(inputs, files, options.deface.detector, { built, fill: options.deface.fill, mask: options.deface.mask });
    out.face = d.report;
    out.files = d.files;
    if (d.report.status === 'failed') return { ...out, failed: `Clean Recognizable Visual Features: ${d.report.reason}` };
    volume = d.defaced ?? volume;
  }
  if (!options.markers) return out;
  const base = { input: inputs[0] ?? '', files: files.length };
  if (!built.ok || !volume || !original) {
    out.markers = { ...base, status: 'not-checked', reason: `not a volume (${built.ok ? 'no volume' : built.reason}): skin markers are searched in CT and MR volumes` };
    return out;
  }
  if (volume.modality !== 'CT' && volume.modality !== 'MR') {
    out.markers = { ...base, status: 'not-checked', reason: `${volume.modality || 'this modality'} is not searched for skin markers (CT and MR only)` };
    return out;
  }
  const originalSkin = segmentSkin(original);
  const found = findSkinMarkers(original, { skin: originalSkin });
  const tolerance = options.markers.toleranceMm ?? 6;
  const accepted = options.markers.accepted;
  const defaced = volume;
  // Gone with the face: every voxel of it already replaced.
  const kept = (m: MarkerFinding) => m.indices.some((p) => defaced.data[p] === original.data[p]);
  const wanted = accepted ? found.filter((m) => accepted.some((a) => distance(a, m.centre) <= tolerance)) : found;
  const chosen = wanted.filter(kept);
  const withFace = (m: MarkerFinding) => wanted.includes(m) && !chosen.includes(m);
  const skin = defaced === original ? originalSkin : segmentSkin(defaced);
  const firstRemnants = defaced === original ? [] : findSkinMarkers(defaced, { skin }).filter((m) => nearChange(m, original, defaced));
  const painted = options.markers.painted ?? [];
  if (chosen.length + firstRemnants.length === 0 && painted.length === 0) {
    const listed = found.map((m) => entry(m, withFace(m), [], defaced, withFace(m)));
    const why = found.length === 0 ? 'no marks found on the skin' : `${found.length} found, none to remove (not accepted, or gone with the face)`;
    out.markers = { ...base, status: 'none-found', reason: why, markers: listed };
    return out;
  }
  let result = chosen.length ? redactMarkers(defaced, chosen, { recheck: { skin } }).volume : defaced;
  // Filling a remnant can bare the bone behind it: searched again (a fresh skin mask each time) a few rounds.
  let remnants = 0;
  let batch = firstRemnants;
  for (let round = 0; round < 4 && batch.length > 0; round++) {
    remnants += batch.length;
    result = redactMarkers(result, batch).volume;
    const after = result;
    batch = findSkinMarkers(after, { skin: segmentSkin(after) }).filter((m) => nearChange(m, original, after));
  }
  // Regions the user painted (scars): filled after the marks, in the skin shell only.
  const paint = painted.length ? fillPaintedRegions(result, painted, { skin }) : undefined;
  if (paint) result = paint.volume;
  const changes = sliceChanges(defaced, result);
  const voxels = [...changes.values()].reduce((n, c) => n + c.indices.length, 0);
  // The proof: search the result again; what shows where a marker was, or at the face's cut, is not gone.
  const final = result;
  const again = findSkinMarkers(final, { skin: defaced === original ? skin : segmentSkin(final) });
  const remaining = again.filter((m) => chosen.some((c) => distance(c.centre, m.centre) <= tolerance + c.diameterMm / 2) || (defaced !== original && nearChange(m, original, final))).length;
  const targets = chosen.length + remnants + painted.length;
  const redaction = { changes, voxels };
  const touched = filesBySlice(redaction.changes, volume, inputs);
  const entries = found.map((m) => {
    const removed = chosen.includes(m);
    return entry(m, removed || withFace(m), removed ? filesOf(m, volume, touched) : [], volume, withFace(m));
  });
  const report: MarkerReport = {
    ...base,
    status: remaining > 0 ? 'failed' : 'removed',
    reason:
      remaining > 0
        ? `${remaining} skin marker(s) still found after filling ${targets}`
        : `${chosen.length} skin marker(s)${remnants ? ` and ${remnants} dense remnant(s) the face's cut left` : ''}${paint ? ` and ${paint.regions.length} painted region(s)` : ''} filled with the surrounding tissue or air (${redaction.voxels} voxels); none found again afterwards`,
    voxels: redaction.voxels,
    remaining,
    ...(remnants ? { remnants } : {}),
    markers: entries,
    ...(paint ? { painted: paintedEntries(paint, volume, inputs) } : {}),
  };
  out.markers = report;
  if (remaining > 0) return { ...out, failed: `Skin markers: ${report.reason}` };
  out.files = mergeMarkerFills(files, volume, redaction.changes, out.files, targets);
  return out;
}

/** Per slice, the voxels of `after` that differ from `before` and their values. */
function sliceChanges(before: Volume, after: Volume): Map<number, SliceChanges> {
  const plane = before.dims[0] * before.dims[1];
  const out = new Map<number, SliceChanges>();
  for (let k = 0; k < before.dims[2]; k++) {
    const list: number[] = [];
    for (let p = 0; p < plane; p++) if (after.data[k * plane + p] !== before.data[k * plane + p]) list.push(p);
    if (list.length === 0) continue;
    const values = after.data instanceof Int16Array ? new Int16Array(list.length) : new Float32Array(list.length);
    list.forEach((p, n) => (values[n] = after.data[k * plane + p]!));
    out.set(k, { indices: Uint32Array.from(list), values });
  }
  return out;
}

/** Whether a marker of the defaced volume lies within `mm` of a voxel the face fill changed (a remnant of the cut). */
function nearChange(m: MarkerFinding, original: Volume, defaced: Volume, mm = 5): boolean {
  const [nx, ny, nz] = original.dims;
  const r = original.spacing.map((s) => Math.max(1, Math.round(mm / s)));
  const [lo, hi] = [m.bounds.map((b, a) => Math.max(0, b[0] - r[a]!)), m.bounds.map((b, a) => Math.min(original.dims[a]! - 1, b[1] + r[a]!))];
  for (let z = lo[2]!; z <= hi[2]! && z < nz; z++)
    for (let y = lo[1]!; y <= hi[1]! && y < ny; y++)
      for (let x = lo[0]!; x <= hi[0]! && x < nx; x++) {
        const q = (z * ny + y) * nx + x;
        if (original.data[q] !== defaced.data[q]) return true;
      }
  return false;
}

function entry(m: MarkerFinding, removed: boolean, files: string[], volume: Volume, withFace = false): MarkerReportEntry {
  const fill = withFace ? 'the face fill' : volume.modality !== 'CT' ? 'surrounding signal' : m.kind === 'external-object' ? 'air' : 'soft tissue';
  return { kind: m.kind, position: m.centre.map(round), sizeMm: m.sizeMm.map(round), confidence: Math.round(m.confidence * 100) / 100, removed, ...(removed ? { fill } : {}), files };
}

function paintedEntries(paint: PaintedFill, volume: Volume, inputs: readonly string[]): PaintedReportEntry[] {
  return paint.regions.map((r) => ({
    kind: 'painted',
    position: r.region.centre.map(round),
    radiusMm: round(r.region.radiusMm),
    voxels: r.changed,
    files: [...new Set(r.slices.map((k) => inputs[volume.sources?.[k]?.file ?? -1] ?? ''))].filter(Boolean),
  }));
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
