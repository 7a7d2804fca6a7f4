// What the viewer needs to show a series defaced (before / after): per slice
// of the volume, where it lies (its first voxel, LPS mm) and the pixels the
// fill replaces with their new values (modality units). Runs keep it small:
// a face is a few hundred thousand voxels in long rows.
import type { Volume } from '../detect/face';
import { voxelToPatient } from '../detect/face';

export interface DefacePreviewSlice {
  /** LPS mm of the slice's first voxel (column 0, row 0): the viewer finds its own slice there. */
  origin: [number, number, number];
  /** [start, length, start, length, …] in the slice's pixel order (column + row × columns). */
  runs: number[];
  /** One value per replaced pixel, or a single value for all of them. */
  values: number[];
}

export interface DefacePreview {
  seriesInstanceUID: string;
  status: 'defaced' | 'no-face' | 'not-checked' | 'failed';
  reason: string;
  voxels: number;
  /** Volume geometry the slices belong to (columns, rows, slices). */
  dims: [number, number, number];
  slices: DefacePreviewSlice[];
}

/** The slices where `after` differs from `before`, as runs. */
export function previewSlices(before: Volume, after: Volume): { slices: DefacePreviewSlice[]; voxels: number } {
  const [nx, ny, nz] = before.dims;
  const plane = nx * ny;
  const slices: DefacePreviewSlice[] = [];
  let voxels = 0;
  for (let k = 0; k < nz; k++) {
    const runs: number[] = [];
    const values: number[] = [];
    for (let p = 0; p < plane; p++) {
      const q = k * plane + p;
      if (after.data[q] === before.data[q]) continue;
      if (runs.length && runs[runs.length - 2]! + runs[runs.length - 1]! === p) runs[runs.length - 1]!++;
      else runs.push(p, 1);
      values.push(after.data[q]!);
    }
    if (!values.length) continue;
    voxels += values.length;
    const uniform = values.every((v) => v === values[0]);
    slices.push({ origin: voxelToPatient(before, 0, 0, k), runs, values: uniform ? [values[0]!] : values });
  }
  return { slices, voxels };
}
