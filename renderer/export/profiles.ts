// Profiles offered in the export panel: the ones that ship with Veil
// (shared/deid/profiles; the first is the default) and any the user loads from
// a JSON file. Checked here with parseProfile for an early message; main
// checks again (it trusts nothing from the renderer).
import { parseProfile } from '../../shared/deid';
import basic from '../../shared/deid/profiles/basic.json';
import defaultProfile from '../../shared/deid/profiles/default.json';
import research from '../../shared/deid/profiles/research.json';

export interface OfferedProfile {
  name: string;
  description: string;
  /** The JSON text sent to main. */
  text: string;
}

function offered(json: { name: string; description?: string }): OfferedProfile {
  return { name: json.name, description: json.description ?? '', text: JSON.stringify(json) };
}

export const bundledProfiles: OfferedProfile[] = [offered(defaultProfile), offered(research), offered(basic)];

/** The profile's JSON with the pixel options asked for added (the export does them, then proves them). */
export function withPixelOptions(text: string, wanted: { cleanPixelData: boolean; cleanRecognizableVisualFeatures: boolean }): string {
  const profile = parseProfile(text);
  const add = (Object.keys(wanted) as Array<keyof typeof wanted>).filter((option) => wanted[option] && !profile.options.includes(option));
  return add.length === 0 ? text : JSON.stringify({ ...profile, options: [...profile.options, ...add] });
}

/** A profile file the user chose; throws with parseProfile's reason when it is not one. */
export function profileFromText(text: string, fileName: string): OfferedProfile {
  const profile = parseProfile(text);
  const description = (JSON.parse(text) as { description?: unknown }).description;
  return {
    name: `${profile.name} (${fileName})`,
    description: typeof description === 'string' ? description : `Options: ${profile.options.join(', ') || 'none'}`,
    text,
  };
}

/** The profile a user saves: the chosen one with the pixel options as set, its description kept
 * (withPixelOptions re-serialises only what parseProfile keeps). */
export function profileToSave(text: string, wanted: { cleanPixelData: boolean; cleanRecognizableVisualFeatures: boolean }): string {
  const description = (JSON.parse(text) as { description?: unknown }).description;
  const next = JSON.parse(withPixelOptions(text, wanted)) as Record<string, unknown>;
  return JSON.stringify(typeof description === 'string' && description !== '' ? { ...next, description } : next);
}
