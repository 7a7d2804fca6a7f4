// Independent readers for redacted outputs: dcmtk decompresses RLE, JPEG and JPEG-LS,
// GDCM decompresses JPEG 2000 (dcmtk's free build has no J2K); Veil then only reads
// native Explicit VR LE, which test/unit/pixels checks byte for byte against dcmdump.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { readDicom, writeDicom, type DicomFile } from '../../../shared/dicom';
import { decodeFrame, pixelInfo, type Frame } from '../../../shared/pixels';
import type { RedactionBox } from '../../../shared/redact';

export const workDir = mkdtempSync(join(tmpdir(), 'veil-redact-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
let counter = 0;

export function load(path: string): DicomFile {
  return readDicom(new Uint8Array(readFileSync(path)));
}

export function save(file: DicomFile, name = 'out.dcm'): string {
  const path = join(workDir, `${counter++}-${name}`);
  writeFileSync(path, writeDicom(file));
  return path;
}

export function rawFrames(file: DicomFile): Frame[] {
  const info = pixelInfo(file);
  return Array.from({ length: info.frames }, (_, f) => decodeFrame(file, f, { raw: true }, info));
}

const decompressors: Record<string, (input: string, output: string) => string[][]> = {
  '1.2.840.10008.1.2.5': (i, o) => [['dcmdrle', '+te', i, o]],
  '1.2.840.10008.1.2.4.80': (i, o) => [['dcmdjpls', '+te', i, o]],
  '1.2.840.10008.1.2.4.70': (i, o) => [['dcmdjpeg', '+te', i, o]],
  '1.2.840.10008.1.2.4.57': (i, o) => [['dcmdjpeg', '+te', i, o]],
  '1.2.840.10008.1.2.4.90': (i, o) => [['gdcmconv', '--raw', i, o]],
};

/** The file at `path` decompressed by dcmtk/GDCM (or converted by dcmconv when native) to native Explicit VR LE. */
export function referenceDecode(path: string): { file: DicomFile; path: string } {
  const file = load(path);
  const out = `${path}.ref.dcm`;
  const steps = decompressors[file.transferSyntaxUID]?.(path, out) ?? [['dcmconv', '+te', path, out]];
  for (const [tool, ...args] of steps) execFileSync(tool!, args, { stdio: 'ignore' });
  return { file: load(out), path: out };
}

/** Does pixel (x, y) of frame f fall in one of the boxes? */
export function inBoxes(boxes: ReadonlyArray<RedactionBox>, f: number, x: number, y: number): boolean {
  return boxes.some((b) => (b.frame === 'all' || b.frame === f) && x >= Math.floor(b.x) && x < Math.ceil(b.x + b.width) && y >= Math.floor(b.y) && y < Math.ceil(b.y + b.height));
}

/** Inside the boxes every sample is `black`; outside, every value equals `before`'s. */
export function expectFilled(before: Frame[], after: Frame[], boxes: ReadonlyArray<RedactionBox>, black: number[]): void {
  expect(after.length).toBe(before.length);
  before.forEach((b, f) => {
    const a = after[f]!;
    const { columns, rows, samples } = b;
    let outsideDiffs = 0;
    let insideWrong = 0;
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        const at = (y * columns + x) * samples;
        const inside = inBoxes(boxes, f, x, y);
        for (let s = 0; s < samples; s++) {
          if (inside) insideWrong += a.data[at + s] === black[s] ? 0 : 1;
          else outsideDiffs += a.data[at + s] === b.data[at + s] ? 0 : 1;
        }
      }
    }
    expect({ frame: f, outsideDiffs, insideWrong }).toEqual({ frame: f, outsideDiffs: 0, insideWrong: 0 });
  });
}

export const box = (x: number, y: number, width: number, height: number, frame: number | 'all' = 'all', image: RedactionBox['image'] = 'pixels'): RedactionBox => ({
  x,
  y,
  width,
  height,
  frame,
  image,
  origin: 'user',
  redact: true,
});
