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

interface TextureWithRelease {
  releaseGraphicsResources?: (renderWindow?: unknown) => void;
}

/**
 * Frees a volume's GPU texture in the shared engine's context. Cornerstone's
 * own volume teardown calls vtk.js without the render window, which leaves the
 * texture allocated for as long as the (long-lived) context lives.
 */
export function releaseVolumeTexture(volume: Types.IImageVolume): void {
  if (!engine || engine.hasBeenDestroyed) return;
  // The context pool is not public API: read it defensively.
  const pool = (engine as unknown as { contextPool?: { getContextByIndex?: (index: number) => { context?: { getOpenGLRenderWindow?: () => unknown } } | null } })
    .contextPool;
  const renderWindow = pool?.getContextByIndex?.(0)?.context?.getOpenGLRenderWindow?.();
  const texture = (volume as unknown as { vtkOpenGLTexture?: TextureWithRelease }).vtkOpenGLTexture;
  if (renderWindow && texture?.releaseGraphicsResources) texture.releaseGraphicsResources(renderWindow);
}
