// Reading the same pixels twice gives the same text: the banner on every frame
// of a cine, the kV/mA block on every slice of a series, and the text the
// export's check reads again after a fill left it alone. An OcrEngine wrapper
// that answers those from memory. Keys are exact: the region and every pixel an
// engine may read around it (compared byte for byte, never by a hash alone), so
// a cached answer is always the answer the engine would give.
import type { Gray8 } from './image';
import type { OcrEngine, OcrResult } from './ocr';
import type { TextCandidate } from './prescreen';

interface Entry {
  key: string;
  pixels: Uint8Array;
  /** Pending while the engine reads: a region asked for again meanwhile (files read in parallel) waits for that read. */
  result: Promise<OcrResult>;
}

/** Pixels around a region an engine's crop may reach (preprocess.ts uses 0.4 glyph + 2; this is wider). */
const reach = (region: TextCandidate): number => Math.ceil(region.glyphHeight) + 4;

function cropOf(image: Gray8, region: TextCandidate): { bounds: string; pixels: Uint8Array } {
  const m = reach(region);
  const x0 = Math.max(0, region.x - m);
  const y0 = Math.max(0, region.y - m);
  const x1 = Math.min(image.width, region.x + region.width + m);
  const y1 = Math.min(image.height, region.y + region.height + m);
  const pixels = new Uint8Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++) pixels.set(image.data.subarray(y * image.width + x0, y * image.width + x1), (y - y0) * (x1 - x0));
  return { bounds: `${x0},${y0},${x1},${y1}`, pixels };
}

function fnv(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  // A plain loop: `every` with a closure is ~6x slower, on thousands of crops a check replays.
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface CachedOcr extends OcrEngine {
  readonly hits: number;
  readonly misses: number;
}

/** `engine` with a memory of its answers, bounded to about `maxBytes` of pixels (least recently used go first). */
export function cachedOcr(engine: OcrEngine, maxBytes = 32 << 20): CachedOcr {
  // Insertion order is recency: a hit is moved to the end.
  const entries = new Map<string, Entry[]>();
  let bytes = 0;
  let hits = 0;
  let misses = 0;
  const evict = (): void => {
    for (const [bucket, list] of entries) {
      if (bytes <= maxBytes) return;
      for (const e of list) bytes -= e.pixels.length;
      entries.delete(bucket);
    }
  };
  return {
    get hits() {
      return hits;
    },
    get misses() {
      return misses;
    },
    async recognize(image, region) {
      const { bounds, pixels } = cropOf(image, region);
      const key = `${region.x},${region.y},${region.width},${region.height},${region.polarity},${region.plane},${region.glyphHeight}|${JSON.stringify(region.prepare ?? {})}|${bounds}`;
      const bucket = `${key}|${fnv(pixels)}`;
      const list = entries.get(bucket);
      const found = list?.find((e) => e.key === key && equal(e.pixels, pixels));
      if (found && list) {
        hits++;
        entries.delete(bucket);
        entries.set(bucket, list);
        return found.result;
      }
      misses++;
      const entry: Entry = { key, pixels, result: engine.recognize(image, region) };
      entries.set(bucket, [...(list ?? []), entry]);
      bytes += pixels.length;
      evict();
      try {
        return await entry.result;
      } catch (error) {
        // A failed read is not an answer: the next ask reads again.
        const now = entries.get(bucket);
        if (now?.includes(entry)) {
          bytes -= pixels.length;
          if (now.length === 1) entries.delete(bucket);
          else entries.set(bucket, now.filter((e) => e !== entry));
        }
        throw error;
      }
    },
    terminate: () => engine.terminate(),
  };
}
