// The viewer's face marks from a real scan (`veil scan --json` on the Cranium
// head CT and the octave-dicom photo with its icon), and the geometry that
// draws them: slice planes through the region box (checked against the slice
// positions dcmdump reads), the 3D frame's bars, the anterior camera.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanDocument } from '../../../shared/export';
import { readDicom, Tags } from '../../../shared/dicom';
import { faceMarksOf, regionOf, type FaceMark, type Vec3 } from '../../../renderer/face/faceMarks';
import { picturesOnFrame, sliceSection } from '../../../renderer/face/FacePictureOverlay';
import type { InstanceSummary } from '../../../shared/api/contract';
import { anteriorCamera, boxCorners, frameBars, planeBoxSection, type Box3 } from '../../../renderer/face/regionGeometry';
import { fixtures } from '../../fixtures/paths';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const photo = path.join(fixtures.octave, 'simpleImageWithIcon.dcm');
const craniumFiles = readdirSync(fixtures.craniumDicom)
  .filter((n) => n.endsWith('.dcm'))
  .map((n) => path.join(fixtures.craniumDicom, n));

/** A tag's first value through dcmdump (an independent reader): strings come in brackets, numbers bare. */
function dcmdumpValue(file: string, tag: string): string {
  const line = execFileSync('dcmdump', ['-q', '+P', tag, file], { encoding: 'latin1' }).split('\n')[0] ?? '';
  const match = /^\([0-9a-f,]+\) [A-Z]{2} (?:\[([^\]]*)\]|(\S+))/i.exec(line);
  return match?.[1] ?? match?.[2] ?? '';
}

let document: ScanDocument;
let marks: FaceMark[];

