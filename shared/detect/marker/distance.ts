// Exact Euclidean distance in a small box (mm, anisotropic voxels): the
// separable lower-envelope transform, one axis at a time. Used per candidate
// (a box around one small component), never on the whole volume.

/** Squared distance (mm²) from every voxel of the box to the nearest feature voxel (Infinity if none). */
export function squaredDistance(feature: Uint8Array, dims: readonly [number, number, number], spacing: readonly [number, number, number]): Float64Array {
  const [nx, ny, nz] = dims;
  const out = new Float64Array(nx * ny * nz);
  for (let p = 0; p < out.length; p++) out[p] = feature[p] ? 0 : Infinity;
  const longest = Math.max(nx, ny, nz);
  const f = new Float64Array(longest);
  const d = new Float64Array(longest);
  const v = new Int32Array(longest);
  const z = new Float64Array(longest + 1);
  const strides = [1, nx, nx * ny];
  for (let axis = 0; axis < 3; axis++) {
    const n = dims[axis]!;
    const stride = strides[axis]!;
    const w = spacing[axis]! * spacing[axis]!;
    const [na, nb, sa, sb] = axis === 0 ? [ny, nz, nx, nx * ny] : axis === 1 ? [nx, nz, 1, nx * ny] : [nx, ny, 1, nx];
    for (let b = 0; b < nb; b++)
      for (let a = 0; a < na; a++) {
        const base = a * sa + b * sb;
        for (let i = 0; i < n; i++) f[i] = out[base + i * stride]!;
        envelope(f, n, w, d, v, z);
        for (let i = 0; i < n; i++) out[base + i * stride] = d[i]!;
      }
  }
  return out;
}

/** 1D: d[q] = min_p f[p] + w·(q − p)² (Felzenszwalb & Huttenlocher's lower envelope of parabolas). */
function envelope(f: Float64Array, n: number, w: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    let s = 0;
    for (;;) {
      const p = v[k]!;
      s = (f[q]! + w * q * q - (f[p]! + w * p * p)) / (2 * w * (q - p));
      if (s <= z[k]! && k > 0) k--;
      else break;
    }
    if (s <= z[k]!) {
      // k === 0 and the new parabola wins everywhere.
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    d.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1]! < q) j++;
    const p = v[j]!;
    d[q] = f[p]! + w * (q - p) * (q - p);
  }
}
