// Skin marks in the 3D view: an opaque, unlit cyan sphere at each mark, a few
// mm wider than the mark so it shows through the skin surface it sits in
// (opaque geometry stops the volume's rays: spheres behind the head are hidden).
import type { Types } from '@cornerstonejs/core';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import type { MarkerMark } from './markerMarks';

const prefix = 'veil-skin-marker-';
const color: [number, number, number] = [0.1, 0.89, 1];
/** Painted regions: orange, the region's own size (what the export fills, at most). */
const paintedColor: [number, number, number] = [1, 0.62, 0.1];

function sphereActor(mark: MarkerMark): Types.Actor {
  const painted = mark.markerKind === 'painted';
  const source = vtkSphereSource.newInstance({
    center: mark.position,
    radius: painted ? Math.max(...mark.sizeMm) / 2 : Math.max(3, Math.max(...mark.sizeMm) / 2 + 2),
    thetaResolution: 16,
    phiResolution: 12,
  });
  const mapper = vtkMapper.newInstance();
  mapper.setInputConnection(source.getOutputPort());
  const actor = vtkActor.newInstance();
  actor.setMapper(mapper);
  actor.getProperty().setColor(...(painted ? paintedColor : color));
  actor.getProperty().setLighting(false);
  return actor;
}

/** Replaces the marks drawn in the viewport; returns how many are now shown. */
export function setMarkerSpheres(viewport: Types.IVolumeViewport, marks: readonly MarkerMark[]): number {
  const old = viewport.getActors().filter((entry) => entry.uid.startsWith(prefix)).map((entry) => entry.uid);
  if (old.length) viewport.removeActors(old);
  marks.forEach((mark, index) => viewport.addActor({ uid: `${prefix}${index}`, actor: sphereActor(mark) }));
  return marks.length;
}
