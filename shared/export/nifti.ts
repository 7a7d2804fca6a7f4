// One series as a NIfTI-1 volume (.nii) for researchers: native (uncompressed)
// single-frame slices only, stacked along the slice normal, with the sform and
// qform affines from the DICOM geometry (PS3.3 C.7.6.2.1.1) turned from LPS
// into NIfTI's RAS. Built from the de-identified files, so it holds nothing
// they do not; the header's text fields stay empty but for "Veil".
import { Tags, type DicomFile } from '../dicom';

export type NiftiResult = { ok: true; bytes: Uint8Array; slices: number } | { ok: false; reason: string };

const HEADER = 348;
const DATA_OFFSET = 352;

/** NIfTI datatype codes by (BitsAllocated, PixelRepresentation). */
const datatypes: Record<string, { code: number; bytes: number }> = {
  '8:0': { code: 2, bytes: 1 }, // DT_UINT8
  '8:1': { code: 256, bytes: 1 }, // DT_INT8
  '16:0': { code: 512, bytes: 2 }, // DT_UINT16
  '16:1': { code: 4, bytes: 2 }, // DT_INT16
  '32:0': { code: 768, bytes: 4 }, // DT_UINT32
  '32:1': { code: 8, bytes: 4 }, // DT_INT32
};

type Vec3 = [number, number, number];

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

interface Slice {
  file: DicomFile;
  position: Vec3;
}

function geometryKey(file: DicomFile): string {
  const d = file.dataset;
  return [Tags.Rows, Tags.Columns, '00280100', '00280103', '00280002', Tags.ImageOrientationPatient, '00280030']
    .map((tag) => d.numbers(tag).map((n) => n.toFixed(4)).join('/'))
    .join('|');
}

/** Builds the volume or says plainly why this series cannot be one yet. */
export function niftiFromSeries(files: readonly DicomFile[]): NiftiResult {
  if (files.length === 0) return { ok: false, reason: 'no files' };
  const first = files[0].dataset;
  const rows = first.number(Tags.Rows) ?? 0;
  const columns = first.number(Tags.Columns) ?? 0;
  const orientation = first.numbers(Tags.ImageOrientationPatient);
  const spacing = first.numbers('00280030');
  const bits = first.number('00280100');
  const signed = first.number('00280103') ?? 0;
  const samples = first.number('00280002') ?? 1;
  const type = datatypes[`${bits}:${signed}`];
  if (!rows || !columns) return { ok: false, reason: 'not an image series (no Rows/Columns)' };
  if (samples !== 1) return { ok: false, reason: 'colour images are not supported yet' };
  if (!type) return { ok: false, reason: `${bits}-bit pixels are not supported yet` };
  if (orientation.length !== 6 || spacing.length !== 2) return { ok: false, reason: 'no patient geometry (Image Orientation/Pixel Spacing)' };
  const key = geometryKey(files[0]);
  const rescale = (f: DicomFile) => `${f.dataset.number('00281053') ?? 1}/${f.dataset.number('00281052') ?? 0}`;
  for (const file of files) {
    const pixels = file.dataset.get(Tags.PixelData);
    if (!pixels || pixels.encapsulated) return { ok: false, reason: 'compressed pixel data is not supported yet (uncompressed only)' };
    if ((file.dataset.number(Tags.NumberOfFrames) ?? 1) !== 1) return { ok: false, reason: 'multi-frame files are not supported yet' };
    if (geometryKey(file) !== key) return { ok: false, reason: 'slices differ in size, orientation or spacing' };
    if (rescale(file) !== rescale(files[0])) return { ok: false, reason: 'slices differ in rescale slope/intercept' };
    if (file.dataset.numbers(Tags.ImagePositionPatient).length !== 3) return { ok: false, reason: 'a slice has no Image Position (Patient)' };
  }

  const row = orientation.slice(0, 3) as Vec3;
  const column = orientation.slice(3, 6) as Vec3;
  const normal = cross(row, column);
  const slices: Slice[] = files
    .map((file) => ({ file, position: file.dataset.numbers(Tags.ImagePositionPatient) as Vec3 }))
    .sort((a, b) => dot(a.position, normal) - dot(b.position, normal));
  for (let i = 1; i < slices.length; i++) {
    if (Math.abs(dot(slices[i].position, normal) - dot(slices[i - 1].position, normal)) < 1e-4) {
      return { ok: false, reason: 'two slices share a position (several stacks in one series)' };
    }
  }

  // Voxel (i column, j row, k slice) → LPS (PS3.3 C.7.6.2.1.1); PixelSpacing is [between rows, between columns].
  const origin = slices[0].position;
  const last = slices[slices.length - 1].position;
  const step: Vec3 =
    slices.length > 1 ? (last.map((v, a) => (v - origin[a]) / (slices.length - 1)) as Vec3) : (normal.map((v) => v * (first.number('00180050') ?? 1)) as Vec3);
  const lps = [0, 1, 2].map((a) => [row[a] * spacing[1], column[a] * spacing[0], step[a], origin[a]]);
  // LPS → RAS: x and y change sign.
  const ras = lps.map((r, a) => (a < 2 ? r.map((v) => -v) : r));
  const sliceGap = Math.hypot(...step);

  const sliceBytes = rows * columns * type.bytes;
  const out = new Uint8Array(DATA_OFFSET + sliceBytes * slices.length);
  const view = new DataView(out.buffer);
  writeHeader(view, out, { columns, rows, slices: slices.length, type, spacing: [spacing[1], spacing[0], sliceGap], ras, rescale: first });
  slices.forEach(({ file }, k) => {
    const pixels = file.dataset.get(Tags.PixelData)!.bytes;
    if (pixels.length < sliceBytes) throw new Error('Pixel Data is shorter than Rows × Columns.');
    const target = out.subarray(DATA_OFFSET + k * sliceBytes, DATA_OFFSET + (k + 1) * sliceBytes);
    target.set(pixels.subarray(0, sliceBytes));
    // NIfTI is written little endian; DICOM big endian values are swapped.
    if (!file.dataset.littleEndian && type.bytes > 1) swapInPlace(target, type.bytes);
  });
  return { ok: true, bytes: out, slices: slices.length };
}

