// The two real images with burned-in text: the words the tesseract CLI reads on
// dcmj2pnm's rendering become the boxes; after redactFile, tesseract reads none of
// them, and every pixel outside the boxes is unchanged.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import type { RedactionBox } from '../../../shared/redact';
import { redactFile } from '../../../shared/redact';
import { fixtures } from '../../fixtures/paths';
import { box, expectFilled, load, rawFrames, save, workDir } from './oracle';

interface Word {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

let counter = 0;

/** Words tesseract reads (confidence > 50, 2+ letters or digits) on dcmj2pnm's PNG of `frame`. */
function ocr(path: string, frame: number, args: string[]): Word[] {
  const png = join(workDir, `ocr-${counter++}.png`);
  execFileSync('dcmj2pnm', ['+on', '+F', String(frame + 1), ...args, path, png], { stdio: 'ignore' });
  const tsv = execFileSync('tesseract', [png, '-', '--psm', '11', 'tsv'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return tsv
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .filter((c) => c.length >= 12 && Number(c[10]) > 50 && (c[11]!.match(/[A-Za-z0-9]/g)?.length ?? 0) >= 2)
    .map((c) => ({ text: c[11]!, x: Number(c[6]), y: Number(c[7]), width: Number(c[8]), height: Number(c[9]) }));
}

beforeAll(async () => {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
});

const cases = [
  { name: 'ankle CT screenshot (native)', path: join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), frame: 0, args: ['+Wi', '1'], expectWords: ['IMAGING', 'CENTER'] },
  { name: 'US echo cine (palette, RLE), frame 1', path: join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'), frame: 0, args: [], expectWords: ['JAN', 'GAIN'] },
] as const;

describe('real burned-in text', () => {
  for (const c of cases) {
    it(`${c.name}: every word tesseract read is gone after the fill`, () => {
      const words = ocr(c.path, c.frame, [...c.args]);
      expect(words.map((w) => w.text)).toEqual(expect.arrayContaining([...c.expectWords]));
      const boxes: RedactionBox[] = words.map((w) => box(w.x - 2, w.y - 2, w.width + 4, w.height + 4, c.frame));
      const input = load(c.path);
      const r = redactFile(input, boxes);
      const out = save(r.file, 'text.dcm');
      const left = ocr(out, c.frame, [...c.args]).filter((w) => words.some((o) => o.text === w.text));
      expect(left).toEqual([]);
      const after = rawFrames(load(out));
      const first = after[c.frame]!;
      const black = first.data[Math.max(0, Math.ceil(boxes[0]!.y)) * first.columns + Math.max(0, Math.ceil(boxes[0]!.x))]!;
      expectFilled(rawFrames(input), after, boxes, [black]);
    });
  }
});
