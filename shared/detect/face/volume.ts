// A series as one volume in modality units (HU for CT), with its place in
// patient space (LPS, PS3.3 C.7.6.2.1.1): single-frame slices sorted along the
// slice normal (the study index's own order), or one multi-frame file.
import type { InstanceSummary } from '../../api/contract';
import { sortInstances, Tags, type DicomFile } from '../../dicom';
import { decodeFrame, pixelInfo, type PixelInfo } from '../../pixels';

export type Vec3 = [number, number, number];

export interface Volume {
  /** Voxel values in modality units, x fastest (column, row, slice). */
  data: Int16Array | Float32Array;
  /** Columns, rows, slices. */
  dims: Vec3;
  /** mm between columns, rows, slices. */
  spacing: Vec3;
  /** LPS position (mm) of voxel (0, 0, 0). */
  origin: Vec3;
  /** Unit LPS directions of +column, +row, +slice index. */
  axes: [Vec3, Vec3, Vec3];
  modality: string;
  /** Where slice k came from: index into the `files` given to `volumeFromSeries`, and frame (writing back, e.g. defacing). */
  sources?: Array<{ file: number; frame: number }>;
}

export type VolumeResult = { ok: true; volume: Volume } | { ok: false; reason: string };

export const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];

/** LPS position (mm) of a voxel (fractional indices allowed). */
export function voxelToPatient(v: Volume, i: number, j: number, k: number): Vec3 {
  const [a, b, c] = v.axes;
  const [sx, sy, sz] = v.spacing;
  return [0, 1, 2].map((d) => v.origin[d] + a[d] * i * sx + b[d] * j * sy + c[d] * k * sz) as Vec3;
}

/** Voxel indices (fractional) of an LPS position. Axes need not be orthogonal to the slice direction. */
export function patientToVoxel(v: Volume, p: Vec3): Vec3 {
  const [a, b, c] = v.axes;
  const d = sub(p, v.origin);
  // Solve d = i·a·sx + j·b·sy + k·c·sz (Cramer's rule; a, b orthonormal, c may be oblique).
  const det = dot(a, cross(b, c));
  const i = dot(d, cross(b, c)) / det / v.spacing[0];
  const j = dot(a, cross(d, c)) / det / v.spacing[1];
  const k = dot(a, cross(b, d)) / det / v.spacing[2];
  return [i, j, k];
}

interface Plane {
  file: DicomFile;
  /** Index in the input files. */
  index: number;
  frame: number;
  info: PixelInfo;
}

function triple(values: number[]): Vec3 | undefined {
  return values.length >= 3 && values.slice(0, 3).every(Number.isFinite) ? [values[0]!, values[1]!, values[2]!] : undefined;
}

/** Sorted slices of a single-frame series, by the study index's order (along the normal). */
function sortedSlices(files: readonly DicomFile[]): DicomFile[] {
  const summaries = files.map((file, index): InstanceSummary => {
    const d = file.dataset;
    const o = d.numbers(Tags.ImageOrientationPatient);
    return {
      fileId: String(index),
      displayPath: String(index).padStart(8, '0'),
      sizeBytes: 0,
      sopInstanceUID: '',
      sopClassUID: '',
      transferSyntaxUID: file.transferSyntaxUID,
      instanceNumber: d.number(Tags.InstanceNumber),
      numberOfFrames: 1,
      imagePositionPatient: triple(d.numbers(Tags.ImagePositionPatient)),
      imageOrientationPatient: o.length >= 6 ? (o.slice(0, 6) as InstanceSummary['imageOrientationPatient']) : undefined,
      hasPixels: true,
    };
  });
  return sortInstances(summaries).map((s) => files[Number(s.fileId)]!);
}

/** Per-frame position of a multi-frame file (enhanced functional groups, else a fixed step from the first). */
function framePositions(file: DicomFile, frames: number, normal: Vec3): Vec3[] | undefined {
  const d = file.dataset;
  const perFrame = d.items('52009230');
  if (perFrame.length === frames) {
    const positions = perFrame.map((item) => triple(item.items('00209113')[0]?.numbers(Tags.ImagePositionPatient) ?? []));
    if (positions.every(Boolean)) return positions as Vec3[];
  }
  const first = triple(d.numbers(Tags.ImagePositionPatient));
  if (!first) return undefined;
  // RT Dose: Grid Frame Offset Vector (PS3.3 C.8.8.3.2); else Spacing Between Slices.
  const offsets = d.numbers('3004000C');
  if (offsets.length === frames) return offsets.map((o) => [first[0] + normal[0] * o, first[1] + normal[1] * o, first[2] + normal[2] * o]);
  const step = d.number('00180088') ?? d.number('00180050');
  if (!step) return undefined;
  return Array.from({ length: frames }, (_, k) => [first[0] + normal[0] * step * k, first[1] + normal[1] * step * k, first[2] + normal[2] * step * k]);
}

