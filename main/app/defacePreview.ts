// "Show it defaced" for one open series: the export's own defacing (face check,
// mask, fill, proof with the offline detector) run on the original files in the
// scan worker, and the replaced voxels sent to the viewer, which shows them in
// place of its own (before / after). Nothing is written anywhere.
import type { FileId } from '../../shared/api/contract';
import { defaceVolume, previewSlices, type DefacePreview, type FillMethod } from '../../shared/deface';
import { volumeFromSeries } from '../../shared/detect/face';
import { readDicom, Tags } from '../../shared/dicom';
import { HumanFaceDetector } from '../detect/face/humanDetector';
import { defacePreviewInWorker } from '../detect/scanHost';
import type { FileRegistry } from '../files/registry';
import { readOriginal } from '../files/readOnly';
import { InvalidRequestError } from '../ipc/invalidRequest';
import { registerNodeCodecs } from '../pixels/codecs';

export interface DefacePreviewOptions {
  fill?: FillMethod;
  ears?: boolean;
}

export type PreviewDeface = (fileIds: readonly FileId[], options?: DefacePreviewOptions) => Promise<DefacePreview>;

/** `scanWorker`: the bundled worker script (default: the TypeScript one through tsx). */
export function createDefacePreview(options: { registry: Pick<FileRegistry, 'pathOf'>; scanWorker?: URL }): PreviewDeface {
  return async (fileIds, wanted = {}) => {
    const paths = fileIds.map((id) => {
      const filePath = options.registry.pathOf(id);
      if (!filePath) throw new InvalidRequestError('Unknown file id');
      return filePath;
    });
    // Seconds of rendering and detection: off main's event loop.
    return defacePreviewInWorker(paths, { fill: wanted.fill, ears: wanted.ears }, options.scanWorker);
  };
}

/** The preview itself, run in the worker on the originals' paths. */
export async function previewDefaceFiles(paths: readonly string[], wanted: DefacePreviewOptions = {}): Promise<DefacePreview> {
  await registerNodeCodecs();
  const files = await Promise.all(paths.map(async (filePath) => readDicom(await readOriginal(filePath))));
  const uids = new Set(files.map((f) => f.dataset.string(Tags.SeriesInstanceUID)));
  if (uids.size !== 1) throw new InvalidRequestError('defacePreview takes the files of one series');
  const seriesInstanceUID = [...uids][0]!;
  const base = { seriesInstanceUID, voxels: 0, dims: [0, 0, 0] as [number, number, number], slices: [] };
  const built = volumeFromSeries(files);
  if (!built.ok) return { ...base, status: 'not-checked', reason: `not a volume (${built.reason})` };
  const detector = await HumanFaceDetector.create();
  try {
    const result = await defaceVolume(built.volume, detector, { fill: wanted.fill ? { method: wanted.fill } : {}, mask: wanted.ears ? { ears: true } : {} });
    const dims = [...built.volume.dims] as [number, number, number];
    if (!result.before.eligible) return { ...base, dims, status: 'not-checked', reason: 'not a head volume' };
    if (result.noFace) return { ...base, dims, status: 'no-face', reason: 'no face found in renders from every view' };
    const { slices, voxels } = previewSlices(built.volume, result.volume);
    const faceFree = result.proof?.faceFree === true;
    return {
      seriesInstanceUID,
      status: faceFree ? 'defaced' : 'failed',
      reason: faceFree ? `face replaced (${voxels} voxels); no face found in renders from every view afterwards` : 'a face was still found after defacing',
      voxels,
      dims,
      slices,
    };
  } finally {
    await detector.dispose();
  }
}
