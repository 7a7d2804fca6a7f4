// The bench's big series: the Cranium CT resampled along z to 500 slices by
// linear interpolation, written by Veil's own writer into the fixture cache
// (outside git). Same 256² slices and in-plane spacing; the first and last
// slice keep their positions, so the new spacing is 107 × 1.5 mm / 499.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tags, createFile, readDicom, setValue, uidFromName, writeDicom, type DicomFile } from '../../shared/dicom';
import { fixtures } from '../fixtures/paths';

/** Bump when the output changes, so a stale cache is rebuilt. */
const version = 'cranium-resampled-v1';

interface SourceSlice {
  file: DicomFile;
  z: number;
  pixels: Int16Array;
}

function readSlices(directory: string): SourceSlice[] {
  const names = readdirSync(directory).filter((name) => name.endsWith('.dcm'));
  if (names.length < 2) throw new Error(`${directory}: no Cranium series (run \`npm run fixtures\`)`);
  return names
    .map((name) => {
      const file = readDicom(new Uint8Array(readFileSync(join(directory, name))));
      const bytes = file.dataset.get(Tags.PixelData)?.bytes;
      // (0028,0103) PixelRepresentation 1: signed, as Cranium is written.
      if (!bytes || file.dataset.number('00280103') !== 1) throw new Error(`${name}: expected signed 16-bit native pixels`);
      // Copy: the element's bytes may sit at an odd offset inside the file buffer.
      const pixels = new Int16Array(bytes.slice().buffer);
      return { file, z: file.dataset.numbers(Tags.ImagePositionPatient)[2], pixels };
    })
    .sort((a, b) => a.z - b.z);
}

/** Resamples the Cranium series to `count` slices; returns the file paths (inferior first). Cached in `outDir`. */
export function resampledCranium(count = 500, source = fixtures.craniumDicom, outDir = join(fixtures.root, 'bench', `cranium-${count}`)): string[] {
  const stamp = join(outDir, 'VERSION');
  const list = () =>
    readdirSync(outDir)
      .filter((name) => name.endsWith('.dcm'))
      .sort()
      .map((name) => join(outDir, name));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === version && list().length === count) return list();

  const slices = readSlices(source);
  const first = slices[0];
  const last = slices[slices.length - 1];
  const spacing = (last.z - first.z) / (count - 1);
  const root = `veil-bench/cranium-${count}`;
  const studyUID = uidFromName(`${root}/study`);
  const seriesUID = uidFromName(`${root}/series`);
  const frameUID = uidFromName(`${root}/frame-of-reference`);
  const [x, y] = first.file.dataset.numbers(Tags.ImagePositionPatient);
  const round = (v: number) => Number(v.toFixed(6));

  const work = `${outDir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  let below = 0;
  for (let k = 0; k < count; k++) {
    const z = first.z + k * spacing;
    while (below < slices.length - 2 && slices[below + 1].z <= z) below++;
    const a = slices[below];
    const b = slices[below + 1];
    const t = Math.min(1, Math.max(0, (z - a.z) / (b.z - a.z)));
    const pixels = new Int16Array(a.pixels.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(a.pixels[i] + t * (b.pixels[i] - a.pixels[i]));

    // Every other attribute as in the nearer source slice (same patient, same window).
    const template = readDicom(writeDicom((t < 0.5 ? a : b).file));
    const ds = template.dataset;
    const sopInstanceUID = uidFromName(`${root}/instance/${k + 1}`);
    setValue(ds, 'SOPInstanceUID', sopInstanceUID);
    setValue(ds, 'StudyInstanceUID', studyUID);
    setValue(ds, 'SeriesInstanceUID', seriesUID);
    setValue(ds, 'FrameOfReferenceUID', frameUID);
    setValue(ds, 'StudyID', 'BENCH500');
    setValue(ds, 'StudyDescription', 'CRANIUM HEAD CT (resampled for the bench)');
    setValue(ds, 'SeriesDescription', `Cranium resampled ${count} slices ${spacing.toFixed(3)} mm`);
    setValue(ds, 'SeriesNumber', 2);
    setValue(ds, 'InstanceNumber', k + 1);
    setValue(ds, 'ImagePositionPatient', [round(x), round(y), round(z)]);
    setValue(ds, 'SliceLocation', round(z));
    setValue(ds, 'SliceThickness', round(spacing));
    setValue(ds, 'PixelData', new Uint8Array(pixels.buffer), 'OW');
    const file = createFile(ds, { sopClassUID: ds.string(Tags.SOPClassUID), sopInstanceUID });
    writeFileSync(join(work, `CT${String(k + 1).padStart(4, '0')}.dcm`), writeDicom(file));
  }
  writeFileSync(join(work, 'VERSION'), version);
  rmSync(outDir, { recursive: true, force: true });
  renameSync(work, outDir);
  return list();
}
