// RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, then one
// PackBits-coded byte plane per segment, most significant byte first per sample.

export class RleError extends Error {}

/** Decode one PackBits segment into `out` (length = expected bytes). */
function unpackSegment(src: Uint8Array, start: number, end: number, out: Uint8Array): void {
  let i = start;
  let o = 0;
  const n = out.length;
  while (i < end && o < n) {
    const h = src[i++]!;
    if (h < 128) {
      const count = Math.min(h + 1, n - o, end - i);
      out.set(src.subarray(i, i + count), o);
      i += h + 1;
      o += count;
    } else if (h > 128) {
      const count = Math.min(257 - h, n - o);
      out.fill(src[i++]!, o, o + count);
      o += count;
    } // 128 (-128) is a no-op (G.3.2)
  }
}

/**
 * Decode one RLE frame into interleaved bytes of `samples` samples of `bytesPerSample`
 * bytes each, little endian within a sample (ready for a typed-array view).
 */
export function decodeRleFrame(src: Uint8Array, pixels: number, samples: number, bytesPerSample: number): Uint8Array {
  if (src.length < 64) throw new RleError('RLE frame shorter than its 64-byte header');
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const segments = view.getUint32(0, true);
  const expected = samples * bytesPerSample;
  if (segments !== expected) throw new RleError(`RLE frame has ${segments} segments, expected ${expected}`);
  const out = new Uint8Array(pixels * expected);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + s * 4, true);
    const end = s + 1 < segments ? view.getUint32(8 + s * 4, true) : src.length;
    plane.fill(0);
    unpackSegment(src, start, Math.min(end, src.length), plane);
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // segment order is MSB first
    let o = sample * bytesPerSample + byteInSample;
    for (let p = 0; p < pixels; p++, o += expected) out[o] = plane[p]!;
  }
  return out;
}

/**
 * PackBits-encode one byte plane into `out` from `at` (literal runs up to 128, repeats of
 * 3+ as runs); returns the new end. `out` needs plane.length + ceil(plane.length / 128) + 1 bytes.
 */
function packSegment(plane: Uint8Array, out: Uint8Array, at: number): number {
  const n = plane.length;
  let i = 0;
  let o = at;
  while (i < n) {
    const v = plane[i]!;
    let run = 1;
    while (i + run < n && run < 128 && plane[i + run] === v) run++;
    if (run >= 3) {
      out[o++] = 257 - run;
      out[o++] = v;
      i += run;
      continue;
    }
    let j = i;
    while (j < n && j - i < 128) {
      if (j + 2 < n && plane[j] === plane[j + 1] && plane[j] === plane[j + 2]) break;
      j++;
    }
    out[o++] = j - i - 1;
    out.set(plane.subarray(i, j), o);
    o += j - i;
    i = j;
  }
  return o;
}

/** Encode interleaved little-endian sample bytes as one RLE frame (inverse of decodeRleFrame). */
export function encodeRleFrame(bytes: Uint8Array, pixels: number, samples: number, bytesPerSample: number): Uint8Array {
  const segments = samples * bytesPerSample;
  const stride = segments;
  const plane = new Uint8Array(pixels);
  const out = new Uint8Array(64 + segments * (pixels + Math.ceil(pixels / 128) + 2));
  const view = new DataView(out.buffer);
  view.setUint32(0, segments, true);
  let at = 64;
  for (let s = 0; s < segments; s++) {
    const sample = Math.floor(s / bytesPerSample);
    let o = sample * bytesPerSample + (bytesPerSample - 1 - (s % bytesPerSample));
    for (let p = 0; p < pixels; p++, o += stride) plane[p] = bytes[o]!;
    view.setUint32(4 + s * 4, at, true);
    at = packSegment(plane, out, at);
    if ((at - 64) % 2) out[at++] = 0; // segments are even-length (G.5)
  }
  return out.slice(0, at);
}
