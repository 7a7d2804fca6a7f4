// Transfer functions Veil adds to Cornerstone's presets, as pure data: the
// strings use the format of Cornerstone's VIEWPORT_PRESETS (a count, then
// value/colour or value/opacity tuples); values are stored pixel values after
// rescale (HU for CT, arbitrary units for MR).
import type { Types } from '@cornerstonejs/core';

/**
 * The face surface: opacity rises sharply at the air/skin boundary (about
 * -500…-300 HU), so the first voxels a ray meets are skin and the shading
 * shows the face. This is exactly what a CT gives away about a person.
 */
export const ctSkinPreset: Types.ViewportPreset = {
  name: 'Veil-CT-Skin',
  colorTransfer: '20 -3024 0 0 0 -600 0.55 0.32 0.2 -350 0.9 0.7 0.58 200 0.95 0.8 0.7 3071 1 1 1',
  scalarOpacity: '10 -3024 0 -600 0 -350 0.9 500 0.95 3071 0.95',
  gradientOpacity: '4 0 1 255 1',
  shade: '1',
  ambient: '0.25',
  diffuse: '0.85',
  specular: '0.15',
  specularPower: '10',
  interpolation: '1',
};

/**
 * MR has no fixed intensity scale, so its skin surface is placed at the
 * threshold that best splits air/noise from tissue in this volume (Otsu).
 */
export function mrSkinPreset(threshold: number): Types.ViewportPreset {
  const start = Math.round(threshold * 0.8);
  const full = Math.round(threshold * 1.25);
  const top = Math.max(full + 1, Math.round(threshold * 6));
  return {
    ...ctSkinPreset,
    name: 'Veil-MR-Skin',
    colorTransfer: `16 0 0 0 0 ${start} 0.55 0.32 0.2 ${full} 0.9 0.7 0.58 ${top} 0.95 0.82 0.72`,
    scalarOpacity: `8 0 0 ${start} 0 ${full} 0.9 ${top} 0.95`,
  };
}

/**
 * Otsu's threshold over a sample of voxel values: the cut that maximises the
 * between-class variance of the two sides (background vs. body).
 */
export function surfaceThreshold(values: ArrayLike<number>, bins = 256): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  if (!(max > min)) return min;
  const histogram = new Float64Array(bins);
  const scale = (bins - 1) / (max - min);
  for (let i = 0; i < values.length; i += 1) histogram[Math.round((values[i] - min) * scale)] += 1;
  let total = 0;
  let weightedTotal = 0;
  for (let b = 0; b < bins; b += 1) {
    total += histogram[b];
    weightedTotal += b * histogram[b];
  }
  let below = 0;
  let weightedBelow = 0;
  let best = 0;
  let bestVariance = -1;
  for (let b = 0; b < bins - 1; b += 1) {
    below += histogram[b];
    weightedBelow += b * histogram[b];
    const above = total - below;
    if (below === 0 || above === 0) continue;
    const meanBelow = weightedBelow / below;
    const meanAbove = (weightedTotal - weightedBelow) / above;
    const variance = below * above * (meanBelow - meanAbove) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = b;
    }
  }
  return min + (best + 0.5) / scale;
}
