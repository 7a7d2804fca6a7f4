// The fill: masked voxels become air (CT −1000 HU) or the scan's own
// background (MR and others: the mean of the background noise), or samples of
// that noise (`noise`), or a heavy blur of the original (`blur`). On the volume (for the proof and the viewer) and, for
// the export, as per-file, per-frame pixel masks with stored values to write
// through shared/redact's `redactMask` (lossless, like the box redaction).
import { backgroundThreshold, type Volume } from '../detect/face';
import { Tags, type DicomFile } from '../dicom';
import { pixelInfo } from '../pixels';
import { storedRange, type MaskFill } from '../redact';
import { blurredBox } from './blur';
import { faceMaskSlice, type FaceMask } from './mask';

export type FillMethod = 'air' | 'noise' | 'blur';

export interface FillOptions {
  method: FillMethod;
  /** The level to fill with, in modality units (default: CT −1000 HU, else the background's mean). */
  value?: number;
  /** Seed of the noise (the same input gives the same output). */
  seed: number;
  /** `blur`: half the width (mm) of the box each masked voxel is averaged over. */
  blurMm: number;
}

export const defaultFillOptions: FillOptions = { method: 'air', seed: 1, blurMm: 12 };

/** What the masked voxels become: one level, or noise drawn from the background's own values. */
export interface FillPlan {
  method: FillMethod;
  /** Modality units. */
  level: number;
  /** Background samples the noise draws from (modality units; `noise` only). */
  samples?: Float32Array;
  seed: number;
  /** `blur` only. */
  blurMm?: number;
}

/** The background's values: voxels under the noise's upper end (half the skin threshold), sampled. */
function backgroundSamples(volume: Volume): Float32Array {
  const cut = backgroundThreshold(volume) / 2;
  const out: number[] = [];
  const step = Math.max(1, Math.floor(volume.data.length / 200_000));
  for (let p = 0; p < volume.data.length; p += step) if (volume.data[p]! <= cut) out.push(volume.data[p]!);
  return Float32Array.from(out.length ? out : [0]);
}

export function fillPlan(volume: Volume, options: Partial<FillOptions> = {}): FillPlan {
  const o = { ...defaultFillOptions, ...options };
  const ct = volume.modality === 'CT';
  if (o.method === 'blur') return { method: 'blur', level: o.value ?? (ct ? -1000 : 0), seed: o.seed, blurMm: o.blurMm };
  if (ct && o.method === 'air') return { method: 'air', level: o.value ?? -1000, seed: o.seed };
  const samples = ct ? undefined : backgroundSamples(volume);
  let level = o.value ?? -1000;
  if (o.value === undefined && samples) level = samples.reduce((a, b) => a + b, 0) / samples.length;
  if (o.method === 'noise' && !samples) {
    // CT noise: air around −1000 with its own spread is not worth a model; a flat level reads the same.
    return { method: 'air', level, seed: o.seed };
  }
  return { method: o.method, level, samples: o.method === 'noise' ? samples : undefined, seed: o.seed };
}

/** mulberry32: small and seeded, so a noise fill (and a test's random placement) is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fill values of one slice's masked pixels, in modality units, in pixel order. */
function sliceValues(plan: FillPlan, count: number, k: number): Float64Array {
  const out = new Float64Array(count);
  if (plan.method !== 'noise' || !plan.samples) return out.fill(plan.level);
  const next = seededRandom(plan.seed * 100_003 + k);
  for (let n = 0; n < count; n++) out[n] = plan.samples[Math.floor(next() * plan.samples.length)]!;
  return out;
}

