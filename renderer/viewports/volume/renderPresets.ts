// Transfer-function presets for the 3D view. Strings use the format of
// Cornerstone's VIEWPORT_PRESETS (a count, then value/colour or value/opacity
// tuples); values are stored pixel values after rescale (HU for CT).
import { CONSTANTS, type Types } from '@cornerstonejs/core';

export interface RenderPreset {
  id: string;
  label: string;
  preset: Types.ViewportPreset;
}

/**
 * The face surface: opacity rises sharply at the air/skin boundary (about
 * -500…-300 HU), so the first voxels a ray meets are skin and the shading
 * shows the face. This is exactly what a CT gives away about a person.
 */
const ctSkin: Types.ViewportPreset = {
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

function builtIn(name: string, label: string): RenderPreset | undefined {
  const preset = CONSTANTS.VIEWPORT_PRESETS.find((candidate) => candidate.name === name);
  return preset ? { id: name, label, preset } : undefined;
}

function present(presets: (RenderPreset | undefined)[]): RenderPreset[] {
  return presets.filter((preset): preset is RenderPreset => preset !== undefined);
}

/** Presets offered for a modality, the default first. */
export function renderPresetsFor(modality: string): RenderPreset[] {
  if (modality.toUpperCase() === 'CT') {
    return present([
      { id: ctSkin.name, label: 'Skin (face)', preset: ctSkin },
      builtIn('CT-Bone', 'Bone'),
      builtIn('CT-Soft-Tissue', 'Soft tissue'),
      builtIn('CT-MIP', 'MIP'),
    ]);
  }
  return present([builtIn('MR-Default', 'MR default'), builtIn('MR-T2-Brain', 'MR T2 brain'), builtIn('MR-MIP', 'MIP')]);
}