beforeAll(() => {
  const run = spawnSync(process.execPath, [path.join(repo, 'main', 'cli', 'veil.mjs'), 'scan', fixtures.craniumDicom, photo, '--json'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  document = JSON.parse(run.stdout) as ScanDocument;
  // The app maps the scan's paths to SOP Instance UIDs (what its views know files by).
  const sops = new Map(
    [...craniumFiles, photo].map((file) => [file, readDicom(new Uint8Array(readFileSync(file)), { headerOnly: true }).dataset.string(Tags.SOPInstanceUID)] as const),
  );
  marks = faceMarksOf(document, sops);
}, 150_000);

describe('face marks from a real scan', () => {
  it('one volume mark with its region for Cranium; the photo gives a pixels box on its own SOP and an icon box', () => {
    const volume = marks.filter((m) => m.kind === 'volume');
    expect(volume).toHaveLength(1);
    const cranium = document.series.find((s) => s.files.some((f) => f.startsWith(fixtures.craniumDicom)))!;
    expect(volume[0]!.seriesInstanceUID).toBe(cranium.seriesInstanceUID);
    const region = volume[0]!.kind === 'volume' ? volume[0]!.region : undefined;
    expect(region).toBeDefined();
    for (let k = 0; k < 3; k++) expect(region!.patientMax[k]).toBeGreaterThan(region!.patientMin[k]!);

    const pictures = marks.filter((m) => m.kind === 'picture');
    expect(pictures.map((m) => m.image).sort()).toEqual(['icon', 'pixels']);
    const sop = dcmdumpValue(photo, '0008,0018');
    const onScreen = picturesOnFrame(pictures.filter((m) => m.kind === 'picture'), sop, 0);
    expect(onScreen).toHaveLength(1);
    // The box lies inside the picture dcmdump describes.
    const [x, y, w, h] = onScreen[0]!.box;
    const rows = Number(dcmdumpValue(photo, '0028,0010'));
    const columns = Number(dcmdumpValue(photo, '0028,0011'));
    expect(x).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(x + w).toBeLessThanOrEqual(columns);
    expect(y + h).toBeLessThanOrEqual(rows);
    expect(picturesOnFrame(onScreen, sop, 1)).toEqual([]);
  });

  it('the region is read defensively: a finding without one still marks the series; malformed ones are ignored', () => {
    // Malformed as a hostile or older document may be: the type says otherwise, so it is cast.
    const finding = { kind: 'face', confidence: 1, detail: '', where: { file: 'a', region: { patientMin: [0, 0], voxelMin: [0, 0, 0] } } } as unknown as Finding;
    expect(regionOf(finding)).toBeUndefined();
    const doc: ScanDocument = { series: [{ seriesInstanceUID: '1.2', modality: 'CT', files: ['a'], findings: [finding] }], skipped: [] };
    expect(faceMarksOf(doc, new Map())).toEqual([{ kind: 'volume', seriesInstanceUID: '1.2', confidence: 1, detail: '' }]);
  });
});

describe('slice planes through the Cranium face region', () => {
  it('axial planes at the slice positions dcmdump reads cross the box exactly when their z is inside it', () => {
    const mark = marks.find((m) => m.kind === 'volume');
    const region = mark?.kind === 'volume' ? mark.region! : undefined;
    const box: Box3 = { min: region!.patientMin, max: region!.patientMax };
    const positions = craniumFiles.map((f) => dcmdumpValue(f, '0020,0032').split('\\').map(Number) as Vec3);
    let crossing = 0;
    for (const position of positions) {
      const section = planeBoxSection(box, position, [0, 0, 1]);
      const inside = position[2] >= box.min[2] && position[2] <= box.max[2];
      expect(section.length > 0, `z = ${position[2]}`).toBe(inside);
      if (!inside) continue;
      crossing++;
      // An axial section is the box's x-y rectangle at the slice's height.
      expect(section).toHaveLength(4);
      for (const p of section) {
        expect(p[2]).toBeCloseTo(position[2], 6);
        expect([box.min[0], box.max[0]].some((x) => Math.abs(p[0] - x) < 1e-6)).toBe(true);
        expect([box.min[1], box.max[1]].some((y) => Math.abs(p[1] - y) < 1e-6)).toBe(true);
      }
    }
    // The face region starts at the chin and stops at the brow: some slices above it, most below.
    expect(crossing).toBeGreaterThan(positions.length / 2);
    expect(crossing).toBeLessThan(positions.length);
  });

  it("a stack slice's own plane (position and orientation from dcmdump) crosses the region at the chin, not at the top of the head", () => {
    const mark = marks.find((m) => m.kind === 'volume');
    const region = mark?.kind === 'volume' ? mark.region! : undefined;
    const slice = (name: string): InstanceSummary => {
      const file = path.join(fixtures.craniumDicom, name);
      return {
        imagePositionPatient: dcmdumpValue(file, '0020,0032').split('\\').map(Number) as Vec3,
        imageOrientationPatient: dcmdumpValue(file, '0020,0037').split('\\').map(Number) as InstanceSummary['imageOrientationPatient'],
      } as InstanceSummary;
    };
    const bottom = sliceSection(slice('CT0001.dcm'), region!);
    expect(bottom).toHaveLength(4);
    for (const p of bottom) expect(p[2]).toBeCloseTo(0, 6);
    expect(sliceSection(slice('CT0108.dcm'), region!)).toEqual([]);
    // Without geometry (a photo, a stripped file) there is no plane to cut.
    expect(sliceSection({} as InstanceSummary, region!)).toEqual([]);
  });

  it('an oblique plane through the centre cuts a convex hexagon whose vertices lie on the plane and on the box', () => {
    const box: Box3 = { min: [-60, -120, 0], max: [80, -20, 110] };
    const centre: Vec3 = [10, -70, 55];
    const normal: Vec3 = [1, 1, 1];
    const section = planeBoxSection(box, centre, normal);
    expect(section).toHaveLength(6);
    for (const p of section) {
      expect((p[0] - centre[0] + p[1] - centre[1] + p[2] - centre[2]) / Math.sqrt(3)).toBeCloseTo(0, 6);
      const onFace = [0, 1, 2].some((k) => Math.abs(p[k]! - box.min[k]!) < 1e-6 || Math.abs(p[k]! - box.max[k]!) < 1e-6);
      expect(onFace).toBe(true);
    }
    // Convex and in order: every turn has the same sign along the normal.
    const turns = section.map((a, i) => {
      const b = section[(i + 1) % 6]!;
      const c = section[(i + 2) % 6]!;
      const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
      const v = [c[0] - b[0], c[1] - b[1], c[2] - b[2]];
      return (u[1]! * v[2]! - u[2]! * v[1]!) + (u[2]! * v[0]! - u[0]! * v[2]!) + (u[0]! * v[1]! - u[1]! * v[0]!);
    });
    expect(turns.every((t) => t > 0) || turns.every((t) => t < 0)).toBe(true);
    // Tangent to a face: the face itself; beyond it, nothing.
    expect(planeBoxSection(box, [0, 0, 110], [0, 0, 1])).toHaveLength(4);
    expect(planeBoxSection(box, [0, 0, 110.5], [0, 0, 1])).toEqual([]);
  });
});

describe('the 3D frame and camera', () => {
  const box: Box3 = { min: [-67.5, -121.5, -4], max: [79, -21, 109.8] };

  it('twelve bars of 8 points and 6 quads, each hugging one edge of the box', () => {
    const t = 2;
    const { points, polys } = frameBars(box, t);
    expect(points.length).toBe(12 * 8 * 3);
    expect(polys.length).toBe(12 * 6 * 5);
    for (let q = 0; q < polys.length; q += 5) {
      expect(polys[q]).toBe(4);
      for (let k = 1; k <= 4; k++) expect(polys[q + k]).toBeLessThan(96);
    }
    const corners = boxCorners(box);
    for (let bar = 0; bar < 12; bar++) {
      const bounds = [0, 1, 2].map((k) => {
        const values = Array.from({ length: 8 }, (_, i) => points[(bar * 8 + i) * 3 + k]!);
        return [Math.min(...values), Math.max(...values)] as const;
      });
      // Thin on two axes (the bar's cross-section), long on the third (the edge).
      const sizes = bounds.map(([lo, hi]) => hi - lo).sort((a, b) => a - b);
      expect(sizes[0]).toBeCloseTo(t, 4);
      expect(sizes[1]).toBeCloseTo(t, 4);
      expect(sizes[2]).toBeGreaterThan(100);
      // Its two ends are corners of the box.
      const centreOfSection = bounds.map(([lo, hi]) => (lo + hi) / 2);
      const touching = corners.filter((c) => c.every((v, k) => v >= bounds[k]![0] - 1e-3 && v <= bounds[k]![1] + 1e-3));
      expect(touching, `bar ${bar} at ${centreOfSection.join(',')}`).toHaveLength(2);
    }
  });

  it('the camera looks at the face from the front (−Y is anterior in LPS), head up, fitting the box', () => {
    const camera = anteriorCamera(box, 0.5, 800);
    expect(camera.focalPoint).toEqual([(box.min[0] + box.max[0]) / 2, (box.min[1] + box.max[1]) / 2, (box.min[2] + box.max[2]) / 2]);
    expect(camera.position[1]).toBeCloseTo(camera.focalPoint[1] - 800, 6);
    expect(camera.viewUp).toEqual([0, 0, 1]);
    // A tall narrow view: the width decides (146.5 mm across a view half as wide as tall).
    expect(camera.parallelScale * 2 * 0.5).toBeGreaterThan(box.max[0] - box.min[0]);
    expect(anteriorCamera(box, 4, 800).parallelScale * 2).toBeGreaterThan(box.max[2] - box.min[2]);
  });
});
