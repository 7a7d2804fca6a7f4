// explicitReader reads explicit VR little endian data straight into Veil's model
// and hands everything else back to dicom-parser. Both must give the same file,
// or the same error, on every input: the real corpus (whole, header only, the
// first 32 KiB as the export's plan reads it) and damaged copies of it.
import { describe, expect, it } from 'vitest';
import { readDicom, type Dataset, type DicomFile, type ReadOptions } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf, corpusFiles, walk } from './corpus';

/** Everything the model holds, with values as places in the input (both readers cut them out of it). */
function shape(dataset: Dataset, parent: Dataset | undefined, input: Uint8Array): unknown {
  return {
    littleEndian: dataset.littleEndian,
    fileOffset: dataset.fileOffset,
    undefinedLength: dataset.undefinedLength,
    parentKept: dataset.parent === parent,
    elements: [...dataset].map((e) => ({
      tag: e.tag,
      vr: e.vr,
      value: [e.bytes.buffer === input.buffer, e.bytes.byteOffset, e.bytes.length],
      skippedLength: e.skippedLength,
      undefinedLength: e.undefinedLength,
      items: e.items?.map((item) => shape(item, dataset, input)),
      encapsulated: e.encapsulated && [e.encapsulated.offsetTable.length, e.encapsulated.fragments.map((f) => [f.byteOffset, f.length])],
    })),
  };
}

function outcome(input: Uint8Array, options: ReadOptions): string {
  let file: DicomFile;
  try {
    file = readDicom(input, options);
  } catch (error) {
    return `error ${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
  return JSON.stringify({ syntax: file.transferSyntaxUID, meta: shape(file.meta, undefined, input), dataset: shape(file.dataset, undefined, input) });
}

const modes: Array<{ name: string; options: (bytes: Uint8Array) => { input: Uint8Array; options: ReadOptions } }> = [
  { name: 'whole', options: (bytes) => ({ input: bytes, options: {} }) },
  { name: 'header', options: (bytes) => ({ input: bytes, options: { headerOnly: true } }) },
  {
    name: 'first 32 KiB',
    options: (bytes) =>
      bytes.length > 32768 ? { input: bytes.subarray(0, 32768), options: { headerOnly: true, fileSize: bytes.length } } : { input: bytes, options: { headerOnly: true } },
  },
];

function differences(inputs: Iterable<{ label: string; bytes: Uint8Array }>): { compared: number; differ: string[] } {
  let compared = 0;
  const differ: string[] = [];
  for (const { label, bytes } of inputs) {
    for (const mode of modes) {
      const { input, options } = mode.options(bytes);
      compared++;
      if (outcome(input, options) !== outcome(input, { ...options, viaDicomParser: true })) differ.push(`${label} (${mode.name})`);
    }
  }
  return { compared, differ };
}

const corpus = [
  ...corpusFiles()
    .filter((f) => f.isDicomByName)
    .map((f) => ({ label: f.name, bytes: bytesOf(f.path) })),
  // The CT series of the speed benchmark.
  ...[...walk(fixtures.craniumDicom)].map((path) => ({ label: path, bytes: bytesOf(path) })),
].filter((f) => f.bytes.length < 64 * 1024 * 1024);

describe('explicitReader against dicom-parser', () => {
  it('reads every corpus file as dicom-parser does', () => {
    const { compared, differ } = differences(corpus);
    expect(differ).toEqual([]);
    expect(compared).toBeGreaterThan(300 * modes.length);
  });

  it('fails, or reads, damaged copies as dicom-parser does', () => {
    // Bit flips and 0xFFFFFFFF lengths in the header, and cuts anywhere: fixed seed.
    let seed = 20261127;
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const damaged = function* (): Generator<{ label: string; bytes: Uint8Array }> {
      for (let n = 0; n < 1500; n++) {
        const source = corpus[Math.floor(random() * corpus.length)];
        const bytes = new Uint8Array(source.bytes.subarray(0, Math.min(source.bytes.length, 200_000)));
        const header = Math.min(bytes.length, 4096);
        const kind = random();
        if (kind < 0.4) {
          for (let k = 0; k < 1 + random() * 4; k++) bytes[Math.floor(random() * header)] ^= 1 << Math.floor(random() * 8);
        } else if (kind < 0.7) {
          const at = Math.floor(random() * Math.max(1, header - 4));
          bytes.fill(0xff, at, at + 4);
        }
        yield { label: `${source.label} #${n}`, bytes: kind >= 0.7 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes };
      }
    };
    const { compared, differ } = differences(damaged());
    expect(differ).toEqual([]);
    expect(compared).toBe(4500);
  });
});
