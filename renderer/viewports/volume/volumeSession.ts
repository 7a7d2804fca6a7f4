// One VOLUME_3D viewport: ray-cast rendering of a series with a transfer
// function preset, rotate / zoom / pan, and a sampling quality that trades
// detail for speed (software WebGL needs coarse sampling to stay interactive).
import { Enums, setVolumesForViewports, utilities, type Types } from '@cornerstonejs/core';
import { addTool, Enums as ToolEnums, PanTool, ToolGroupManager, TrackballRotateTool, ZoomTool } from '@cornerstonejs/tools';
import type { FaceRegion } from '../../face/faceMarks';
import { lookAtFace, setFaceFrame } from '../../face/faceFrame3d';
import type { MarkerMark } from '../../marker/markerMarks';
import { setMarkerSpheres } from '../../marker/markerSpheres3d';
import type { RenderPreset } from './renderPresets';
import { enableVolumeViewports, volumeRenderingEngine } from '../mpr/volumeEngine';

export interface VolumeSession {
  applyPreset(preset: RenderPreset): void;
  /** Ray sample distance as a multiple of the voxel size: 1 = finest (gestures go coarser still). */
  setSampleDistanceMultiplier(multiplier: number): void;
  /** Back to the frontal view of the whole volume. */
  reset(): void;
  /** Frames the face region in red (null removes the frame); true when the frame is shown. */
  setFaceRegion(region: FaceRegion | null): boolean;
  /** Turns the camera to the face, from the front. */
  lookAtFace(region: FaceRegion): void;
  /** Draws the marks on the skin as spheres (empty removes them); how many are shown. */
  setMarkers(marks: readonly MarkerMark[]): number;
  resize(): void;
  render(): void;
  destroy(): void;
}

/** Up to `maxSamples` voxel values spread evenly through the volume. */
export function voxelSample(volume: Types.IImageVolume, maxSamples = 200_000): Float32Array {
  const voxels = volume.voxelManager;
  if (!voxels) return new Float32Array(0);
  const count = voxels.getScalarDataLength();
  const stride = Math.max(1, Math.floor(count / maxSamples));
  const sample = new Float32Array(Math.ceil(count / stride));
  for (let i = 0, k = 0; i < count; i += stride, k += 1) sample[k] = Number(voxels.getAtIndex(i));
  return sample;
}

/** While rotating (trackball tool), rays are sampled this many times more coarsely. */
const ROTATE_COARSENING = 2;
/** Same for zoom and pan gestures (wheel, right / middle drag), until they end. */
const GESTURE_COARSENING = 2;
/** A wheel gesture counts as ended after this long without a wheel event. */
const WHEEL_SETTLE_MS = 250;

let sessionCounter = 0;

export async function createVolumeSession(
  element: HTMLDivElement,
  volumeId: string,
  preset: RenderPreset,
  sampleDistanceMultiplier: number,
): Promise<VolumeSession> {
  sessionCounter += 1;
  // Unique per mount: StrictMode mounts twice and the first mount may still be tearing down.
  const key = `veil-3d-${sessionCounter}`;
  const engine = volumeRenderingEngine();
  const disableViewports = enableVolumeViewports([
    {
      viewportId: key,
      type: Enums.ViewportType.VOLUME_3D,
      element,
      // Coronal camera: looks at the patient from the front, head up.
      defaultOptions: { orientation: Enums.OrientationAxis.CORONAL, background: [0, 0, 0] as Types.Point3 },
    },
  ]);

  addTool(TrackballRotateTool);
  const toolGroup = ToolGroupManager.createToolGroup(key)!;
  toolGroup.addViewport(key, engine.id);
  toolGroup.addTool(TrackballRotateTool.toolName, { rotateSampleDistanceFactor: ROTATE_COARSENING });
  toolGroup.addTool(ZoomTool.toolName);
  toolGroup.addTool(PanTool.toolName);
  const { MouseBindings } = ToolEnums;
  toolGroup.setToolActive(TrackballRotateTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
  toolGroup.setToolActive(ZoomTool.toolName, {
    bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }],
  });
  toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });

  await setVolumesForViewports(engine, [{ volumeId }], [key]);
  const viewport = () => engine.getViewport(key) as Types.IVolumeViewport | undefined;
  // Presets go straight to the volume actor: setProperties only takes the
  // names of Cornerstone's built-in presets, and ours (skin) is not one.
  const applyTransferFunction = (next: RenderPreset) => {
    const actor = viewport()?.getDefaultActor()?.actor as Types.VolumeActor | undefined;
    if (actor) utilities.applyPreset(actor, next.preset);
  };
  applyTransferFunction(preset);
  let baseMultiplier = sampleDistanceMultiplier;
  viewport()?.setProperties({ sampleDistanceMultiplier: baseMultiplier });
  viewport()?.render();

  // Coarser rays while zooming or panning keep software WebGL responsive; the
  // full-quality frame follows when the gesture ends. (Rotation is coarsened by
  // the trackball tool itself, so the primary button is left alone here.)
  let coarse = false;
  let wheelSettle: number | undefined;
  const coarsen = () => {
    if (coarse) return;
    coarse = true;
    viewport()?.setProperties({ sampleDistanceMultiplier: baseMultiplier * GESTURE_COARSENING });
  };
  const refine = () => {
    if (!coarse) return;
    coarse = false;
    viewport()?.setProperties({ sampleDistanceMultiplier: baseMultiplier });
    viewport()?.render();
  };
  const onWheel = () => {
    coarsen();
    window.clearTimeout(wheelSettle);
    wheelSettle = window.setTimeout(refine, WHEEL_SETTLE_MS);
  };
  const onPointerDown = (event: PointerEvent) => {
    if (event.button === 1 || event.button === 2) coarsen();
  };
  element.addEventListener('wheel', onWheel, { capture: true, passive: true });
  element.addEventListener('pointerdown', onPointerDown, { capture: true });
  window.addEventListener('pointerup', refine);

  let destroyed = false;
  return {
    applyPreset(next) {
      if (destroyed) return;
      applyTransferFunction(next);
      viewport()?.render();
    },
    setSampleDistanceMultiplier(multiplier) {
      if (destroyed) return;
      baseMultiplier = multiplier;
      coarse = false;
      viewport()?.setProperties({ sampleDistanceMultiplier: multiplier });
      viewport()?.render();
    },
    reset() {
      if (destroyed) return;
      viewport()?.setCamera({ viewPlaneNormal: [0, -1, 0], viewUp: [0, 0, 1] });
      viewport()?.resetCamera();
      viewport()?.render();
    },
    setFaceRegion(region) {
      const view = viewport();
      if (destroyed || !view) return false;
      const shown = setFaceFrame(view, region);
      view.render();
      return shown;
    },
    setMarkers(marks) {
      const view = viewport();
      if (destroyed || !view) return 0;
      const shown = setMarkerSpheres(view, marks);
      view.render();
      return shown;
    },
    lookAtFace(region) {
      const view = viewport();
      if (destroyed || !view) return;
      lookAtFace(view, region);
      view.render();
    },
    resize() {
      if (!destroyed) engine.resize(true, true);
    },
    render() {
      if (!destroyed) viewport()?.render();
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      window.clearTimeout(wheelSettle);
      element.removeEventListener('wheel', onWheel, { capture: true });
      element.removeEventListener('pointerdown', onPointerDown, { capture: true });
      window.removeEventListener('pointerup', refine);
      ToolGroupManager.destroyToolGroup(key);
      disableViewports();
    },
  };
}
