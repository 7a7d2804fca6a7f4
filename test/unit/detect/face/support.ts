// Shared by the face tests and the face bench: load a series, write a render
// as PNG (to look at), deface a copy of a volume.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { readDicom, type DicomFile } from '../../../../shared/dicom';
import { patientToVoxel, volumeFromSeries, type RgbaImage, type Vec3, type Volume } from '../../../../shared/detect/face';
import { decodeFrame, pixelInfo, toDisplay8 } from '../../../../shared/pixels';
import { rgbaFromDisplay } from '../../../../shared/detect/face';
import { allFiles } from '../../../support/files';

export function readSeries(input: string): DicomFile[] {
  const paths = statSync(input).isDirectory() ? allFiles(input).filter((p) => p.endsWith('.dcm')) : [input];
  return paths.map((p) => readDicom(new Uint8Array(readFileSync(p))));
}

export function loadVolume(input: string): Volume {
  const result = volumeFromSeries(readSeries(input));
  if (!result.ok) throw new Error(`${input}: ${result.reason}`);
  return result.volume;
}

/** First frame of a file (or of its icon) as RGBA with the file's own window. */
export function pictureOf(file: DicomFile, frame = 0): RgbaImage {
  const info = pixelInfo(file);
  return rgbaFromDisplay(toDisplay8(decodeFrame(file, frame, {}, info), info));
}

/** Where renders are written for a person to look at. */
export const renderFolder = path.join(tmpdir(), 'veil-face-renders');

export function savePng(name: string, image: RgbaImage): string {
  mkdirSync(renderFolder, { recursive: true });
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  const data = context.createImageData(image.width, image.height);
  data.data.set(image.data);
  context.putImageData(data, 0, 0);
  const file = path.join(renderFolder, `${name}.png`);
  writeFileSync(file, canvas.toBuffer('image/png'));
  return file;
}

/**
 * A crude synthetic defacing for calibration: every voxel in front of a
 * coronal plane `behindEyesMm` behind the eyes' surface, from the volume's
 * bottom up to `aboveEyesMm` above the eyes, becomes `air`.
 */
export function defaced(volume: Volume, eyes: Vec3, air: number, behindEyesMm = 10, aboveEyesMm = 25): Volume {
  const data = volume.data.slice();
  const [nx, ny, nz] = volume.dims;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        // LPS: anterior is −Y, superior +Z.
        const p = [0, 1, 2].map((a) => volume.origin[a]! + volume.axes[0][a]! * i * volume.spacing[0] + volume.axes[1][a]! * j * volume.spacing[1] + volume.axes[2][a]! * k * volume.spacing[2]);
        if (p[1]! < eyes[1] + behindEyesMm && p[2]! < eyes[2] + aboveEyesMm) data[(k * ny + j) * nx + i] = air;
      }
  return { ...volume, data };
}

/** The slab of a volume from a patient height (mm, LPS z) upwards: a head without its face. */
export function slabAbove(volume: Volume, zMm: number): Volume {
  const [nx, ny, nz] = volume.dims;
  const first = Math.max(0, Math.min(nz, Math.ceil(patientToVoxel(volume, [volume.origin[0], volume.origin[1], zMm])[2])));
  const plane = nx * ny;
  const origin = [0, 1, 2].map((a) => volume.origin[a]! + volume.axes[2][a]! * first * volume.spacing[2]) as Vec3;
  return { ...volume, data: volume.data.slice(first * plane), dims: [nx, ny, nz - first], origin };
}

/**
 * The same head stored as sagittal slices (columns → posterior, rows →
 * inferior, slices → patient's left): same patient-space geometry, different
 * voxel order, as an MR acquired sagittally would be.
 */
export function asSagittal(volume: Volume): Volume {
  const [nx, ny, nz] = volume.dims;
  const data = new (volume.data.constructor as Int16ArrayConstructor)(volume.data.length);
  // New indices: i' = j (along +Y), j' = nz − 1 − k (along −Z), k' = i (along +X).
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) data[(i * nz + (nz - 1 - k)) * ny + j] = volume.data[(k * ny + j) * nx + i]!;
  const [a, b, c] = volume.axes;
  const top = [0, 1, 2].map((d) => volume.origin[d]! + c[d]! * (nz - 1) * volume.spacing[2]) as Vec3;
  return {
    ...volume,
    data,
    dims: [ny, nz, nx],
    spacing: [volume.spacing[1], volume.spacing[2], volume.spacing[0]],
    origin: top,
    axes: [b, [-c[0], -c[1], -c[2]], a],
  };
}
