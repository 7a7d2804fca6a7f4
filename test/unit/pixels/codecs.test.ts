// The Node codec registration: lossless JPEG-LS / JPEG 2000 decode to exactly the
// native MR_small values; JPEG baseline matches dcmtk's dcmdjpeg within IDCT rounding.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeCodecs } from '../../../main/pixels/codecs';
import { writeFileSync } from 'node:fs';
import { writeDicom, type DicomFile } from '../../../shared/dicom';
import { decodeFrame, pixelInfo, replaceFrames } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { load, workDir } from './oracle';

const py = (name: string): string => join(fixtures.pydicom, name);

describe('Node WASM codecs', () => {
  let syntaxes: string[] = [];
  beforeAll(async () => {
    syntaxes = await registerNodeCodecs();
  });

  it('registers JPEG baseline, JPEG-LS and JPEG 2000', () => {
    expect(syntaxes).toEqual(expect.arrayContaining(['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90']));
  });

  const reference = (): number[] => Array.from(decodeFrame(load(py('MR_small.dcm')), 0).data);
  for (const name of ['MR_small_jpeg_ls_lossless.dcm', 'MR_small_jp2klossless.dcm']) {
    it(`${name} decodes to the native values (signed 16-bit)`, () => {
      const frame = decodeFrame(load(py(name)), 0);
      expect(frame.data).toBeInstanceOf(Int16Array);
      expect(Array.from(frame.data)).toEqual(reference());
    });
  }

  it('SC_rgb_jpeg_dcmtk (YBR baseline) decodes to RGB close to dcmdjpeg', () => {
    const path = py('SC_rgb_jpeg_dcmtk.dcm');
    const file = load(path);
    const frame = decodeFrame(file, 0, {}, pixelInfo(file));
    expect(frame.photometric).toBe('RGB');
    const out = join(workDir, 'djpeg.dcm');
    execFileSync('dcmdjpeg', ['+ca', path, out], { stdio: 'ignore' });
    const theirs = decodeFrame(load(out), 0);
    let sum = 0;
    for (let i = 0; i < frame.data.length; i++) sum += Math.abs(frame.data[i]! - theirs.data[i]!);
    expect(sum / frame.data.length).toBeLessThan(2);
  });

  it('a JPEG baseline image is written back losslessly as native RGB', () => {
    const file = load(py('SC_rgb_jpeg_dcmtk.dcm'));
    const frame = decodeFrame(file, 0, { raw: true });
    expect(replaceFrames(file, [frame])).toBe('1.2.840.10008.1.2.1');
    const again = load(writeTo(file, 'jpeg-native.dcm'));
    expect(pixelInfo(again).photometric).toBe('RGB');
    expect(Array.from(decodeFrame(again, 0).data)).toEqual(Array.from(frame.data));
  });
});

function writeTo(file: DicomFile, name: string): string {
  const out = join(workDir, name);
  writeFileSync(out, writeDicom(file));
  return out;
}
