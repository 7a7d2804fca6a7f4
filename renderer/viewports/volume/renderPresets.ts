// The presets the 3D view offers per modality: Veil's skin surfaces first
// (showing the face is the point), then Cornerstone's built-in ones.
import { CONSTANTS, type Types } from '@cornerstonejs/core';
import { ctSkinPreset, mrSkinPreset } from './transferFunctions';

export interface RenderPreset {
  id: string;
  label: string;
  preset: Types.ViewportPreset;
}

function builtIn(name: string, label: string): RenderPreset | undefined {
  const preset = CONSTANTS.VIEWPORT_PRESETS.find((candidate) => candidate.name === name);
  return preset ? { id: name, label, preset } : undefined;
}

function present(presets: (RenderPreset | undefined)[]): RenderPreset[] {
  return presets.filter((preset): preset is RenderPreset => preset !== undefined);
}

/**
 * Presets offered for a modality, the default first. For MR, pass the
 * volume's `surfaceThreshold` to get a skin (face) preset, the default then.
 */
export function renderPresetsFor(modality: string, mrSurfaceThreshold?: number): RenderPreset[] {
  if (modality.toUpperCase() === 'CT') {
    return present([
      { id: ctSkinPreset.name, label: 'Skin (face)', preset: ctSkinPreset },
      builtIn('CT-Bone', 'Bone'),
      builtIn('CT-Soft-Tissue', 'Soft tissue'),
      builtIn('CT-MIP', 'MIP'),
    ]);
  }
  const skin =
    mrSurfaceThreshold !== undefined && Number.isFinite(mrSurfaceThreshold)
      ? { id: 'Veil-MR-Skin', label: 'Skin (face)', preset: mrSkinPreset(mrSurfaceThreshold) }
      : undefined;
  return present([skin, builtIn('MR-Default', 'MR default'), builtIn('MR-T2-Brain', 'MR T2 brain'), builtIn('MR-MIP', 'MIP')]);
}
