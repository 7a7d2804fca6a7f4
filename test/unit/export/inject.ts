// Test inputs with known identifying values: real fixture files with a made-up
// person injected into plain, private, nested and free-text elements, written
// back in each file's own transfer syntax. The values are rare strings, so
// finding any of them in an output (with dcmtk) is a real leak.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDataset, readDicom, setValue, writeDicom } from '../../../shared/dicom';

export const person = {
  name: 'QUIXBY^ZELDORA',
  id: 'ZX4471QQ',
  birthDate: '19610412',
  address: '221B Quarrel Lane, Thornbury',
  phone: '+44 20 7946 0958',
  institution: 'Thornbury Royal Infirmary',
  physician: 'HOLLOWAY^PERPETUA',
};

/** Lower-case strings no output may contain, as dcmdump prints them or as raw bytes. */
export const leakTerms = ['quixby', 'zeldora', 'zx4471qq', '19610412', '1961-04-12', 'quarrel lane', '7946 0958', 'thornbury', 'holloway', 'perpetua'];

/** The fixture file with the person injected, written to `folder/name`. */
export function injectInto(source: string, folder: string, name = path.basename(source)): string {
  const file = readDicom(new Uint8Array(readFileSync(source)));
  const ds = file.dataset;
  setValue(ds, 'PatientName', person.name);
  setValue(ds, 'PatientID', person.id);
  setValue(ds, 'PatientBirthDate', person.birthDate);
  setValue(ds, 'PatientAddress', person.address);
  setValue(ds, 'PatientTelephoneNumbers', person.phone);
  setValue(ds, 'InstitutionName', person.institution);
  setValue(ds, 'ReferringPhysicianName', person.physician);
  // Private: a creator and two values naming the person.
  setValue(ds, '00990010', 'VEIL TEST CREATOR', 'LO');
  setValue(ds, '00991001', `${person.id} ${person.name}`, 'LO');
  setValue(ds, '00991002', `Patient Quixby, Zeldora (${person.birthDate})`, 'LT');
  // Nested: another ID of the same person, issued by the institution.
  const other = createDataset(ds.littleEndian);
  setValue(other, 'PatientID', person.id);
  setValue(other, 'IssuerOfPatientID', person.institution);
  setValue(ds, 'OtherPatientIDsSequence', [other]);
  // Free text, as a technologist would type it.
  setValue(ds, 'ImageComments', `Quixby Zeldora, born 1961-04-12, ${person.address}; ref. Dr Holloway`);
  mkdirSync(folder, { recursive: true });
  const target = path.join(folder, name);
  writeFileSync(target, writeDicom(file));
  return target;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** dcmdump (dcmtk) of every file under `folder`, recursively, as lower-case text (UTF-8 where dcmtk can convert, raw otherwise). */
export function dcmdumpText(folder: string): string {
  const run = (extra: string[]): string => {
    try {
      return execFileSync('dcmdump', ['-q', '+L', '+sd', '+r', ...extra, folder], {
        encoding: 'latin1',
        maxBuffer: 512 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? '');
    }
  };
  return `${run(['+U8'])}\n${run([])}`.toLowerCase();
}

/** dciodvfy's error lines, with values and item indices stripped so input and output compare. */
export function dciodvfyErrors(file: string): Set<string> {
  const run = spawnSync('dciodvfy', ['-new', file], { encoding: 'latin1' });
  const out = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  return new Set(
    out
      .split('\n')
      .filter((line) => line.startsWith('Error'))
      // dciodvfy cannot read deflated data: it fails at a tag that depends on the compressed bytes.
      .map((line) => line.replace(/<\/\([0-9a-f]{4},[0-9a-f]{4}\)> - Tag read failed/, 'Tag read failed'))
      .map((line) => line.replace(/\[\d+\]/g, '').replace(/=\s*<[^>]*>/g, '').replace(/<[^>]*>$/g, '').trim()),
  );
}
