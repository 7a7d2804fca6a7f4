// Without a GPU, Chromium/Electron draw WebGL with SwiftShader or llvmpipe,
// where a fine 3D render takes seconds per frame. Start coarse there.

const softwareRenderers = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer string, or '' when the browser hides it. */
export function webglRendererName(): string {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (!gl) return '';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  // Free the context now: browsers cap the number of live WebGL contexts.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

let cached: number | undefined;

/** Sample distance multiplier to start with: 4 on software WebGL, else 1. */
export function defaultSampleDistanceMultiplier(): number {
  cached ??= softwareRenderers.test(webglRendererName()) ? 4 : 1;
  return cached;
}
