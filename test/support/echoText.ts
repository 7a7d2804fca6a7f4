// The real echo cine with lines of text drawn the same into every frame, in the
// palette index nearest each line's colour (as a device burns text into a cine).
import { createCanvas } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDicom, type DicomFile } from '../../shared/dicom';
import { decodeFrame, expandPalette, pixelInfo, replaceFrames } from '../../shared/pixels';
import { fixtures } from '../fixtures/paths';

export interface DrawnLine {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  colour: readonly [number, number, number];
}

export const readEcho = (): DicomFile => readDicom(new Uint8Array(readFileSync(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'))));

/** The palette index whose colour is nearest to `rgb`. */
function nearestIndex(file: DicomFile, rgb: readonly number[]): number {
  const lut = expandPalette(file, pixelInfo(file), Uint8Array.from({ length: 256 }, (_, i) => i));
  const shift = lut instanceof Uint16Array ? 8 : 0;
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < 256; i++) {
    const d = rgb.reduce((sum, c, j) => sum + ((lut[3 * i + j]! >> shift) - c) ** 2, 0);
    if (d < bestDistance) [best, bestDistance] = [i, d];
  }
  return best;
}

/** The echo with `lines` in every frame (binary glyphs, DejaVu Sans); each line's glyph pixel indices. Needs the native codecs registered. */
export function echoWithText(lines: readonly DrawnLine[]): { file: DicomFile; glyphs: number[][] } {
  const file = readEcho();
  const info = pixelInfo(file);
  const glyphs = lines.map((line) => {
    const canvas = createCanvas(info.columns, info.rows);
    const context = canvas.getContext('2d');
    context.font = `${line.size}px "DejaVu Sans"`;
    context.fillStyle = 'white';
    context.fillText(line.text, line.x, line.y);
    const alpha = context.getImageData(0, 0, info.columns, info.rows).data;
    return Array.from({ length: info.rows * info.columns }, (_, i) => i).filter((i) => alpha[4 * i + 3]! > 110);
  });
  const indices = lines.map((line) => nearestIndex(file, line.colour));
  const frames = Array.from({ length: info.frames }, (_, k) => {
    const frame = decodeFrame(file, k, { raw: true }, info);
    lines.forEach((_, j) => {
      for (const i of glyphs[j]!) frame.data[i] = indices[j]!;
    });
    return frame;
  });
  replaceFrames(file, frames);
  return { file, glyphs };
}
