// Groups files into patient → study → series → instances (the shape of
// OpenResult), reading headers only (stops before Pixel Data).
import type {
  InstanceSummary,
  OpenResult,
  PatientSummary,
  SeriesSummary,
  SkippedInput,
  StudySummary,
} from '../api/contract';
import type { Dataset } from './dataset';
import { isDicomdirFile } from './dicomdir';
import { DicomReadError } from './errors';
import { readDicom } from './reader';
import { Tags } from './tag';

/** Incrementally groups files into patient → study → series. */
export interface StudyIndexBuilder {
  /** Parses the header of `bytes`; unreadable files are recorded as skipped. */
  add(fileId: string, displayPath: string, bytes: Uint8Array): void;
  skip(entry: SkippedInput): void;
  result(source: string): OpenResult;
}

interface SeriesEntry {
  summary: SeriesSummary;
  /** SOP Instance UID → display path of the file that brought it first. */
  seen: Map<string, string>;
}
interface StudyEntry {
  summary: StudySummary;
  series: Map<string, SeriesEntry>;
}
interface PatientEntry {
  summary: PatientSummary;
  studies: Map<string, StudyEntry>;
}

export function createStudyIndexBuilder(): StudyIndexBuilder {
  const patients = new Map<string, PatientEntry>();
  const skipped: SkippedInput[] = [];

  function add(fileId: string, displayPath: string, bytes: Uint8Array): void {
    let dataset: Dataset;
    let transferSyntaxUID: string;
    let sopClassFromMeta = '';
    try {
      const file = readDicom(bytes, { headerOnly: true });
      if (isDicomdirFile(file)) {
        skipped.push({ displayPath, reason: 'DICOMDIR: a directory of other files, not an image itself.' });
        return;
      }
      dataset = file.dataset;
      transferSyntaxUID = file.transferSyntaxUID;
      sopClassFromMeta = file.meta.string(Tags.MediaStorageSOPClassUID);
    } catch (error) {
      const reason = error instanceof DicomReadError ? error.message : `Could not be read: ${String(error)}`;
      skipped.push({ displayPath, reason });
      return;
    }
    const studyUID = dataset.string(Tags.StudyInstanceUID);
    const seriesUID = dataset.string(Tags.SeriesInstanceUID);
    const sopInstanceUID = dataset.string(Tags.SOPInstanceUID);
    if (!studyUID && !seriesUID && !sopInstanceUID) {
      skipped.push({ displayPath, reason: 'DICOM data without study, series or instance UIDs (not a stored instance).' });
      return;
    }
    const patient = patientFor(dataset);
    const study = studyFor(patient, dataset, studyUID || `unknown-study:${fileId}`);
    const series = seriesFor(study, dataset, seriesUID || `unknown-series:${studyUID || fileId}`);
    // The same instance twice (a copy, or the same slice in another encoding) would show a slice twice.
    const firstPath = sopInstanceUID ? series.seen.get(sopInstanceUID) : undefined;
    if (firstPath !== undefined) {
      skipped.push({ displayPath, reason: `Same image (SOP Instance UID) as ${firstPath}; shown once.` });
      return;
    }
    if (sopInstanceUID) series.seen.set(sopInstanceUID, displayPath);
    series.summary.instances.push(instanceOf(dataset, fileId, displayPath, bytes.length, transferSyntaxUID, sopClassFromMeta));
  }

  function patientFor(dataset: Dataset): PatientEntry {
    const patientID = dataset.string(Tags.PatientID);
    const patientName = dataset.string(Tags.PatientName);
    const patientBirthDate = dataset.string(Tags.PatientBirthDate);
    const key = patientID || `${patientName}|${patientBirthDate}`;
    let entry = patients.get(key);
    if (!entry) {
      entry = {
        summary: {
          key,
          patientName,
          patientID,
          patientBirthDate,
          patientSex: dataset.string(Tags.PatientSex),
          studies: [],
        },
        studies: new Map(),
      };
      patients.set(key, entry);
    }
    return entry;
  }

  function studyFor(patient: PatientEntry, dataset: Dataset, uid: string): StudyEntry {
    let entry = patient.studies.get(uid);
    if (!entry) {
      entry = {
        summary: {
          studyInstanceUID: uid,
          studyDate: dataset.string(Tags.StudyDate),
          studyDescription: dataset.string(Tags.StudyDescription),
          accessionNumber: dataset.string(Tags.AccessionNumber),
          series: [],
        },
        series: new Map(),
      };
      patient.studies.set(uid, entry);
    }
    return entry;
  }

  function seriesFor(study: StudyEntry, dataset: Dataset, uid: string): SeriesEntry {
    let entry = study.series.get(uid);
    if (!entry) {
      entry = {
        summary: {
          seriesInstanceUID: uid,
          modality: dataset.string(Tags.Modality),
          seriesNumber: dataset.number(Tags.SeriesNumber),
          seriesDescription: dataset.string(Tags.SeriesDescription),
          bodyPartExamined: dataset.string(Tags.BodyPartExamined) || undefined,
          instances: [],
        },
        seen: new Map(),
      };
      study.series.set(uid, entry);
    }
    return entry;
  }

  function result(source: string): OpenResult {
    const out: PatientSummary[] = [];
    for (const patient of patients.values()) {
      const studies = [...patient.studies.values()].map((study) => {
        const series = [...study.series.values()].map((s) => ({
          ...s.summary,
          instances: sortInstances(s.summary.instances),
        }));
        series.sort((a, b) => (a.seriesNumber ?? Infinity) - (b.seriesNumber ?? Infinity));
        return { ...study.summary, series };
      });
      studies.sort((a, b) => a.studyDate.localeCompare(b.studyDate));
      out.push({ ...patient.summary, studies });
    }
    return { source, patients: out, skipped: [...skipped] };
  }

  return { add, skip: (entry) => skipped.push(entry), result };
}

