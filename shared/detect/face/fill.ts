// Hole filling of one slice (2D, 4-connected background flood from the border).
/**
 * Fills a slice's holes: what the slice border cannot reach through background
 * is body. Where the body is cut by the field of view (a nose at the edge),
 * short gaps between body pixels on the border are cavities seen in section
 * (nostrils), not outside air: they do not seed the outside.
 */
export function fillHoles2d(slice: Uint8Array, nx: number, ny: number, outside: Uint8Array, stack: Int32Array, gapPx: number): void {
  const plane = nx * ny;
  outside.fill(0);
  let top = 0;
  const push = (p: number) => {
    if (!slice[p] && !outside[p]) {
      outside[p] = 1;
      stack[top++] = p;
    }
  };
  const seedLine = (start: number, step: number, n: number) => {
    let i = 0;
    while (i < n) {
      if (slice[start + i * step]) {
        i++;
        continue;
      }
      let j = i;
      while (j < n && !slice[start + j * step]) j++;
      const enclosed = i > 0 && j < n && j - i <= gapPx;
      if (!enclosed) for (let k = i; k < j; k++) push(start + k * step);
      i = j;
    }
  };
  seedLine(0, 1, nx);
  seedLine((ny - 1) * nx, 1, nx);
  seedLine(0, nx, ny);
  seedLine(nx - 1, nx, ny);
  while (top > 0) {
    const p = stack[--top]!;
    const x = p % nx;
    if (x > 0) push(p - 1);
    if (x < nx - 1) push(p + 1);
    if (p >= nx) push(p - nx);
    if (p < plane - nx) push(p + nx);
  }
  for (let p = 0; p < plane; p++) slice[p] = outside[p] ? 0 : 1;
}
