// Window/level presets for the MPR views. CT values are Hounsfield units
// (after the Modality LUT, PS3.3 C.11.1); MR has no absolute scale, so it only
// gets the window stored in the files.

export interface WindowPreset {
  id: string;
  label: string;
  /** Undefined: the window from the files (Window Center/Width, PS3.3 C.11.2). */
  window?: { center: number; width: number };
}

const fromFile: WindowPreset = { id: 'default', label: 'From file' };

const ctPresets: WindowPreset[] = [
  fromFile,
  { id: 'soft-tissue', label: 'Soft tissue', window: { center: 40, width: 400 } },
  { id: 'brain', label: 'Brain', window: { center: 40, width: 80 } },
  { id: 'bone', label: 'Bone', window: { center: 400, width: 1800 } },
  { id: 'lung', label: 'Lung', window: { center: -600, width: 1500 } },
  // Air/skin boundary: makes the outline of the face stand out.
  { id: 'skin', label: 'Skin', window: { center: -300, width: 700 } },
];

export function windowPresetsFor(modality: string): WindowPreset[] {
  return modality.toUpperCase() === 'CT' ? ctPresets : [fromFile];
}

/** Linear VOI range of a window, PS3.3 C.11.2.1.2.1 (the "-0.5" centre offset). */
export function voiRangeOf(window: { center: number; width: number }): { lower: number; upper: number } {
  return {
    lower: window.center - 0.5 - (window.width - 1) / 2,
    upper: window.center - 0.5 + (window.width - 1) / 2,
  };
}
