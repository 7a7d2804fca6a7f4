// Window/level presets. CT values are in Hounsfield units (rescaled, PS3.3
// C.11.2.1.2); MR has no absolute scale, so only the file's own window or an
// automatic one from the slice's range make sense.

export interface VoiPreset {
  id: string;
  label: string;
  /** Window centre and width; absent means "the file's own window". */
  window?: { center: number; width: number };
  /** Fit the window to the current slice's pixel range. */
  auto?: boolean;
}

const fileDefault: VoiPreset = { id: 'default', label: 'Default' };
const auto: VoiPreset = { id: 'auto', label: 'Auto', auto: true };

const ctPresets: VoiPreset[] = [
  fileDefault,
  { id: 'brain', label: 'Brain', window: { center: 40, width: 80 } },
  { id: 'soft-tissue', label: 'Soft tissue', window: { center: 40, width: 400 } },
  { id: 'lung', label: 'Lung', window: { center: -600, width: 1500 } },
  { id: 'bone', label: 'Bone', window: { center: 400, width: 1800 } },
  auto,
];

export function voiPresetsFor(modality: string): VoiPreset[] {
  return modality === 'CT' ? ctPresets : [fileDefault, auto];
}

export function voiRangeOf(window: { center: number; width: number }): { lower: number; upper: number } {
  return { lower: window.center - window.width / 2, upper: window.center + window.width / 2 };
}