function triple(values: number[]): [number, number, number] | undefined {
  return values.length >= 3 && values.slice(0, 3).every(Number.isFinite) ? [values[0], values[1], values[2]] : undefined;
}

function instanceOf(
  dataset: Dataset,
  fileId: string,
  displayPath: string,
  sizeBytes: number,
  transferSyntaxUID: string,
  sopClassFromMeta: string,
): InstanceSummary {
  const orientation = dataset.numbers(Tags.ImageOrientationPatient);
  return {
    fileId,
    displayPath,
    sizeBytes,
    sopInstanceUID: dataset.string(Tags.SOPInstanceUID),
    sopClassUID: dataset.string(Tags.SOPClassUID) || sopClassFromMeta,
    transferSyntaxUID,
    instanceNumber: dataset.number(Tags.InstanceNumber),
    numberOfFrames: dataset.number(Tags.NumberOfFrames) ?? 1,
    rows: dataset.number(Tags.Rows),
    columns: dataset.number(Tags.Columns),
    imagePositionPatient: triple(dataset.numbers(Tags.ImagePositionPatient)),
    imageOrientationPatient:
      orientation.length >= 6 && orientation.slice(0, 6).every(Number.isFinite)
        ? (orientation.slice(0, 6) as [number, number, number, number, number, number])
        : undefined,
    hasPixels:
      dataset.has(Tags.PixelData) || dataset.has(Tags.FloatPixelData) || dataset.has(Tags.DoubleFloatPixelData),
  };
}

/** Along the slice normal (row × column direction cosines) when every instance has geometry, else by InstanceNumber. */
export function sortInstances(instances: InstanceSummary[]): InstanceSummary[] {
  const sorted = [...instances];
  const byNumber = (a: InstanceSummary, b: InstanceSummary) =>
    (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity) || a.displayPath.localeCompare(b.displayPath);
  const first = sorted.find((i) => i.imageOrientationPatient)?.imageOrientationPatient;
  if (first && sorted.every((i) => i.imagePositionPatient && i.imageOrientationPatient)) {
    const [rx, ry, rz, cx, cy, cz] = first;
    const normal = [ry * cz - rz * cy, rz * cx - rx * cz, rx * cy - ry * cx];
    const distance = (i: InstanceSummary) => {
      const p = i.imagePositionPatient!;
      return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
    };
    return sorted.sort((a, b) => distance(a) - distance(b) || byNumber(a, b));
  }
  return sorted.sort(byNumber);
}
