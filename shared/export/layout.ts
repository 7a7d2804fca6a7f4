// Where each exported file goes: VEIL/Pnnnn/STnnn/SEnnn/IMnnnnn. Every path
// component is a DICOMDIR-compatible File ID component (PS3.10 8.2: at most 8
// characters from A–Z, 0–9 and _, at most 8 components), which is why exported
// files have no ".dcm" extension. Folder names are counters, never values from
// the headers: a folder name must not carry anything identifying.

/** Root folder of the DICOM part of an export; the DICOMDIR sits next to it. */
export const exportRoot = 'VEIL';
export const dicomdirName = 'DICOMDIR';

/** The header values that place one input in the patient / study / series tree. */
export interface PlacementKey {
  /** Opaque, stable keys (e.g. original PatientID + name, Study/Series UIDs); not written anywhere. */
  patient: string;
  study: string;
  series: string;
  instanceNumber?: number;
}

export interface PlannedFile<T> {
  item: T;
  /** File ID components, e.g. ["VEIL", "P0001", "ST001", "SE001", "IM00001"]. */
  fileId: string[];
}

const fileIdComponent = /^[A-Z0-9_]{1,8}$/;

export function isFileIdComponent(component: string): boolean {
  return fileIdComponent.test(component);
}

/** "P" + n zero-padded to `width`, widened as far as 8 characters allow. */
function counterName(prefix: string, n: number, width: number): string {
  const digits = String(n).padStart(width, '0');
  const name = prefix + digits;
  if (name.length > 8) throw new Error(`Too many entries for a File ID component: ${prefix}${n}.`);
  return name;
}

/**
 * Assigns every item its File ID. Patients, studies and series are numbered in
 * order of first appearance; instances by InstanceNumber, then input order, so
 * the same inputs always get the same names (an interrupted export resumes onto
 * the same paths).
 */
export function planLayout<T>(items: readonly T[], keyOf: (item: T) => PlacementKey): PlannedFile<T>[] {
  const patients = new Map<string, Map<string, Map<string, number[]>>>();
  const keys = items.map(keyOf);
  keys.forEach((key, index) => {
    let studies = patients.get(key.patient);
    if (!studies) patients.set(key.patient, (studies = new Map()));
    let series = studies.get(key.study);
    if (!series) studies.set(key.study, (series = new Map()));
    let members = series.get(key.series);
    if (!members) series.set(key.series, (members = []));
    members.push(index);
  });

  const planned = new Array<PlannedFile<T>>(items.length);
  let p = 0;
  for (const studies of patients.values()) {
    const patientName = counterName('P', ++p, 4);
    let s = 0;
    for (const seriesMap of studies.values()) {
      const studyName = counterName('ST', ++s, 3);
      let se = 0;
      for (const members of seriesMap.values()) {
        const seriesName = counterName('SE', ++se, 3);
        const ordered = [...members].sort((a, b) => {
          const na = keys[a].instanceNumber ?? Number.POSITIVE_INFINITY;
          const nb = keys[b].instanceNumber ?? Number.POSITIVE_INFINITY;
          return na !== nb ? na - nb : a - b;
        });
        ordered.forEach((index, i) => {
          planned[index] = {
            item: items[index],
            fileId: [exportRoot, patientName, studyName, seriesName, counterName('IM', i + 1, 5)],
          };
        });
      }
    }
  }
  return planned;
}