function swapInPlace(bytes: Uint8Array, width: number): void {
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

interface HeaderFields {
  columns: number;
  rows: number;
  slices: number;
  type: { code: number; bytes: number };
  spacing: Vec3;
  ras: number[][];
  rescale: DicomFile['dataset'];
}

function writeHeader(view: DataView, out: Uint8Array, h: HeaderFields): void {
  view.setInt32(0, HEADER, true);
  [3, h.columns, h.rows, h.slices, 1, 1, 1, 1].forEach((v, i) => view.setInt16(40 + 2 * i, v, true));
  view.setInt16(70, h.type.code, true);
  view.setInt16(72, h.type.bytes * 8, true);
  const { qfac, quaternion } = quaternionOf(h.ras, h.spacing);
  [qfac, ...h.spacing, 0, 0, 0, 0].forEach((v, i) => view.setFloat32(76 + 4 * i, v, true));
  view.setFloat32(108, DATA_OFFSET, true);
  const slope = h.rescale.number('00281053');
  const intercept = h.rescale.number('00281052');
  view.setFloat32(112, slope ?? 0, true);
  view.setFloat32(116, slope === undefined ? 0 : (intercept ?? 0), true);
  out[123] = 2; // xyzt_units: millimetres
  const descrip = 'Veil';
  for (let i = 0; i < descrip.length; i++) out[148 + i] = descrip.charCodeAt(i);
  view.setInt16(252, 1, true); // qform_code: scanner anatomical
  view.setInt16(254, 1, true); // sform_code: scanner anatomical
  quaternion.forEach((v, i) => view.setFloat32(256 + 4 * i, v, true));
  [h.ras[0][3], h.ras[1][3], h.ras[2][3]].forEach((v, i) => view.setFloat32(268 + 4 * i, v, true));
  h.ras.forEach((r, a) => r.forEach((v, i) => view.setFloat32(280 + 16 * a + 4 * i, v, true)));
  out.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0": single-file NIfTI-1
}

/** qform quaternion (b, c, d) and qfac from the affine's rotation (NIfTI-1 header, method 2). */
function quaternionOf(ras: number[][], spacing: Vec3): { qfac: number; quaternion: Vec3 } {
  const r = [0, 1, 2].map((a) => [0, 1, 2].map((i) => ras[a][i] / spacing[i]));
  const det =
    r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) + r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) for (const rowOf of r) rowOf[2] = -rowOf[2];
  const trace = r[0][0] + r[1][1] + r[2][2] + 1;
  let a: number, b: number, c: number, d: number;
  if (trace > 0.5) {
    a = 0.5 * Math.sqrt(trace);
    b = (0.25 * (r[2][1] - r[1][2])) / a;
    c = (0.25 * (r[0][2] - r[2][0])) / a;
    d = (0.25 * (r[1][0] - r[0][1])) / a;
  } else {
    const xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
    const yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
    const zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1) {
      b = 0.5 * Math.sqrt(xd);
      c = (0.25 * (r[0][1] + r[1][0])) / b;
      d = (0.25 * (r[0][2] + r[2][0])) / b;
      a = (0.25 * (r[2][1] - r[1][2])) / b;
    } else if (yd > 1) {
      c = 0.5 * Math.sqrt(yd);
      b = (0.25 * (r[0][1] + r[1][0])) / c;
      d = (0.25 * (r[1][2] + r[2][1])) / c;
      a = (0.25 * (r[0][2] - r[2][0])) / c;
    } else {
      d = 0.5 * Math.sqrt(zd);
      b = (0.25 * (r[0][2] + r[2][0])) / d;
      c = (0.25 * (r[1][2] + r[2][1])) / d;
      a = (0.25 * (r[1][0] - r[0][1])) / d;
    }
    if (a < 0) {
      b = -b;
      c = -c;
      d = -d;
    }
  }
  return { qfac, quaternion: [b, c, d] };
}