/** A functional-group attribute (PS3.3 C.7.6.16): shared, else the first frame's. */
function functionalGroup(file: DicomFile, sequence: string, tag: string): number[] {
  for (const groups of ['52009229', '52009230']) {
    const values = file.dataset.items(groups)[0]?.items(sequence)[0]?.numbers(tag) ?? [];
    if (values.length) return values;
  }
  return [];
}

function orientationOf(file: DicomFile): [Vec3, Vec3] | undefined {
  let o = file.dataset.numbers(Tags.ImageOrientationPatient);
  if (o.length < 6) o = functionalGroup(file, '00209116', Tags.ImageOrientationPatient);
  if (o.length < 6 || !o.every(Number.isFinite)) return undefined;
  return [o.slice(0, 3) as Vec3, o.slice(3, 6) as Vec3];
}

function pixelSpacingOf(file: DicomFile): number[] {
  const s = file.dataset.numbers('00280030');
  if (s.length === 2) return s;
  return functionalGroup(file, '00289110', '00280030');
}

/** Whether every stored value plus the intercept fits an Int16 (half the memory of Float32). */
function fitsInt16(info: PixelInfo): boolean {
  const bits = Math.min(info.bitsStored, 32);
  const low = (info.pixelRepresentation ? -(2 ** (bits - 1)) : 0) + info.rescaleIntercept;
  const high = (info.pixelRepresentation ? 2 ** (bits - 1) - 1 : 2 ** bits - 1) + info.rescaleIntercept;
  return low >= -32768 && high <= 32767;
}

/**
 * Builds the volume of one series, or says why it is not one: colour, no
 * geometry, slices of different sizes, fewer than 2 planes.
 */
export function volumeFromSeries(files: readonly DicomFile[]): VolumeResult {
  if (files.length === 0) return { ok: false, reason: 'no files' };
  const first = files[0]!;
  const info0 = pixelInfo(first);
  if (!info0.rows || !info0.columns) return { ok: false, reason: 'not an image series (no Rows/Columns)' };
  if (info0.samplesPerPixel !== 1) return { ok: false, reason: 'colour pictures are not a volume' };
  const orientation = orientationOf(first);
  const spacing2 = pixelSpacingOf(first);
  if (!orientation || spacing2.length !== 2) return { ok: false, reason: 'no patient geometry (Image Orientation/Pixel Spacing)' };
  const [row, column] = orientation;
  const normal = cross(row, column);

  let planes: Plane[];
  let positions: Vec3[];
  if (files.length === 1 && info0.frames > 1) {
    const p = framePositions(first, info0.frames, normal);
    if (!p) return { ok: false, reason: 'multi-frame file without frame positions' };
    planes = Array.from({ length: info0.frames }, (_, frame) => ({ file: first, index: 0, frame, info: info0 }));
    positions = p;
    const order = positions.map((pos, k) => ({ k, d: dot(pos, normal) })).sort((a, b) => a.d - b.d).map((o) => o.k);
    planes = order.map((k) => planes[k]!);
    positions = order.map((k) => positions[k]!);
  } else {
    const sorted = sortedSlices(files);
    planes = [];
    positions = [];
    for (const file of sorted) {
      const index = files.indexOf(file);
      const info = pixelInfo(file);
      const pos = triple(file.dataset.numbers(Tags.ImagePositionPatient));
      if (!pos) return { ok: false, reason: 'a slice has no Image Position (Patient)' };
      if (info.rows !== info0.rows || info.columns !== info0.columns || info.samplesPerPixel !== 1) return { ok: false, reason: 'slices differ in size' };
      planes.push({ file, index, frame: 0, info });
      positions.push(pos);
    }
  }
  if (planes.length < 2) return { ok: false, reason: 'a single plane is a picture, not a volume' };

  const origin = positions[0]!;
  const span = sub(positions[positions.length - 1]!, origin);
  const gap = norm(span) / (planes.length - 1);
  if (!(gap > 1e-3)) return { ok: false, reason: 'slices share one position' };
  const sliceAxis = scale(span, 1 / norm(span));

  const { rows, columns } = info0;
  const n = rows * columns;
  const integral = planes.every(({ info }) => info.rescaleSlope === 1 && Number.isInteger(info.rescaleIntercept) && fitsInt16(info));
  const data = integral ? new Int16Array(n * planes.length) : new Float32Array(n * planes.length);
  planes.forEach(({ file, frame, info }, k) => {
    const values = decodeFrame(file, frame, { raw: true }, info).data;
    const { rescaleSlope: slope, rescaleIntercept: intercept } = info;
    const out = data.subarray(k * n, (k + 1) * n);
    for (let p = 0; p < n; p++) out[p] = values[p]! * slope + intercept;
  });
  const modality = first.dataset.string(Tags.Modality).toUpperCase();
  // PixelSpacing is [between rows, between columns] (PS3.3 10.7.1.3).
  return {
    ok: true,
    volume: {
      data,
      dims: [columns, rows, planes.length],
      spacing: [spacing2[1]!, spacing2[0]!, gap],
      origin,
      axes: [row, column, sliceAxis],
      modality,
      sources: planes.map(({ index, frame }) => ({ file: index, frame })),
    },
  };
}