/** A copy of the volume with the mask filled (what the proof renders). */
export function fillVolume(volume: Volume, mask: FaceMask, plan: FillPlan): Volume {
  const data = volume.data.slice();
  const plane = volume.dims[0] * volume.dims[1];
  if (plan.method === 'blur') {
    if (mask.voxels === 0) return { ...volume, data };
    const blurred = blurredBox(volume, mask, plan.blurMm ?? defaultFillOptions.blurMm);
    const int = data instanceof Int16Array;
    const bx = mask.max[0] - mask.min[0] + 1;
    const by = mask.max[1] - mask.min[1] + 1;
    for (let q = 0; q < mask.mask.length; q++) {
      if (!mask.mask[q]) continue;
      const i = (q % bx) + mask.min[0];
      const j = (Math.floor(q / bx) % by) + mask.min[1];
      const k = Math.floor(q / (bx * by)) + mask.min[2];
      data[k * plane + j * volume.dims[0] + i] = int ? Math.round(blurred[q]!) : blurred[q]!;
    }
    return { ...volume, data };
  }
  for (let k = mask.min[2]; k <= mask.max[2] && mask.voxels; k++) {
    const slice = faceMaskSlice(mask, k);
    if (!slice) continue;
    let count = 0;
    for (let p = 0; p < plane; p++) count += slice[p]!;
    const values = sliceValues(plan, count, k);
    const out = data.subarray(k * plane, (k + 1) * plane);
    const int = out instanceof Int16Array;
    let n = 0;
    for (let p = 0; p < plane; p++) if (slice[p]) out[p] = int ? Math.max(-32768, Math.min(32767, Math.round(values[n++]!))) : values[n++]!;
  }
  return { ...volume, data };
}

/** One file's share of the defacing: frames, their pixel masks and the stored values to write. */
export interface DefacedFile {
  /** Index into the series' files (as given to `volumeFromSeries`). */
  index: number;
  sopInstanceUID: string;
  frames: MaskFill[];
  /** Masked pixels over all its frames. */
  pixels: number;
}

/**
 * What the export writes per file: for every slice the mask touches, its file
 * and frame, the frame's pixel mask (rows × columns, 1 = set) and the stored
 * values (the fill level through that file's own rescale, clamped to its
 * stored range). `files` are the series' files in the order given to
 * `volumeFromSeries` (the volume's `sources` point into them).
 */
export function defacedFrames(files: readonly DicomFile[], volume: Volume, mask: FaceMask, plan: FillPlan, filled?: Volume): DefacedFile[] {
  // A blur's values depend on the voxels around: taken from the filled volume.
  if (plan.method === 'blur' && !filled) filled = fillVolume(volume, mask, plan);
  if (!volume.sources) throw new Error('the volume does not say which file each slice came from (build it with volumeFromSeries)');
  const byFile = new Map<number, DefacedFile>();
  const plane = volume.dims[0] * volume.dims[1];
  for (let k = mask.min[2]; k <= mask.max[2] && mask.voxels; k++) {
    const slice = faceMaskSlice(mask, k);
    if (!slice) continue;
    const source = volume.sources[k]!;
    const file = files[source.file]!;
    const info = pixelInfo(file);
    const { lo, hi } = storedRange(info);
    const slope = info.rescaleSlope || 1;
    let count = 0;
    for (let p = 0; p < plane; p++) count += slice[p]!;
    let values = sliceValues(plan, count, k);
    if (plan.method === 'blur' && filled) {
      const at = filled.data.subarray(k * plane, (k + 1) * plane);
      values = new Float64Array(count);
      let n = 0;
      for (let p = 0; p < plane; p++) if (slice[p]) values[n++] = at[p]!;
    }
    const stored = new Int32Array(count);
    for (let n = 0; n < count; n++) stored[n] = Math.max(lo, Math.min(hi, Math.round((values[n]! - info.rescaleIntercept) / slope)));
    const uniform = plan.method === 'air';
    let entry = byFile.get(source.file);
    if (!entry) {
      entry = { index: source.file, sopInstanceUID: file.dataset.string(Tags.SOPInstanceUID), frames: [], pixels: 0 };
      byFile.set(source.file, entry);
    }
    entry.frames.push({ frame: source.frame, mask: slice, value: uniform ? stored[0]! : stored });
    entry.pixels += count;
  }
  return [...byFile.values()].sort((a, b) => a.index - b.index);
}
