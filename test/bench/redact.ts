// Redaction fill speed: redactFile (decode when compressed, fill, lossless re-encode)
// on a 512² 16-bit CT frame in each syntax, and on the 10-frame palette echo cine.
// Figures are per call, median of repeated runs after a warm-up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerNodeCodecs, registerNodeEncoders } from '../../main/pixels/codecs';
import { readDicom, writeDicom, type DicomFile } from '../../shared/dicom';
import { decodeFrame, pixelInfo, replaceFrames, syntaxName } from '../../shared/pixels';
import { redactFile, type RedactionBox } from '../../shared/redact';
import { fixtures } from '../fixtures/paths';

export interface RedactRun {
  input: string;
  output: string;
  /** Milliseconds per redactFile call (whole file). */
  ms: number;
  /** Milliseconds per 512² frame (scaled by pixel count and frames filled). */
  msPer512: number;
  /** writeDicom of the result, ms. */
  writeMs: number;
}

export interface RedactFigures {
  runs: RedactRun[];
}

const boxes = (frame: number | 'all'): RedactionBox[] =>
  [
    [8, 8, 220, 40],
    [300, 8, 200, 40],
    [8, 460, 320, 44],
  ].map(([x, y, width, height]) => ({ x: x!, y: y!, width: width!, height: height!, frame, image: 'pixels', origin: 'burned-in-text', redact: true }));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(fn: () => void, repeats: number): number {
  fn(); // warm-up
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

function encoded(source: DicomFile, uid: string): DicomFile {
  const file = readDicom(writeDicom(source));
  const info = pixelInfo(file);
  replaceFrames(file, Array.from({ length: info.frames }, (_, f) => decodeFrame(file, f, { raw: true }, info)), { transferSyntaxUID: uid });
  return readDicom(writeDicom(file));
}

export async function benchRedact(repeats = 15): Promise<RedactFigures> {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
  const ankle = readDicom(new Uint8Array(readFileSync(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'))));
  const work = mkdtempSync(join(tmpdir(), 'veil-bench-redact-'));
  const inputs: Array<[string, DicomFile, number | 'all']> = [
    ['CT 512² native', ankle, 0],
    ['CT 512² RLE', encoded(ankle, '1.2.840.10008.1.2.5'), 0],
    ['CT 512² JPEG-LS lossless', encoded(ankle, '1.2.840.10008.1.2.4.80'), 0],
    ['CT 512² JPEG 2000 lossless', encoded(ankle, '1.2.840.10008.1.2.4.90'), 0],
  ];
  try {
    const jpegLossless = join(work, 'ankle-70.dcm');
    execFileSync('dcmcjpeg', [join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), jpegLossless], { stdio: 'ignore' });
    inputs.push(['CT 512² JPEG Lossless SV1', readDicom(new Uint8Array(readFileSync(jpegLossless))), 0]);
  } catch {
    // dcmtk absent: no JPEG Lossless input
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const echo = readDicom(new Uint8Array(readFileSync(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm'))));
  inputs.push(['US echo RLE, 1 of 10 frames', echo, 4], ['US echo RLE, all 10 frames', echo, 'all']);

  const runs: RedactRun[] = [];
  for (const [label, file, frame] of inputs) {
    const info = pixelInfo(file);
    const filled = frame === 'all' ? info.frames : 1;
    let result = redactFile(file, boxes(frame));
    const ms = time(() => {
      result = redactFile(file, boxes(frame));
    }, repeats);
    const writeMs = time(() => writeDicom(result.file), repeats);
    runs.push({
      input: label,
      output: syntaxName(result.transferSyntaxUID),
      ms,
      msPer512: (ms / filled) * ((512 * 512) / (info.rows * info.columns)),
      writeMs,
    });
  }
  return { runs };
}

export function printRedact(f: RedactFigures): void {
  console.log('\nRedaction fill (3 text boxes; decode + fill + lossless re-encode; median per call)');
  for (const r of f.runs) {
    console.log(
      `  ${r.input.padEnd(30)} → ${r.output.padEnd(26)} ${r.ms.toFixed(1).padStart(7)} ms  ${r.msPer512.toFixed(1).padStart(6)} ms per 512² frame  write ${r.writeMs.toFixed(1)} ms`,
    );
  }
}
