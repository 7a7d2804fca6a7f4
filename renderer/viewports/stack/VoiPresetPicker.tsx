import { cache, type Types } from '@cornerstonejs/core';
import { voiPresetsFor, voiRangeOf, type VoiPreset } from './voiPresets';

export function VoiPresetPicker({ viewport, modality }: { viewport: Types.IStackViewport; modality: string }) {
  const presets = voiPresetsFor(modality);
  const apply = (preset: VoiPreset) => {
    if (preset.window) viewport.setProperties({ voiRange: voiRangeOf(preset.window) });
    else if (preset.auto) {
      const image = cache.getImage(viewport.getCurrentImageId());
      if (image) viewport.setProperties({ voiRange: { lower: image.minPixelValue, upper: image.maxPixelValue } });
    } else viewport.resetProperties();
    viewport.render();
  };
  return (
    <div className="voi-presets" role="group" aria-label="Window presets">
      {presets.map((preset) => (
        <button key={preset.id} type="button" data-testid={`voi-${preset.id}`} aria-label={`Window ${preset.label}`} onClick={() => apply(preset)}>
          {preset.label}
        </button>
      ))}
    </div>
  );
}
