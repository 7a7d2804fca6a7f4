// The defaced preview shown in place: main sends the voxels its defacing
// replaces (per slice, found here by the slice's position), and "after" writes
// them into the loaded volume the MPR and 3D views share, keeping the values
// they replaced; "before" writes those back. One volume, so camera, crosshairs
// and preset stay as they are, and the views only need a render.
import { getRenderingEngines, type Types } from '@cornerstonejs/core';
import type { DefacePreview } from '../../shared/api/contract';

interface Applied {
  indices: Uint32Array;
  before: Float64Array;
  after: Float64Array;
  shown: 'before' | 'after';
}

const state = new WeakMap<Types.IImageVolume, Applied>();

/** Volume indices and new values of the preview's voxels; slices the volume does not hold are skipped. */
function place(volume: Types.IImageVolume, preview: DefacePreview): { indices: number[]; values: number[]; skipped: number } {
  const [nx, ny, nz] = volume.dimensions;
  const indices: number[] = [];
  const values: number[] = [];
  let skipped = 0;
  const imageData = volume.imageData;
  if (!imageData) return { indices, values, skipped: preview.slices.length };
  for (const slice of preview.slices) {
    const [i, j, k] = imageData.worldToIndex(slice.origin as Types.Point3);
    const kk = Math.round(k);
    // The same slice, in the same in-plane order: its first voxel is this slice's first.
    if (Math.abs(i) > 0.01 || Math.abs(j) > 0.01 || Math.abs(k - kk) > 0.01 || kk < 0 || kk >= nz) {
      skipped++;
      continue;
    }
    let n = 0;
    for (let r = 0; r < slice.runs.length; r += 2) {
      for (let p = slice.runs[r]!; p < slice.runs[r]! + slice.runs[r + 1]!; p++) {
        indices.push(kk * nx * ny + p);
        values.push(slice.values.length === 1 ? slice.values[0]! : slice.values[n]!);
        n++;
      }
    }
  }
  return { indices, values, skipped };
}

function redraw(volume: Types.IImageVolume): void {
  volume.modified();
  for (const engine of getRenderingEngines() ?? []) engine.render();
}

/** Shows the volume as it is ('before') or as the export would write it ('after'); returns the voxels in the preview. */
export function showDefaced(volume: Types.IImageVolume, preview: DefacePreview, side: 'before' | 'after'): number {
  const voxels = volume.voxelManager;
  if (!voxels) return 0;
  let applied = state.get(volume);
  if (!applied) {
    const { indices, values } = place(volume, preview);
    const before = Float64Array.from(indices, (q) => Number(voxels.getAtIndex(q)));
    applied = { indices: Uint32Array.from(indices), before, after: Float64Array.from(values), shown: 'before' };
    state.set(volume, applied);
  }
  if (applied.shown !== side) {
    const source = side === 'after' ? applied.after : applied.before;
    applied.indices.forEach((q, n) => voxels.setAtIndex(q, source[n]!));
    applied.shown = side;
    redraw(volume);
  }
  return applied.indices.length;
}
