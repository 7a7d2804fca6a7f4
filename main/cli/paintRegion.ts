// `veil deid --paint-region <seriesUID>:<x>,<y>,<z>:<r>`: regions painted on
// the skin (scars), as the viewer's "Paint a mark" sends them: centre in LPS
// mm, radius 1–30 mm; repeatable.
export interface PaintRegionOption {
  centre: [number, number, number];
  radiusMm: number;
}

/** Throws a RangeError (a usage error) for a malformed value. */
export function parsePaintRegions(values: readonly string[] | undefined): Map<string, PaintRegionOption[]> | undefined {
  if (!values || values.length === 0) return undefined;
  const bySeries = new Map<string, PaintRegionOption[]>();
  for (const value of values) {
    const match = /^([0-9.]{1,64}):(-?[0-9.]+),(-?[0-9.]+),(-?[0-9.]+):([0-9.]+)$/.exec(value);
    const numbers = match ? match.slice(2).map(Number) : [];
    if (!match || !numbers.every(Number.isFinite) || numbers[3]! < 1 || numbers[3]! > 30) {
      throw new RangeError(`--paint-region is <series UID>:<x>,<y>,<z>:<radius mm 1–30> (LPS mm), not "${value}"`);
    }
    const list = bySeries.get(match[1]!) ?? [];
    list.push({ centre: [numbers[0]!, numbers[1]!, numbers[2]!], radiusMm: numbers[3]! });
    bySeries.set(match[1]!, list);
  }
  return bySeries;
}
