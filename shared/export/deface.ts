// Clean Recognizable Visual Features for the export, one series at a time
// (PS3.15 E.3.2): a head volume whose face can be rebuilt is defaced
// (shared/deface), rendered again from every view, and only a series the
// detector then finds face-free lets its files claim RecognizableVisualFeatures
// NO and code 113102. Each file gets the pixels to replace; the exporter writes
// them with the rest of the copy and checks they are in the file it wrote.
import type { DicomFile } from '../dicom';
import { defaceVolume, defacedFrames, type DefaceOptions, type FillMethod, type ReportRender } from '../deface';
import { volumeFromSeries, type FaceDetector, type Volume, type VolumeResult } from '../detect/face';
import { decodeFrame } from '../pixels';
import type { MaskFill } from '../redact';
import { encodeRgbaPng, pngDataUrl } from './png';

/** What the export does to one file of a checked series. */
export interface FileDeface {
  /** Pixels to replace (the face's voxels in this file's frames); empty when the face misses this file. */
  fills: MaskFill[];
  /** Why Clean Recognizable Visual Features may be claimed (the audit's rule); absent: no claim (skin markers only). */
  claim?: string;
  /** The audit's words for what `fills` replace (default: the face's pixels). */
  rule?: string;
}

export type SeriesDefaceStatus = 'defaced' | 'no-face' | 'not-checked' | 'failed';

/** One series in the audit report. */
export interface FaceReport {
  /** The series' first input, as found. */
  input: string;
  files: number;
  status: SeriesDefaceStatus;
  reason: string;
  /** Voxels replaced. */
  voxels?: number;
  /** Highest landmark (mesh) score of any view after defacing; the proof needs it unconfirmed. */
  meshAfter?: number;
  /** Before/after renders (PNG data URLs) for the report. */
  renders?: Array<{ yaw: number; pitch: number; before: string; after: string }>;
}

export interface SeriesDeface {
  report: FaceReport;
  /** Per file (index into the files given): what to write; absent for files that may not claim. */
  files: Map<number, FileDeface>;
  /** The series as a volume, and after defacing (for later pixel stages: skin markers). */
  volume?: Volume;
  defaced?: Volume;
}

export interface SeriesDefaceOptions {
  /** The series' volume when already built from the same `files`. */
  built: VolumeResult;
  fill: DefaceOptions['fill'];
  mask: DefaceOptions['mask'];
}

const fillWords: Record<FillMethod, string> = { air: 'air', noise: 'background noise', blur: 'a heavy blur of its surroundings' };

function renderUrls(renders: readonly ReportRender[]): FaceReport['renders'] {
  const url = (image: ReportRender['before']) =>
    pngDataUrl(encodeRgbaPng(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height));
  return renders.map((r) => ({ yaw: r.view.yaw, pitch: r.view.pitch, before: url(r.before), after: url(r.after) }));
}

/** Checks and, where a face can be rebuilt, defaces one series (`files`: all of it, any order). */
export async function defaceSeries(inputs: readonly string[], files: readonly DicomFile[], detector: FaceDetector, options: Partial<SeriesDefaceOptions> = {}): Promise<SeriesDeface> {
  const base = { input: inputs[0] ?? '', files: files.length };
  const none = new Map<number, FileDeface>();
  const built = options.built ?? volumeFromSeries(files);
  if (!built.ok) return { report: { ...base, status: 'not-checked', reason: `not a volume (${built.reason}): no face to rebuild in 3D` }, files: none };
  const volume = built.volume;
  const result = await defaceVolume(volume, detector, { fill: options.fill ?? {}, mask: options.mask ?? {} });
  if (!result.before.eligible) {
    const why = result.before.eligibility?.reasons?.join('; ') || 'not a head';
    return { report: { ...base, status: 'not-checked', reason: `not a head volume (${why})` }, files: none, volume, defaced: volume };
  }
  const all = (claim: string, fills: Map<number, MaskFill[]> = new Map()) =>
    new Map(files.map((_, index) => [index, { fills: fills.get(index) ?? [], claim }]));
  if (result.noFace) {
    const claim = 'no face found in renders of the head from every view';
    return { report: { ...base, status: 'no-face', reason: claim }, files: all(claim), volume, defaced: volume };
  }
  const proof = result.proof;
  const meshAfter = proof ? Math.max(0, ...proof.views.map((v) => v.meshScore)) : undefined;
  if (!proof || !proof.faceFree || result.mask.voxels === 0) {
    const reason = result.mask.voxels === 0 ? 'a face was found, but no trustworthy mask could be built' : 'a face was still found after defacing';
    return { report: { ...base, status: 'failed', reason, meshAfter, renders: proof ? renderUrls(proof.renders) : undefined }, files: none, volume };
  }
  const fills = new Map(defacedFrames(files, volume, result.mask, result.plan, result.volume).map((f) => [f.index, f.frames]));
  const claim = `face replaced by ${fillWords[result.plan.method]} (${result.mask.voxels} voxels), and no face found in renders from every view afterwards`;
  return {
    report: { ...base, status: 'defaced', reason: claim, voxels: result.mask.voxels, meshAfter, renders: renderUrls(proof.renders) },
    files: all(claim, fills),
    volume,
    defaced: result.volume,
  };
}

/** Masked pixels of `copy` (as read back) that do not hold their fill: the count, 0 when the copy is as defaced. */
export function unfilledPixels(copy: DicomFile, fills: readonly MaskFill[]): number {
  let wrong = 0;
  for (const fill of fills) {
    const values = decodeFrame(copy, fill.frame, { raw: true }).data;
    let n = 0;
    for (let p = 0; p < fill.mask.length; p++) {
      if (!fill.mask[p]) continue;
      const expected = typeof fill.value === 'number' ? fill.value : fill.value[n]!;
      n++;
      if (values[p] !== expected) wrong++;
    }
  }
  return wrong;
}
