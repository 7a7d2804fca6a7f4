// Shared by the de-identification tests: identifying values injected into real
// files (plain, private, nested, free text) and dcmdump as the independent reader.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createDataset, readDicom, setValue, type DicomFile } from '../../../shared/dicom';

export const secret = 'unit-test secret, not for production';

/** Values no real fixture contains, so finding one in an output is a leak. */
export const injected = {
  family: 'Veiltestova',
  given: 'Marguerite',
  patientId: 'PID7Q4Z91',
  otherId: 'OTHER55443322',
  birthDate: '19720314',
  accession: 'ACC99887766',
  institution: 'Hopital Sainte-Clothilde',
  referring: 'Hippolytus^Quentin',
  address: '12 Rue des Lilas, Grenoble',
  phone: '+33 476123456',
  requestId: 'REQ31415926',
};

/** What must not appear anywhere in an output (dcmdump text or raw bytes). */
export const needles = [
  'Veiltestova', 'Marguerite', 'PID7Q4Z91', 'OTHER55443322', '19720314', '14.03.1972', 'ACC99887766',
  'Sainte-Clothilde', 'Hippolytus', 'Quentin', 'Rue des Lilas', '476123456', 'REQ31415926',
];

export function readFixture(path: string): DicomFile {
  return readDicom(new Uint8Array(readFileSync(path)));
}

/** Injects the values above into `file` (mutates it: call on a fresh read). */
export function inject(file: DicomFile): void {
  const ds = file.dataset;
  const name = `${injected.family}^${injected.given}`;
  setValue(ds, 'PatientName', name, 'PN');
  setValue(ds, 'PatientID', injected.patientId, 'LO');
  setValue(ds, 'PatientBirthDate', injected.birthDate, 'DA');
  setValue(ds, 'AccessionNumber', injected.accession, 'SH');
  setValue(ds, 'InstitutionName', injected.institution, 'LO');
  setValue(ds, 'ReferringPhysicianName', injected.referring, 'PN');
  setValue(ds, 'PatientAddress', injected.address, 'LO');
  setValue(ds, 'PatientTelephoneNumbers', injected.phone, 'SH');
  // Free text: a description that mixes technical words with identity.
  setValue(ds, 'StudyDescription', `CT HEAD ${injected.given} ${injected.family} 14.03.1972`, 'LO');
  setValue(ds, 'ImageComments', `for ${injected.family} (${injected.patientId})`, 'LT');
  // Nested: another ID, and a request with a procedure ID.
  const other = createDataset(ds.littleEndian);
  setValue(other, 'PatientID', injected.otherId, 'LO');
  setValue(other, 'IssuerOfPatientID', 'HOSPITAL-A', 'LO');
  setValue(ds, 'OtherPatientIDsSequence', [other]);
  const request = createDataset(ds.littleEndian);
  setValue(request, 'RequestedProcedureID', injected.requestId, 'SH');
  setValue(request, 'RequestedProcedureDescription', `CT for ${injected.family}`, 'LO');
  setValue(ds, 'RequestAttributesSequence', [request]);
  // Private: a creator block with a name, and a private sequence holding a nested name.
  setValue(ds, '00410010', 'VEIL TEST PRIVATE', 'LO');
  setValue(ds, '00411001', name, 'LO');
  const privateItem = createDataset(ds.littleEndian);
  setValue(privateItem, 'PatientName', name, 'PN');
  setValue(ds, '00411002', [privateItem]);
}

/**
 * `dcmdump +sd +r +F +L` of a folder: one text per file, values in full (UTF-8 where dcmtk can
 * convert). Values of 256 KB and more (pixel data) are not loaded (-M +R 256): the tests search
 * the raw bytes for those.
 */
export function dcmdumpFolder(dir: string): Map<string, string> {
  const run = (utf8: boolean) =>
    execFileSync('dcmdump', ['+sd', '+r', '+F', '+L', '-M', '+R', '256', '-Un', ...(utf8 ? ['+U8'] : []), dir], {
      encoding: 'latin1',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
    });
  let out: string;
  try {
    out = run(true);
  } catch {
    out = run(false);
  }
  const files = new Map<string, string>();
  for (const part of out.split(/^# dcmdump \(\d+\/\d+\): /m).slice(1)) {
    const newline = part.indexOf('\n');
    // Values only: the "# length, VM Keyword" tail names attributes, which are not leaks.
    const values = part
      .slice(newline + 1)
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .map((line) => line.replace(/\s+#[^#]*$/, ''))
      .join('\n');
    files.set(part.slice(0, newline).trim(), values);
  }
  return files;
}

/** dciodvfy's error lines (values stripped, so input and output messages compare). */
export function dciodvfyErrors(path: string): string[] {
  const out = execFileSync('sh', ['-c', 'dciodvfy -new "$1" 2>&1 || true', 'sh', path], { encoding: 'latin1' });
  return out
    .split('\n')
    .filter((line) => /^Error/.test(line))
    .map((line) => line.replace(/= <[^>]*>/g, '= …').replace(/\s+/g, ' ').trim());
}
