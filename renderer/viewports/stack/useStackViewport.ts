// Owns one Cornerstone StackViewport on a div: its rendering engine, its tool
// group and its listeners. Everything is torn down in the effect cleanup, which
// React StrictMode exercises by mounting twice.
import { useEffect, useState } from 'react';
import { Enums, eventTarget, RenderingEngine, type Types } from '@cornerstonejs/core';
import { Enums as ToolEnums, PanTool, StackScrollTool, ToolGroupManager, WindowLevelTool, ZoomTool } from '@cornerstonejs/tools';
import { initCornerstone } from '../../cornerstone/init';
import { noteReportedLoadError } from '../../cornerstone/loadErrors';

let nextEngine = 0;

export interface StackHandle {
  viewport: Types.IStackViewport;
  element: HTMLDivElement;
}

export function useStackViewport(element: HTMLDivElement | null, imageIds: string[] | null): {
  handle: StackHandle | null;
  index: number;
  error: string | null;
} {
  const [handle, setHandle] = useState<StackHandle | null>(null);
  const [index, setIndex] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!element || !imageIds || imageIds.length === 0) return;
    let live = true;
    const engineId = `veil-stack-${nextEngine++}`;
    const viewportId = `${engineId}-viewport`;
    let engine: RenderingEngine | undefined;
    const onNewImage = (event: Event) => {
      const detail = (event as CustomEvent<{ imageIdIndex: number }>).detail;
      setIndex(detail.imageIdIndex);
    };
    const resize = new ResizeObserver(() => engine?.resize(true, true));
    // A frame that fails to load or decode is reported on the global event target.
    const onLoadError = (event: Event) => {
      const detail = (event as CustomEvent<{ imageId?: string; error?: unknown }>).detail;
      if (!live || !detail?.imageId || !imageIds.includes(detail.imageId)) return;
      noteReportedLoadError(detail.error);
      setError(`frame ${imageIds.indexOf(detail.imageId) + 1} cannot be decoded (${describe(detail.error)})`);
    };
    eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);

    (async () => {
      await initCornerstone();
      if (!live) return;
      engine = new RenderingEngine(engineId);
      engine.enableElement({ viewportId, type: Enums.ViewportType.STACK, element, defaultOptions: { background: [0, 0, 0] } });
      const viewport = engine.getViewport(viewportId) as Types.IStackViewport;
      bindTools(viewportId, engineId);
      element.addEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      resize.observe(element);
      const start = Math.floor(imageIds.length / 2);
      await viewport.setStack(imageIds, start);
      if (!live) return;
      viewport.render();
      setIndex(start);
      setHandle({ viewport, element });
    })().catch((cause: unknown) => {
      if (live) setError(describe(cause));
    });

    return () => {
      live = false;
      resize.disconnect();
      eventTarget.removeEventListener(Enums.Events.IMAGE_LOAD_ERROR, onLoadError);
      element.removeEventListener(Enums.Events.STACK_NEW_IMAGE, onNewImage);
      ToolGroupManager.destroyToolGroup(toolGroupId(viewportId));
      engine?.destroy();
      setHandle(null);
      setError(null);
    };
  }, [element, imageIds]);

  return { handle, index, error };
}

const toolGroupId = (viewportId: string) => `${viewportId}-tools`;

/** Left drag W/L, middle pan, right drag or Ctrl+wheel zoom, wheel scrolls slices. */
function bindTools(viewportId: string, engineId: string): void {
  const { MouseBindings, KeyboardBindings } = ToolEnums;
  const group = ToolGroupManager.createToolGroup(toolGroupId(viewportId));
  if (!group) return;
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool]) group.addTool(tool.toolName);
  group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
  group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  group.setToolActive(ZoomTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel, modifierKey: KeyboardBindings.Ctrl }],
  });
  group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  group.addViewport(viewportId, engineId);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'object' && cause && 'error' in cause) return describe((cause as { error: unknown }).error);
  return String(cause);
}
