// Defacing (issue 5 target: ≤ 5 s for a 512×512×300 volume on 2 cores):
// face check (every view, renders kept) → mask → fill of the volume → the
// export's per-file frames → `redactMask` on every file (in memory) → proof
// (every view again). On the Cranium CT as stored (256²×108) and resampled in
// memory to 512²×300 (trilinear, same field of view), as 300 single-frame
// slices built from Cranium's own header. Memory: the process's resident set.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkFace, volumeFromSeries, type FaceDetector, type Volume } from '../../shared/detect/face';
import { defacedFrames, faceMask, fillPlan, fillVolume, proveDefaced } from '../../shared/deface';
import { readDicom, setValue, writeDicom, type DicomFile } from '../../shared/dicom';
import { redactMask } from '../../shared/redact';
import { HumanFaceDetector } from '../../main/detect/face/humanDetector';
import { fixtures } from '../fixtures/paths';

export interface DefaceRun {
  name: string;
  dims: [number, number, number];
  /** ms per stage: check, mask, fill, frames, write, proof. */
  stages: Record<string, number>;
  /** mask + fill + frames + write: the defacing itself (the checks are the face detector's). */
  defaceMs: number;
  maskVoxels: number;
  maskCm3: number;
  files: number;
  faceBefore: boolean;
  faceAfter: boolean;
  rssMB: number;
}

export interface DefaceFigures {
  detectorLoadMs: number;
  runs: DefaceRun[];
}

export function craniumFiles(): DicomFile[] {
  return readdirSync(fixtures.craniumDicom)
    .filter((n) => n.endsWith('.dcm'))
    .map((n) => readDicom(new Uint8Array(readFileSync(path.join(fixtures.craniumDicom, n)))));
}

export function volumeOf(files: DicomFile[]): Volume {
  const built = volumeFromSeries(files);
  if (!built.ok) throw new Error(built.reason);
  return built.volume;
}

/** Cranium resampled (trilinear) to nx × ny × nz over the same extent, as single-frame slices in memory. */
export function resampledSlices(files: DicomFile[], source: Volume, nx: number, ny: number, nz: number): DicomFile[] {
  const [sx, sy, sz] = source.dims;
  const spacing = [((sx - 1) * source.spacing[0]) / (nx - 1), ((sy - 1) * source.spacing[1]) / (ny - 1), ((sz - 1) * source.spacing[2]) / (nz - 1)];
  const template = files[source.sources![0]!.file]!;
  const out: DicomFile[] = [];
  const plane = sx * sy;
  for (let k = 0; k < nz; k++) {
    const z = (k * (sz - 1)) / (nz - 1);
    const z0 = Math.min(sz - 2, Math.floor(z));
    const fz = z - z0;
    const pixels = new Int16Array(nx * ny);
    for (let j = 0; j < ny; j++) {
      const y = (j * (sy - 1)) / (ny - 1);
      const y0 = Math.min(sy - 2, Math.floor(y));
      const fy = y - y0;
      for (let i = 0; i < nx; i++) {
        const x = (i * (sx - 1)) / (nx - 1);
        const x0 = Math.min(sx - 2, Math.floor(x));
        const fx = x - x0;
        const p = z0 * plane + y0 * sx + x0;
        const d = source.data;
        const c00 = d[p]! + (d[p + 1]! - d[p]!) * fx;
        const c10 = d[p + sx]! + (d[p + sx + 1]! - d[p + sx]!) * fx;
        const c01 = d[p + plane]! + (d[p + plane + 1]! - d[p + plane]!) * fx;
        const c11 = d[p + plane + sx]! + (d[p + plane + sx + 1]! - d[p + plane + sx]!) * fx;
        const c0 = c00 + (c10 - c00) * fy;
        const c1 = c01 + (c11 - c01) * fy;
        pixels[j * nx + i] = Math.round(c0 + (c1 - c0) * fz);
      }
    }
    const file = readDicom(writeDicom(template));
    const ds = file.dataset;
    const position = source.origin.map((o, a) => o + source.axes[2][a]! * k * spacing[2]!);
    setValue(ds, 'SOPInstanceUID', `2.25.${1000 + k}`);
    setValue(ds, 'InstanceNumber', k + 1);
    setValue(ds, 'Rows', ny, 'US');
    setValue(ds, 'Columns', nx, 'US');
    setValue(ds, 'PixelSpacing', [spacing[1]!.toFixed(6), spacing[0]!.toFixed(6)].join('\\'), 'DS');
    setValue(ds, 'ImagePositionPatient', position.map((v) => v.toFixed(4)).join('\\'), 'DS');
    setValue(ds, 'SliceThickness', spacing[2]!.toFixed(4), 'DS');
    setValue(ds, 'PixelData', new Uint8Array(pixels.buffer), 'OW');
    out.push(file);
  }
  return out;
}

