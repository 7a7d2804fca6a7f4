// One long-lived RenderingEngine for every volume view (MPR and 3D).
// A volume keeps its GPU texture on the cached volume object, bound to the
// WebGL context that first drew it; a second engine (another context) would
// bind that texture and draw nothing. With one engine, switching between MPR
// and 3D reuses both the voxels and the texture. Views add and remove their
// viewports instead of creating engines.
import { RenderingEngine, type Types } from '@cornerstonejs/core';

let engine: RenderingEngine | undefined;

export function volumeRenderingEngine(): RenderingEngine {
  if (!engine || engine.hasBeenDestroyed) engine = new RenderingEngine('veil-volume-views');
  return engine;
}

/** Adds viewports to the shared engine; returns the function that removes them. */
export function enableVolumeViewports(viewports: Types.PublicViewportInput[]): () => void {
  const shared = volumeRenderingEngine();
  for (const viewport of viewports) shared.enableElement(viewport);
  return () => {
    for (const { viewportId } of viewports) {
      if (shared.getViewport(viewportId)) shared.disableElement(viewportId);
    }
  };
}
