// Clean Recognizable Visual Features needs whole series: before any file is
// written, each series is read, checked for a face and defaced where one can be
// rebuilt (shared/export defaceSeries). Files then carry their part of it into
// the per-file work; a series that cannot be made face-free fails as a whole.
import { readDicom, type DicomFile } from '../../shared/dicom';
import { defaceSeries, failureReason, type FaceReport, type FileDeface } from '../../shared/export';
import { HumanFaceDetector } from '../detect/face/humanDetector';
import { registerNodeCodecs, registerNodeEncoders } from '../pixels/codecs';
import { readOriginalSync } from './exportFile';

export interface DefaceStage {
  /** Per input: the pixels to replace and the claim; inputs without an entry do not claim 113102. */
  byInput: Map<string, FileDeface>;
  /** Per input of a series that could not be made face-free: why (the file fails). */
  failed: Map<string, string>;
  /** One line per series for the report, with before/after renders. */
  faces: FaceReport[];
}

/** `series`: inputs grouped by Series Instance UID. Stops between series when `signal` aborts. */
export async function defaceStage(series: ReadonlyMap<string, readonly string[]>, signal?: AbortSignal): Promise<DefaceStage> {
  const stage: DefaceStage = { byInput: new Map(), failed: new Map(), faces: [] };
  let detector: HumanFaceDetector | undefined;
  try {
    await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
    for (const inputs of series.values()) {
      if (signal?.aborted) break;
      let files: DicomFile[];
      try {
        files = inputs.map((input) => readDicom(readOriginalSync(input)));
      } catch (error) {
        // The per-file pass reports unreadable files; the series is not checked.
        stage.faces.push({ input: inputs[0] ?? '', files: inputs.length, status: 'not-checked', reason: failureReason(error) });
        continue;
      }
      detector ??= await HumanFaceDetector.create();
      const result = await defaceSeries(inputs, files, detector);
      stage.faces.push(result.report);
      if (result.report.status === 'failed') {
        for (const input of inputs) stage.failed.set(input, `Clean Recognizable Visual Features: ${result.report.reason}`);
      }
      for (const [index, file] of result.files) stage.byInput.set(inputs[index]!, file);
    }
  } finally {
    await detector?.dispose();
  }
  return stage;
}