async function run(name: string, files: DicomFile[], detector: FaceDetector): Promise<DefaceRun> {
  const stages: Record<string, number> = {};
  const timed = async <T>(stage: string, f: () => T | Promise<T>): Promise<T> => {
    const t = performance.now();
    const out = await f();
    stages[stage] = performance.now() - t;
    return out;
  };
  const volume = await timed('volume', () => volumeOf(files));
  const check = await timed('check', () => checkFace(volume, detector, { allViews: true, keepRenders: true }));
  const mask = await timed('mask', () => faceMask(volume, check));
  const plan = fillPlan(volume);
  const defaced = await timed('fill', () => fillVolume(volume, mask, plan));
  const perFile = await timed('frames', () => defacedFrames(files, volume, mask, plan));
  await timed('write', () => {
    for (const entry of perFile) redactMask(files[entry.index]!, entry.frames);
  });
  const proof = await timed('proof', () => proveDefaced(volume, defaced, detector));
  return {
    name,
    dims: volume.dims,
    stages,
    defaceMs: stages.mask! + stages.fill! + stages.frames! + stages.write!,
    maskVoxels: mask.voxels,
    maskCm3: mask.volumeMm3 / 1000,
    files: perFile.length,
    faceBefore: check.reconstructable,
    faceAfter: !proof.faceFree,
    rssMB: process.memoryUsage().rss / 2 ** 20,
  };
}

export async function benchDeface(): Promise<DefaceFigures> {
  const t = performance.now();
  const detector = await HumanFaceDetector.create();
  const detectorLoadMs = performance.now() - t;
  const runs: DefaceRun[] = [];
  try {
    const files = craniumFiles();
    await run('warm-up', files, detector);
    runs.push(await run('Cranium CT 256²×108', files, detector));
    const big = resampledSlices(files, volumeOf(files), 512, 512, 300);
    runs.push(await run('Cranium resampled 512²×300', big, detector));
  } finally {
    await detector.dispose();
  }
  return { detectorLoadMs, runs };
}

export function printDeface(f: DefaceFigures): void {
  console.log(`\nDefacing (face check every view → mask → fill → per-file frames → redactMask → proof; detector load ${f.detectorLoadMs.toFixed(0)} ms once)`);
  for (const r of f.runs) {
    const stages = Object.entries(r.stages)
      .map(([stage, ms]) => `${stage} ${ms.toFixed(0)}`)
      .join(', ');
    console.log(
      `  ${r.name.padEnd(28)} deface ${(r.defaceMs / 1000).toFixed(2).padStart(5)} s  mask ${r.maskVoxels} voxels (${r.maskCm3.toFixed(0)} cm³) in ${r.files} files  face before ${r.faceBefore ? 'yes' : 'no'}, after ${r.faceAfter ? 'YES' : 'no'}  RSS ${r.rssMB.toFixed(0)} MB`,
    );
    console.log(`  ${''.padEnd(28)} ms: ${stages}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printDeface(await benchDeface());
