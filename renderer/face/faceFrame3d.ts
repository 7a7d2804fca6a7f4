// The face region in the 3D view: a solid red frame (the box's edges as bars)
// added to the VOLUME_3D viewport as an opaque vtk.js actor. Opaque geometry is
// drawn before the volume and stops its rays, so the bars in front of the face
// show and those behind the head are hidden: depth comes for free. (A
// translucent box would be painted over by the skin: vtk.js draws translucent
// actors before volumes.)
import type { Types } from '@cornerstonejs/core';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';
import type { FaceRegion } from './faceMarks';
import { anteriorCamera, frameBars, type Box3 } from './regionGeometry';

/** The actor's uid in the viewport. */
export const faceFrameActorUid = 'veil-face-region';

/** Flat red: reads as a warning on skin tones and on black. */
const frameColor: [number, number, number] = [1, 0.12, 0.12];

export function regionBox(region: FaceRegion): Box3 {
  return { min: region.patientMin, max: region.patientMax };
}

/** Bars about 1.2% of the box's largest side, at least 1.5 mm: visible at the default zoom. */
function barThickness(box: Box3): number {
  const largest = Math.max(...box.max.map((v, i) => v - box.min[i]!));
  return Math.max(1.5, largest * 0.012);
}

export function createFaceFrameActor(region: FaceRegion): Types.Actor {
  const box = regionBox(region);
  const { points, polys } = frameBars(box, barThickness(box));
  const polyData = vtkPolyData.newInstance();
  polyData.getPoints().setData(points, 3);
  polyData.getPolys().setData(polys);
  const mapper = vtkMapper.newInstance();
  mapper.setInputData(polyData);
  const actor = vtkActor.newInstance();
  actor.setMapper(mapper);
  const property = actor.getProperty();
  property.setColor(...frameColor);
  // Unlit: the same red from every side, whatever the light.
  property.setLighting(false);
  return actor;
}

/** Shows or removes the frame; returns whether it is now in the viewport. */
export function setFaceFrame(viewport: Types.IVolumeViewport, region: FaceRegion | null): boolean {
  const present = viewport.getActors().some((entry) => entry.uid === faceFrameActorUid);
  if (present) viewport.removeActors([faceFrameActorUid]);
  if (!region) return false;
  viewport.addActor({ uid: faceFrameActorUid, actor: createFaceFrameActor(region) });
  return true;
}

/** Turns the camera to look at the face from the front, the region filling most of the view. */
export function lookAtFace(viewport: Types.IVolumeViewport, region: FaceRegion): void {
  viewport.setCamera({ viewPlaneNormal: [0, -1, 0], viewUp: [0, 0, 1] });
  viewport.resetCamera();
  const current = viewport.getCamera();
  const distance =
    current.position && current.focalPoint ? Math.hypot(...current.position.map((v, i) => v - current.focalPoint![i]!)) : 1000;
  const { clientWidth, clientHeight } = viewport.element;
  const camera = anteriorCamera(regionBox(region), clientHeight > 0 ? clientWidth / clientHeight : 1, distance);
  viewport.setCamera({ ...camera, parallelScale: Math.min(camera.parallelScale, current.parallelScale ?? Infinity) });
}
