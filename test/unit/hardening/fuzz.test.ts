// The fuzzer in CI: a few hundred mutated real scans with a fixed seed, and
// every input that once broke Veil, each in a worker with a time and memory
// budget. None may crash (an untyped exception), hang or allocate without bound;
// typed errors (DicomReadError, PixelDecodeError…) are the expected refusals.
// The big run is `npm run fuzz` (10,000 inputs; figures in test/fuzz/README.md).
import { describe, expect, it } from 'vitest';
import { DataElement, DicomReadError, readDicom } from '../../../shared/dicom';
import { decodeFrame, PixelDecodeError } from '../../../shared/pixels';
import { runFuzz, type FuzzSummary } from '../../fuzz/harness';
import { deflateBomb, nestedSequences } from '../../fuzz/mutate';
import { regressions } from '../../fuzz/regressions';
import { runPipeline } from '../../fuzz/target';

function failuresOf(summary: FuzzSummary): string[] {
  return summary.failures.map((f) => `${f.outcome} ${f.source} seed ${f.seed} [${f.ops.join('; ')}]: ${f.detail ?? JSON.stringify(f.results.find((r) => r.verdict === 'crash'))}`);
}

describe('fuzzing (fixed seed)', () => {
  it('300 mutated real scans: read, scan, decode, de-identify, write, verify — no crash, hang or OOM', async () => {
    const summary = await runFuzz({ inputs: 300, seed: 20261126, timeoutMs: 60_000 });
    expect(failuresOf(summary)).toEqual([]);
    expect(summary.counts.ok + summary.counts.typed).toBe(300);
    // The mutations reach past the reader: some inputs are read and exported, some refused with reasons.
    expect(summary.counts.ok).toBeGreaterThan(50);
    expect(summary.typed['DicomReadError:truncated']).toBeGreaterThan(0);
    expect(Object.keys(summary.typed).some((k) => k.startsWith('PixelDecodeError'))).toBe(true);
  }, 180_000);

  it('replays every input that once broke Veil', async () => {
    const summary = await runFuzz({ cases: regressions, timeoutMs: 60_000 });
    expect(failuresOf(summary)).toEqual([]);
    expect(summary.counts.typed).toBe(regressions.length);
  }, 180_000);
});

describe('hostile inputs, directly', () => {
  it('a deflate bomb is refused once it passes 256 MiB, whatever it promises', () => {
    for (const kind of ['zeros', 'elements'] as const) {
      const bomb = deflateBomb(kind, 4_095);
      expect(bomb.length).toBeLessThan(8 * 2 ** 20);
      let refusal: unknown;
      try {
        readDicom(bomb);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(DicomReadError);
      expect(refusal).toMatchObject({ code: 'unsupported', message: expect.stringMatching(/inflates to more than 256 MiB/) });
    }
    // Small enough: read like any deflated file.
    expect(readDicom(deflateBomb('zeros', 8)).dataset.get('7FE00010')?.bytes.length).toBe(8 * 2 ** 20);
  });

  it('Bits Allocated that no frame can have is a PixelDecodeError, not a RangeError', () => {
    const file = readDicom(deflateBomb('zeros', 1));
    for (const bits of [0, 3, 12, 24, 64, 255]) {
      file.dataset.get('00280100')!.bytes = Uint8Array.of(bits, 0);
      expect(() => decodeFrame(file, 0)).toThrow(PixelDecodeError);
    }
  });

  it('Rows that are not a whole number (stored as a float) are a PixelDecodeError, not a RangeError', () => {
    const file = readDicom(deflateBomb('zeros', 1));
    const rows = new Uint8Array(4);
    new DataView(rows.buffer).setFloat32(0, -189.06, true);
    file.dataset.set(new DataElement('00280010', 'FL', rows));
    expect(() => decodeFrame(file, 0)).toThrow(PixelDecodeError);
  });

  it.each([true, false])('sequences nested 128 deep export cleanly; deeper ones are refused as unsupported (undefined lengths: %s)', (undefinedLengths) => {
    const run = (depth: number) => runPipeline(withDataset(nestedSequences(depth, undefinedLengths, { explicit: true, littleEndian: true })));
    expect(run(128).map((r) => `${r.stage}:${r.verdict}`)).toEqual(['open:ok', 'read:ok', 'scan:ok', 'deidentify:ok']);
    for (const depth of [129, 1_200, 100_000]) {
      // 1,200 levels used to be read, then overflow the stack in deidentify (RangeError).
      const results = run(depth);
      expect(results.filter((r) => r.verdict === 'crash')).toEqual([]);
      expect(results.find((r) => r.stage === 'read')).toMatchObject({ verdict: 'typed', error: 'DicomReadError', code: 'unsupported' });
    }
  });
});

/** A Part 10 file (Explicit VR LE) around the given dataset bytes. */
function withDataset(dataset: Uint8Array): Uint8Array {
  const tsValue = '1.2.840.10008.1.2.1\0';
  const meta = new Uint8Array(12 + 8 + tsValue.length);
  const view = new DataView(meta.buffer);
  view.setUint16(0, 0x0002, true);
  view.setUint16(2, 0x0000, true);
  meta.set([0x55, 0x4c], 4); // UL
  view.setUint16(6, 4, true);
  view.setUint32(8, 8 + tsValue.length, true);
  view.setUint16(12, 0x0002, true);
  view.setUint16(14, 0x0010, true);
  meta.set([0x55, 0x49], 16); // UI
  view.setUint16(18, tsValue.length, true);
  for (let i = 0; i < tsValue.length; i++) meta[20 + i] = tsValue.charCodeAt(i);
  const out = new Uint8Array(132 + meta.length + dataset.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  out.set(meta, 132);
  out.set(dataset, 132 + meta.length);
  return out;
}
