// The app's scan attaches the face it rebuilt (the patient overview shows it);
// `veil scan` leaves it out: a face identifies, and scan output ends up in logs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanInputs } from '../../../main/cli/scan';
import { fixtures } from '../../fixtures/paths';
import { validate, type Schema } from './jsonSchema';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schema = JSON.parse(readFileSync(path.join(repo, 'shared', 'export', 'scan.schema.json'), 'utf8')) as Schema;

describe('face pictures in the scan document', () => {
  it('Cranium: the 3D face finding carries a PNG of the face only when asked', async () => {
    const withPicture = await scanInputs([fixtures.craniumDicom], { facePictures: true });
    expect(validate(withPicture, schema)).toEqual([]);
    const [face] = withPicture.series.flatMap((s) => s.findings).filter((f) => f.kind === 'face');
    expect(face?.picture).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(face!.picture!.split(',')[1]!, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height of the render the detector saw.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([256, 256]);

    const plain = await scanInputs([fixtures.craniumDicom]);
    const faces = plain.series.flatMap((s) => s.findings).filter((f) => f.kind === 'face');
    expect(faces).toHaveLength(1);
    expect(faces[0]).not.toHaveProperty('picture');
  }, 240_000);
});
