// Where the body's surface is, coarsely: the skin mask's grid with, per cell,
// its chessboard distance (cells) to the nearest body cell (outside) and to
// the nearest non-body cell (inside). Cheap (the grid is ~2 mm), and enough to
// bound the search; exact depths are measured per candidate in `distance.ts`.
import { bodyDistance } from '../face/render';
import { segmentSkin, type SkinMask } from '../face/skin';
import type { Volume } from '../face/volume';

export interface BodyShell {
  skin: SkinMask;
  /** Per grid cell: distance (cells) to the body; 0 in the body. */
  outside: Uint8Array;
  /** Per grid cell: distance (cells) to the outside; 0 outside the body, 1 on its rim. */
  inside: Uint8Array;
  /** Grid cell size (mm) per axis. */
  cellMm: [number, number, number];
  /** Grid cell of each volume column, row and slice. */
  cellOf: [Int32Array, Int32Array, Int32Array];
}

export function bodyShell(volume: Volume, skin: SkinMask = segmentSkin(volume)): BodyShell {
  const outside = bodyDistance(skin, 1).distance;
  const inverted = new Uint8Array(skin.mask.length);
  for (let p = 0; p < inverted.length; p++) inverted[p] = skin.mask[p] ? 0 : 1;
  const inside = bodyDistance({ ...skin, mask: inverted }, 1).distance;
  const cellMm = volume.spacing.map((s, a) => s * skin.factor[a]!) as [number, number, number];
  const cellOf = volume.dims.map((n, a) => Int32Array.from({ length: n }, (_, i) => Math.min(skin.dims[a]! - 1, Math.floor(i / skin.factor[a]!)))) as BodyShell['cellOf'];
  return { skin, outside, inside, cellMm, cellOf };
}

/** Grid cell index of volume voxel (i, j, k). */
export function cellIndex(shell: BodyShell, i: number, j: number, k: number): number {
  const [gx, gy] = shell.skin.dims;
  return (shell.cellOf[2][k]! * gy + shell.cellOf[1][j]!) * gx + shell.cellOf[0][i]!;
}
