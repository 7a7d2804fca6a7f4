// Byte buffers joined end to end (frames, fragments, PNG chunks, cache keys).

/** `parts` one after another in a new buffer of `length` bytes (zero-padded past the parts). */
export function concatBytes(parts: readonly Uint8Array[], length = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
