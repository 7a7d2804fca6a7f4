// Overlay planes: the real Siemens graphics overlay in nibabel's MR, and overlays the
// tests draw into real images (standalone, multi-frame, embedded in high bits).
// Oracle: dcmj2pnm in overlay "Replace" mode turns overlay pixels white (255) and
// leaves the rest as it renders them with overlays off.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataElement, setValue, Tags, writeDicom, type DicomFile } from '../../../shared/dicom';
import { clearOverlayBoxes, overlayMask, overlayPlanes, pixelInfo, removeOverlay, type OverlayPlane } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { dcmtkPnm, load, workDir } from './oracle';

const nibabelMr = join(fixtures.nibabel, 'slicethickness_empty_string.dcm');

/** The mask as dcmj2pnm shows it: pixels that overlay Replace mode turned white where the plain render is not. */
function expectMaskMatchesDcmtk(path: string, plane: OverlayPlane, mask: Uint8Array, imageFrame = 0): void {
  const info = pixelInfo(load(path));
  const plain = dcmtkPnm(path, imageFrame, ['-O', '+Wm']);
  const shown = dcmtkPnm(path, imageFrame, ['+O', '0', '+Omr', '+Wm']); // every plane: the files here have one
  let wrong = 0;
  for (let r = 0; r < plane.rows; r++) {
    for (let c = 0; c < plane.columns; c++) {
      const y = r + plane.origin.row - 1;
      const x = c + plane.origin.column - 1;
      if (y < 0 || x < 0 || y >= info.rows || x >= info.columns) continue;
      const i = y * info.columns + x;
      const expected = mask[r * plane.columns + c] ? 255 : plain[i];
      if (shown[i] !== expected) wrong++;
    }
  }
  expect(wrong).toBe(0);
}

function saveAs(file: DicomFile, name: string): string {
  const path = join(workDir, name);
  writeFileSync(path, writeDicom(file));
  return path;
}

/** A bitmap with letter-like strokes: what burned-in overlay text looks like. */
function strokes(rows: number, columns: number, seed: number): Uint8Array {
  const m = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const glyph = Math.floor(c / 8);
      const inGlyph = c % 8 < 6 && r % 12 < 9;
      const bar = (c % 8 === 0) || (r % 12 === (glyph + seed) % 9) || ((c + r + seed) % 7 === 0);
      m[r * columns + c] = inGlyph && bar ? 1 : 0;
    }
  }
  return m;
}

/** Pack 0/1 frames into OverlayData bits (LE bit order, bit-contiguous frames). */
function pack(frames: Uint8Array[]): Uint8Array {
  const n = frames.reduce((a, f) => a + f.length, 0);
  const out = new Uint8Array(Math.ceil(n / 16) * 2);
  let b = 0;
  for (const f of frames) for (const v of f) { if (v) out[b >> 3]! |= 1 << (b & 7); b++; }
  return out;
}

function addOverlay(file: DicomFile, group: string, rows: number, columns: number, origin: [number, number], frames: Uint8Array[], frameOrigin?: number): void {
  const ds = file.dataset;
  setValue(ds, `${group}0010`, rows, 'US');
  setValue(ds, `${group}0011`, columns, 'US');
  if (frames.length > 1) setValue(ds, `${group}0015`, String(frames.length), 'IS');
  setValue(ds, `${group}0040`, 'G', 'CS');
  setValue(ds, `${group}0050`, origin, 'SS');
  if (frameOrigin) setValue(ds, `${group}0051`, frameOrigin, 'US');
  setValue(ds, `${group}0100`, 1, 'US');
  setValue(ds, `${group}0102`, 0, 'US');
  ds.set(new DataElement(`${group}3000`, 'OW', pack(frames)));
}

