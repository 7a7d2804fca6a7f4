// Pixel edits that need whole series, made before any file is written: Clean
// Recognizable Visual Features (each series checked for a face and defaced
// where one can be rebuilt) and skin markers (found and filled). Both come out
// of one volume per series (shared/export seriesPixels); files then carry
// their part into the per-file work; a series that cannot be made clean fails
// as a whole.
import { readDicom, type DicomFile } from '../../shared/dicom';
import type { DefaceOptions } from '../../shared/deface';
import type { Vec3 } from '../../shared/detect/face';
import type { PaintedRegion } from '../../shared/detect/marker/painted';
import { failureReason, seriesPixels, type FaceReport, type FileDeface, type MarkerReport } from '../../shared/export';
import { HumanFaceDetector } from '../detect/face/humanDetector';
import { registerNodeCodecs, registerNodeEncoders } from '../pixels/codecs';
import { readOriginalSync } from './exportFile';

export interface PixelStageOptions {
  /** Clean Recognizable Visual Features, with how the face is filled. */
  deface?: { fill?: DefaceOptions['fill']; mask?: DefaceOptions['mask'] };
  /** Remove skin markers; `accepted`: per Series Instance UID the positions (LPS mm) to remove (absent: every one found). */
  markers?: { accepted?: ReadonlyMap<string, readonly Vec3[]>; painted?: ReadonlyMap<string, readonly PaintedRegion[]> };
}

export interface DefaceStage {
  /** Per input: the pixels to replace and the claim; inputs without an entry are copied as they are and do not claim 113102. */
  byInput: Map<string, FileDeface>;
  /** Per input of a series that could not be made clean: why (the file fails). */
  failed: Map<string, string>;
  /** One line per series for the report, with before/after renders (when defacing). */
  faces: FaceReport[];
  /** One line per series (when removing skin markers). */
  markers: MarkerReport[];
}

/** `series`: inputs grouped by Series Instance UID. Stops between series when `signal` aborts. */
export async function pixelStage(series: ReadonlyMap<string, readonly string[]>, options: PixelStageOptions, signal?: AbortSignal): Promise<DefaceStage> {
  const stage: DefaceStage = { byInput: new Map(), failed: new Map(), faces: [], markers: [] };
  let detector: HumanFaceDetector | undefined;
  try {
    await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
    for (const [uid, inputs] of series) {
      if (signal?.aborted) break;
      let files: DicomFile[];
      try {
        files = inputs.map((input) => readDicom(readOriginalSync(input)));
      } catch (error) {
        // The per-file pass reports unreadable files; the series is not checked.
        const line = { input: inputs[0] ?? '', files: inputs.length, status: 'not-checked' as const, reason: failureReason(error) };
        if (options.deface) stage.faces.push(line);
        if (options.markers) stage.markers.push(line);
        continue;
      }
      if (options.deface) detector ??= await HumanFaceDetector.create();
      const accepted = options.markers?.accepted;
      const result = await seriesPixels(inputs, files, {
        ...(options.deface && detector ? { deface: { detector, ...options.deface } } : {}),
        ...(options.markers ? { markers: { ...(accepted ? { accepted: accepted.get(uid) ?? [] } : {}), painted: options.markers.painted?.get(uid) ?? [] } } : {}),
      });
      if (result.face) stage.faces.push(result.face);
      if (result.markers) stage.markers.push(result.markers);
      if (result.failed) {
        for (const input of inputs) stage.failed.set(input, result.failed);
        continue;
      }
      for (const [index, file] of result.files) stage.byInput.set(inputs[index]!, file);
    }
  } finally {
    await detector?.dispose();
  }
  return stage;
}

/** Clean Recognizable Visual Features alone (the stage as it was first used). */
export function defaceStage(series: ReadonlyMap<string, readonly string[]>, signal?: AbortSignal): Promise<DefaceStage> {
  return pixelStage(series, { deface: {} }, signal);
}
