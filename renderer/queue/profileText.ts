// The profile the queue saves: the chosen one with the pixel options as set,
// its description kept (withPixelOptions re-serialises only what parseProfile keeps).
import { withPixelOptions } from '../export/profiles';

export function profileToSave(text: string, wanted: { cleanPixelData: boolean; cleanRecognizableVisualFeatures: boolean }): string {
  const description = (JSON.parse(text) as { description?: unknown }).description;
  const next = JSON.parse(withPixelOptions(text, wanted)) as Record<string, unknown>;
  return JSON.stringify(typeof description === 'string' && description !== '' ? { ...next, description } : next);
}
