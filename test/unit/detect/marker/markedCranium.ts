// The real Cranium CT with known markers placed in its skin (support.ts),
// written back as DICOM in the files' own stored values: the input of the CLI
// and end-to-end marker tests.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { segmentSkin, volumeFromSeries, type Volume } from '../../../../shared/detect/face';
import { readDicom, writeDicom } from '../../../../shared/dicom';
import { pixelInfo, replaceFrames } from '../../../../shared/pixels';
import { fixtures } from '../../../fixtures/paths';
import { placeMarkers, surfacePoints, type PlacementOptions, type PlacedMarker } from './support';

export interface MarkedCranium {
  original: Volume;
  marked: Volume;
  /** The markers a scanner resolves (dots of 2 mm or more, every ring and line). */
  placed: PlacedMarker[];
  /** Each written file's slice position (z, LPS mm), by file name. */
  zByFile: Map<string, number>;
}

export function writeMarkedCranium(dir: string, options: Omit<PlacementOptions, 'spacingMm'> & { spacingMm?: number }): MarkedCranium {
  const names = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort();
  const files = names.map((n) => readDicom(new Uint8Array(readFileSync(path.join(fixtures.craniumDicom, n)))));
  const built = volumeFromSeries(files);
  if (!built.ok) throw new Error(built.reason);
  const original = built.volume;
  const skin = segmentSkin(original);
  const result = placeMarkers(original, skin, surfacePoints(original, skin), { spacingMm: 40, ...options });
  const { dims, data, sources } = result.volume;
  const plane = dims[0] * dims[1];
  const zByFile = new Map<string, number>();
  mkdirSync(dir, { recursive: true });
  files.forEach((file, index) => {
    if (pixelInfo(file).pixelRepresentation === 0) throw new Error('Cranium is signed');
    const k = sources!.findIndex((s) => s.file === index);
    const slope = file.dataset.number('00281053') ?? 1;
    const intercept = file.dataset.number('00281052') ?? 0;
    const stored = new Int16Array(plane);
    for (let p = 0; p < plane; p++) stored[p] = Math.round((data[k * plane + p]! - intercept) / slope);
    replaceFrames(file, [stored]);
    zByFile.set(names[index]!, file.dataset.numbers('00200032')[2]!);
    writeFileSync(path.join(dir, names[index]!), writeDicom(file));
  });
  const placed = result.markers.filter((m) => m.thicknessMm >= 2 || m.shape !== 'dot');
  return { original, marked: result.volume, placed, zByFile };
}
