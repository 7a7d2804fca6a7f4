// Three orthographic views (axial / coronal / sagittal) on one volume, linked
// by crosshairs, with one shared window. Kept free of React so the component
// only owns mounting and unmounting.
import { Enums, setVolumesForViewports, utilities, type Types } from '@cornerstonejs/core';
import {
  addTool,
  CrosshairsTool,
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  synchronizers,
  SynchronizerManager,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
} from '@cornerstonejs/tools';
import { enableVolumeViewports, volumeRenderingEngine } from './volumeEngine';
import { edgeLabels, type EdgeLabels } from './orientationLabels';
import { voiRangeOf, type WindowPreset } from './windowPresets';

export type MprPlane = 'axial' | 'coronal' | 'sagittal';

export const mprPlanes: { plane: MprPlane; letter: string; label: string; color: string }[] = [
  { plane: 'axial', letter: 'A', label: 'Axial', color: 'rgb(230, 80, 80)' },
  { plane: 'coronal', letter: 'C', label: 'Coronal', color: 'rgb(90, 200, 90)' },
  { plane: 'sagittal', letter: 'S', label: 'Sagittal', color: 'rgb(230, 200, 60)' },
];

const orientationOf: Record<MprPlane, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  coronal: Enums.OrientationAxis.CORONAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
};

export interface SlicePosition {
  /** 1-based. */
  index: number;
  count: number;
  /** Patient directions at the view's edges (they change when crosshairs rotate a plane). */
  edges: EdgeLabels;
}

export interface MprSession {
  applyWindow(preset: WindowPreset): void;
  /** Moves one view `delta` slices along its normal (keyboard scrolling). */
  scroll(plane: MprPlane, delta: number): void;
  /** Re-centres crosshairs and cameras. */
  reset(): void;
  /** Call after the views' elements changed size. */
  resize(): void;
  /** One plane's viewport (for overlays drawn through its geometry), until destroyed. */
  viewport(plane: MprPlane): Types.IVolumeViewport | undefined;
  destroy(): void;
}

let sessionCounter = 0;

export async function createMprSession(
  elements: Record<MprPlane, HTMLDivElement>,
  volumeId: string,
  onSlice: (plane: MprPlane, position: SlicePosition) => void,
): Promise<MprSession> {
  sessionCounter += 1;
  // Unique per mount: StrictMode mounts twice and the first mount may still be tearing down.
  const key = `veil-mpr-${sessionCounter}`;
  const viewportId = (plane: MprPlane) => `${key}-${plane}`;
  const viewportIds = mprPlanes.map(({ plane }) => viewportId(plane));
  const colorByViewport = new Map(mprPlanes.map(({ plane, color }) => [viewportId(plane), color]));

  const engine = volumeRenderingEngine();
  const disableViewports = enableVolumeViewports(
    mprPlanes.map(({ plane }) => ({
      viewportId: viewportId(plane),
      type: Enums.ViewportType.ORTHOGRAPHIC,
      element: elements[plane],
      defaultOptions: { orientation: orientationOf[plane], background: [0, 0, 0] as Types.Point3 },
    })),
  );

  addTool(CrosshairsTool);
  const toolGroup = ToolGroupManager.createToolGroup(key)!;
  for (const id of viewportIds) toolGroup.addViewport(id, engine.id);
  toolGroup.addTool(CrosshairsTool.toolName, {
    getReferenceLineColor: (id: string) => colorByViewport.get(id) ?? 'white',
    getReferenceLineControllable: () => true,
    getReferenceLineDraggableRotatable: () => true,
    // Slab handles clutter small views and are not needed to look at anatomy.
    getReferenceLineSlabThicknessControlsOn: () => false,
  });
  toolGroup.addTool(StackScrollTool.toolName);
  toolGroup.addTool(WindowLevelTool.toolName);
  toolGroup.addTool(PanTool.toolName);
  toolGroup.addTool(ZoomTool.toolName);
  const { MouseBindings, KeyboardBindings } = ToolEnums;
  toolGroup.setToolActive(CrosshairsTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
  toolGroup.setToolActive(WindowLevelTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Primary, modifierKey: KeyboardBindings.Shift }],
  });
  toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });
  toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
  toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }] });

  // Dragging the window in one view changes it in all three.
  const voiSync = synchronizers.createVOISynchronizer(`${key}-voi`, { syncInvertState: false, syncColormap: false });
  for (const id of viewportIds) voiSync.add({ renderingEngineId: engine.id, viewportId: id });

  await setVolumesForViewports(engine, [{ volumeId }], viewportIds);
  const viewports = () =>
    mprPlanes.flatMap(({ plane }) => {
      const viewport = engine.getViewport(viewportId(plane)) as Types.IVolumeViewport | undefined;
      return viewport ? [{ plane, viewport }] : [];
    });
  const fileVoi = viewports()[0]?.viewport.getProperties()?.voiRange;

  const reportSlice = (plane: MprPlane, viewport: Types.IVolumeViewport) => {
    const { viewUp, viewPlaneNormal } = viewport.getCamera();
    if (!viewUp || !viewPlaneNormal) return;
    // Screen right = direction of projection (−normal) × up.
    const [nx, ny, nz] = viewPlaneNormal;
    const [ux, uy, uz] = viewUp;
    const viewRight: Types.Point3 = [-ny * uz + nz * uy, -nz * ux + nx * uz, -nx * uy + ny * ux];
    onSlice(plane, {
      index: viewport.getSliceIndex() + 1,
      count: viewport.getNumberOfSlices(),
      edges: edgeLabels(viewUp, viewRight),
    });
  };
  const listeners = mprPlanes.map(({ plane }) => {
    const listener = () => {
      const viewport = engine.getViewport(viewportId(plane)) as Types.IVolumeViewport | undefined;
      if (viewport) reportSlice(plane, viewport);
    };
    elements[plane].addEventListener(Enums.Events.CAMERA_MODIFIED, listener);
    return { plane, listener };
  });
  for (const { plane, viewport } of viewports()) reportSlice(plane, viewport);
  engine.renderViewports(viewportIds);

  let destroyed = false;
  return {
    applyWindow(preset) {
      const voiRange = preset.window ? voiRangeOf(preset.window) : fileVoi;
      if (!voiRange || destroyed) return;
      for (const { viewport } of viewports()) viewport.setProperties({ voiRange });
      engine.renderViewports(viewportIds);
    },
    scroll(plane, delta) {
      if (destroyed) return;
      const viewport = engine.getViewport(viewportId(plane)) as Types.IVolumeViewport | undefined;
      // scroll() is typed for the base Viewport class; volume viewports are supported at run time.
      if (viewport) utilities.scroll(viewport as unknown as Parameters<typeof utilities.scroll>[0], { delta, volumeId });
    },
    reset() {
      if (destroyed) return;
      for (const { viewport } of viewports()) viewport.resetCamera();
      const crosshairs = toolGroup.getToolInstance(CrosshairsTool.toolName) as CrosshairsTool | undefined;
      crosshairs?.resetCrosshairs();
      engine.renderViewports(viewportIds);
    },
    resize() {
      if (!destroyed) engine.resize(true, true);
    },
    viewport(plane) {
      return destroyed ? undefined : (engine.getViewport(viewportId(plane)) as Types.IVolumeViewport | undefined);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const { plane, listener } of listeners) elements[plane].removeEventListener(Enums.Events.CAMERA_MODIFIED, listener);
      SynchronizerManager.destroySynchronizer(`${key}-voi`);
      ToolGroupManager.destroyToolGroup(key);
      disableViewports();
    },
  };
}