describe('overlayPlanes and overlayMask', () => {
  it("finds the real Siemens graphics overlay in nibabel's MR and reads it as dcmj2pnm shows it", () => {
    const file = load(nibabelMr);
    const planes = overlayPlanes(file);
    expect(planes).toEqual([
      expect.objectContaining({ group: 0x6000, id: '6000', rows: 384, columns: 384, origin: { row: 1, column: 1 }, type: 'G', frames: 1, firstImageFrame: 1, embedded: false, description: 'Siemens MedCom Object Graphics' }),
    ]);
    const mask = overlayMask(file, planes[0]!);
    const ones = mask.reduce((a, v) => a + v, 0);
    expect(ones).toBeGreaterThan(100);
    // dcmtk has no JPEG 2000: GDCM decompresses, dcmj2pnm draws the overlay.
    const raw = join(workDir, 'nibabel-raw.dcm');
    execFileSync('gdcmconv', ['--raw', nibabelMr, raw], { stdio: 'ignore' });
    expectMaskMatchesDcmtk(raw, planes[0]!, mask);
  });

  it('an overlay drawn into the ankle CT with an origin inside the image', () => {
    const file = load(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'));
    const pattern = strokes(40, 200, 3);
    addOverlay(file, '6002', 40, 200, [30, 100], [pattern]);
    const path = saveAs(file, 'ankle-overlay.dcm');
    const [plane] = overlayPlanes(load(path));
    expect(plane).toMatchObject({ group: 0x6002, rows: 40, columns: 200, origin: { row: 30, column: 100 }, frames: 1 });
    const mask = overlayMask(load(path), plane!);
    expect(Array.from(mask)).toEqual(Array.from(pattern));
    expectMaskMatchesDcmtk(path, plane!, mask);
  });

  it('a multi-frame overlay (3 frames from image frame 2) on the 15-frame RT dose', () => {
    const file = load(join(fixtures.pydicom, 'rtdose.dcm'));
    const info = pixelInfo(file);
    const frames = [0, 1, 2].map((s) => strokes(info.rows, info.columns, s));
    addOverlay(file, '6000', info.rows, info.columns, [1, 1], frames, 2);
    const path = saveAs(file, 'rtdose-overlay.dcm');
    const [plane] = overlayPlanes(load(path));
    expect(plane).toMatchObject({ frames: 3, firstImageFrame: 2 });
    frames.forEach((f, k) => {
      const mask = overlayMask(load(path), plane!, k);
      expect(Array.from(mask)).toEqual(Array.from(f));
      expectMaskMatchesDcmtk(path, plane!, mask, 1 + k); // overlay frame k sits on image frame 2 + k (1-based)
    });
  });

  it('an overlay embedded in the unused high bits (bit 12 of a 12-bit MR) is detected and read', () => {
    const file = load(join(fixtures.heudiconv, 'axasc35.dcm'));
    const info = pixelInfo(file);
    const pattern = strokes(info.rows, info.columns, 5);
    const el = file.dataset.get(Tags.PixelData)!;
    const bytes = el.bytes.slice();
    pattern.forEach((v, i) => { if (v) bytes[2 * i + 1]! |= 1 << 4; }); // bit 12 = bit 4 of the high byte (LE)
    file.dataset.set(new DataElement(Tags.PixelData, el.vr, bytes));
    setValue(file.dataset, '60040010', info.rows, 'US');
    setValue(file.dataset, '60040011', info.columns, 'US');
    setValue(file.dataset, '60040040', 'G', 'CS');
    setValue(file.dataset, '60040050', [1, 1], 'SS');
    setValue(file.dataset, '60040100', 16, 'US');
    setValue(file.dataset, '60040102', 12, 'US');
    const path = saveAs(file, 'embedded-overlay.dcm');
    const [plane] = overlayPlanes(load(path));
    expect(plane).toMatchObject({ group: 0x6004, embedded: true, bitPosition: 12, bitsAllocated: 16 });
    const mask = overlayMask(load(path), plane!);
    expect(Array.from(mask)).toEqual(Array.from(pattern));
    expectMaskMatchesDcmtk(path, plane!, mask);
  });
});

describe('writing overlays back', () => {
  it('clearOverlayBoxes clears the real overlay inside a box only; dcmj2pnm agrees', () => {
    const file = load(nibabelMr);
    const [plane] = overlayPlanes(file);
    const before = overlayMask(file, plane!);
    const box = { x: 0, y: 0, width: 384, height: 60, frame: 0 as const };
    expect(clearOverlayBoxes(file, plane!, [box])).toEqual([0]);
    const after = overlayMask(file, plane!);
    for (let i = 0; i < after.length; i++) expect(after[i]).toBe(Math.floor(i / 384) < 60 ? 0 : before[i]);
    const path = saveAs(file, 'nibabel-cleared.dcm');
    const raw = join(workDir, 'nibabel-cleared-raw.dcm');
    execFileSync('gdcmconv', ['--raw', path, raw], { stdio: 'ignore' });
    expectMaskMatchesDcmtk(raw, plane!, after);
  });

  it('an embedded overlay is cleared in its bit only: the 12-bit values stay', () => {
    const file = load(join(fixtures.heudiconv, 'axasc35.dcm'));
    const original = file.dataset.get(Tags.PixelData)!.bytes.slice();
    const bytes = original.slice();
    for (let i = 1; i < bytes.length; i += 2) bytes[i]! |= 1 << 4;
    file.dataset.set(new DataElement(Tags.PixelData, 'OW', bytes));
    setValue(file.dataset, '60000010', 384, 'US');
    setValue(file.dataset, '60000011', 384, 'US');
    setValue(file.dataset, '60000100', 16, 'US');
    setValue(file.dataset, '60000102', 12, 'US');
    const [plane] = overlayPlanes(file);
    removeOverlay(file, plane!);
    expect(overlayPlanes(file)).toEqual([]);
    expect(Buffer.from(file.dataset.get(Tags.PixelData)!.bytes).equals(Buffer.from(original))).toBe(true);
  });

  it('removeOverlay drops the whole 60xx group', () => {
    const file = load(nibabelMr);
    removeOverlay(file, overlayPlanes(file)[0]!);
    expect([...file.dataset].some((el) => el.tag.startsWith('6000'))).toBe(false);
  });
});
