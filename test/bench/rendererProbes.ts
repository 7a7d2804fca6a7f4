// In-page probes for the renderer bench, as plain JavaScript source: tsx
// compiles with keepNames, whose `__name` helper does not exist in the page,
// so functions cannot be handed to page.evaluate as they are. Evaluated over
// CDP, they are not subject to the page's CSP.
//
// Times are performance.now() differences inside the page, from the file
// input's `change` (the chooser answered) or the mode button's `click`.
// Canvases are sampled at 64×64 every 10 ms; "a picture" is more than 5 % of
// the samples brighter than 8/255 (IMAGE_RENDERED can fire on an empty frame).
const source = String.raw`
(() => {
  const bench = { chosen: NaN, switched: NaN };
  document.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement && event.target.type === 'file') bench.chosen = performance.now();
  }, true);
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-testid^="mode-"]') : null;
    if (button) bench.switched = performance.now();
  }, true);

  const sample = document.createElement('canvas');
  sample.width = 64;
  sample.height = 64;
  const context = sample.getContext('2d', { willReadFrequently: true });
  /** Fraction of bright samples and a hash of the picture, or null without a canvas. */
  bench.look = (selector) => {
    const canvas = document.querySelector(selector);
    if (!(canvas instanceof HTMLCanvasElement) || canvas.width === 0 || canvas.height === 0) return null;
    context.clearRect(0, 0, 64, 64);
    context.drawImage(canvas, 0, 0, 64, 64);
    const data = context.getImageData(0, 0, 64, 64).data;
    let bright = 0;
    let hash = 0x811c9dc5;
    for (let i = 0; i < data.length; i += 4) {
      if (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] > 8) bright++;
      hash = Math.imul(hash ^ data[i] ^ (data[i + 1] << 8), 0x01000193) >>> 0;
    }
    return { bright: bright / 4096, hash };
  };

  bench.poll = (check, timeoutMs, what) => new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => {
      let done = false;
      try { done = check(); } catch (error) { reject(error); return; }
      if (done) resolve(performance.now());
      else if (performance.now() - started > timeoutMs) reject(new Error('bench: timed out waiting for ' + what));
      else setTimeout(tick, 10);
    };
    tick();
  });

  const stack = '[data-testid=stack-viewport]';
  /** Resolves once the stack view shows a new series of frames frames: times since the chooser. */
  bench.awaitFirstImage = async (frames, timeoutMs) => {
    bench.chosen = NaN;
    const before = bench.look(stack + ' canvas');
    const label = new RegExp('of ' + frames + '$');
    const selected = () => {
      const element = document.querySelector(stack);
      return Number.isFinite(bench.chosen) && !!element && label.test(element.getAttribute('aria-label') || '');
    };
    const indexed = await bench.poll(selected, timeoutMs, 'the new series to be selected');
    const shown = await bench.poll(() => {
      if (!selected() || document.querySelector(stack).getAttribute('data-ready') !== 'true') return false;
      const now = bench.look(stack + ' canvas');
      return !!now && now.bright > 0.05 && (!before || now.hash !== before.hash);
    }, timeoutMs, 'the first image');
    return { indexedMs: indexed - bench.chosen, firstImageMs: shown - bench.chosen };
  };

  /** Resolves once MPR shows anatomy and then has every slice: times since the click. */
  bench.awaitVolume = async (timeoutMs) => {
    bench.switched = NaN;
    const axial = '[data-testid=mpr-axial] canvas';
    const picture = await bench.poll(() => {
      const now = Number.isFinite(bench.switched) && bench.look(axial);
      return !!now && now.bright > 0.05;
    }, timeoutMs, 'the axial MPR picture');
    const ready = await bench.poll(() => {
      const view = document.querySelector('[data-testid=mpr-view]');
      const state = view && view.getAttribute('data-state');
      if (state === 'error') throw new Error('bench: MPR reported an error');
      return state === 'ready';
    }, timeoutMs, 'the volume');
    return { mprPictureMs: picture - bench.switched, volumeReadyMs: ready - bench.switched };
  };

  bench.webglRenderer = () => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return 'no WebGL2';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  };

  window.__veilBench = bench;
})();
`;

interface PageBench {
  awaitFirstImage(frames: number, timeoutMs: number): Promise<{ indexedMs: number; firstImageMs: number }>;
  awaitVolume(timeoutMs: number): Promise<{ mprPictureMs: number; volumeReadyMs: number }>;
  webglRenderer(): string;
}

/** Arguments for page.evaluate: install once per page, then await. */
export const rendererPageProbes = {
  install: source,
  awaitFirstImage: ({ frames, timeoutMs }: { frames: number; timeoutMs: number }) =>
    (window as unknown as { __veilBench: PageBench }).__veilBench.awaitFirstImage(frames, timeoutMs),
  awaitVolume: ({ timeoutMs }: { timeoutMs: number }) => (window as unknown as { __veilBench: PageBench }).__veilBench.awaitVolume(timeoutMs),
  webglRenderer: () => (window as unknown as { __veilBench: PageBench }).__veilBench.webglRenderer(),
};
