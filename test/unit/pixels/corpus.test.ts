// Every image in the real corpus decodes (every frame, rendered to 8 bits), or
// says which codec it needs; with the Node WASM codecs loaded, what is left.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerNodeCodecs } from '../../../main/pixels/codecs';
import { readDicom, Tags, type DicomFile } from '../../../shared/dicom';
import { decodeFrame, pixelInfo, PixelDecodeError, toDisplay8 } from '../../../shared/pixels';
import { corpusRoots, walk } from '../dicom/corpus';

function images(): Array<[string, DicomFile]> {
  const out: Array<[string, DicomFile]> = [];
  for (const root of corpusRoots) {
    for (const path of walk(root)) {
      try {
        const file = readDicom(new Uint8Array(readFileSync(path)));
        if (file.dataset.has(Tags.PixelData)) out.push([path, file]);
      } catch {
        // unreadable files are the DICOM core's tests' business
      }
    }
  }
  return out;
}

function sweep(files: Array<[string, DicomFile]>): { ok: number; failures: string[]; needs: Map<string, number> } {
  let ok = 0;
  const failures: string[] = [];
  const needs = new Map<string, number>();
  for (const [path, file] of files) {
    try {
      const info = pixelInfo(file);
      for (let f = 0; f < info.frames; f++) toDisplay8(decodeFrame(file, f, {}, info), info);
      ok++;
    } catch (e) {
      if (e instanceof PixelDecodeError && e.code === 'needs-codec') needs.set(e.transferSyntaxUID!, (needs.get(e.transferSyntaxUID!) ?? 0) + 1);
      else failures.push(`${path.split('/').pop()}: ${(e as Error).message}`);
    }
  }
  return { ok, failures, needs };
}

describe('the corpus', () => {
  const files = images();

  it('decodes natively or asks for a codec', () => {
    const { ok, failures, needs } = sweep(files);
    console.log(`pixels corpus: ${ok} of ${files.length} images decoded without codecs; needing one:`, Object.fromEntries(needs));
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(100);
  });

  it('with the Node codecs (WASM + JS JPEG Lossless), only 12-bit JPEG remains', async () => {
    await registerNodeCodecs();
    const { ok, failures, needs } = sweep(files);
    console.log(`pixels corpus with codecs: ${ok} of ${files.length}; still needing one:`, Object.fromEntries(needs), failures);
    expect(ok).toBeGreaterThanOrEqual(141);
    expect([...needs.keys()].filter((uid) => uid.startsWith('1.2.840.10008.1.2.4.')).sort()).toEqual(['1.2.840.10008.1.2.4.51']);
    // pydicom's deliberately broken J2K stream (a sequence delimiter inside the codestream).
    expect(failures).toEqual([expect.stringMatching(/^JPEG2000-embedded-sequence-delimiter\.dcm: JPEG 2000/)]);
  });
});
