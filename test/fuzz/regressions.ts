// Inputs the fuzzer once broke Veil with, as recipes (seed file + seed: see
// mutate.ts), replayed by test/unit/hardening/fuzz.test.ts. No binary fixtures:
// the recipe rebuilds the exact bytes from the real corpus.
import type { FuzzCase } from './harness';

export interface Regression extends FuzzCase {
  /** What the input does, and what Veil did before the fix. */
  why: string;
}

export const regressions: Regression[] = [
  {
    source: 'pydicom/test_files/dicomdirtests/98892003/MR1/4919',
    seed: 3730720925,
    why: 'deflate bomb: ~2 MB inflating to 2,000 MiB of zeros; inflateSync grew memory by 1.5 GB (now: DicomReadError unsupported at 256 MiB)',
  },
  {
    source: 'pydicom/test_files/dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/IM00000H',
    seed: 2781823070,
    why: 'deflate bomb: 2,000 MiB of tiny elements; unbounded inflation',
  },
  {
    source: 'pydicom/test_files/dicomdirtests/TINY_ALPHA/PT000000/ST000000/SE000000/IM00000E',
    seed: 2499076533,
    why: 'deflate bomb: 4,095 MiB of tiny elements; unbounded inflation',
  },
  {
    source: 'pydicom/test_files/SC_rgb_dcmtk_+eb+cy+n2.dcm',
    seed: 3471524336,
    why: 'Bits Allocated 255: decodeFrame threw RangeError from a Uint32Array of odd length (now PixelDecodeError corrupt)',
  },
  {
    source: 'pydicom/test_files/dicomdirtests/77654033/CT2/17166',
    seed: 730826710,
    why: 'Rows stored as OF (-189.06): decodeFrame threw RangeError "Invalid typed array length" (now PixelDecodeError corrupt)',
  },
];
