// The rate a clip was recorded at (PS3.3 C.7.6.5 Cine Module): Recommended
// Display Frame Rate, else 1000 / Frame Time (ms). Falls back to 10 fps.
import { metaData } from '@cornerstonejs/core';

type CineModule = Record<string, number | number[] | string | undefined>;

function firstNumber(module: CineModule, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const raw = module[key];
    const value = Number(Array.isArray(raw) ? raw[0] : raw);
    if (Number.isFinite(value) && value > 0) return value;
  }
  return undefined;
}

export function cineFrameRate(imageId: string, fallback = 10): number {
  const module = (metaData.get('cineModule', imageId) ?? {}) as CineModule;
  const recommended = firstNumber(module, 'recommendedDisplayFrameRate', 'RecommendedDisplayFrameRate');
  const frameTime = firstNumber(module, 'frameTime', 'FrameTime');
  const fps = recommended ?? (frameTime ? 1000 / frameTime : fallback);
  return Math.min(60, Math.max(1, Math.round(fps)));
}
