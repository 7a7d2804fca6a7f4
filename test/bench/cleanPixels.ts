// `veil deid --clean-pixels` throughput next to PixelMed's DeidentifyAndRedact
// with the same boxes, on the two real images with burned-in text (the ankle CT
// screenshot and the palette-colour RLE echo cine), copied with distinct UIDs.
// Veil with a plan fills the same boxes as PixelMed and then reads every copy
// again by OCR (PixelMed does no check); without a plan it also finds the text.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tags, readDicom, setValue, uidFromName, writeDicom } from '../../shared/dicom';
import { fixtures } from '../fixtures/paths';
import { runPixelmed, timed, type DeidRun } from './deid';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The same boxes for both tools: PixelMed keys them by image size, Veil by device signature. */
const sources = [
  { name: 'CT-MONO2-16-ankle.dcm', copies: 60, boxes: [[0, 0, 512, 72]] },
  { name: 'US-PAL-8-10x-echo.dcm', copies: 20, boxes: [[0, 20, 145, 50], [0, 165, 110, 25]] },
];

export type CleanPixelsRun = Pick<DeidRun, 'tool' | 'seconds' | 'note'>;

export interface CleanPixelsFigures {
  files: number;
  frames: number;
  runs: CleanPixelsRun[];
}

function buildCorpus(root: string): { files: number; frames: number; plan: object; pixelmed: string } {
  let files = 0;
  let frames = 0;
  const signatures: object[] = [];
  const pixelmedLines: string[] = [];
  for (const source of sources) {
    const bytes = new Uint8Array(readFileSync(path.join(fixtures.octave, source.name)));
    const header = readDicom(bytes).dataset;
    const rows = header.number('00280010')!;
    const columns = header.number('00280011')!;
    for (let copy = 0; copy < source.copies; copy++) {
      const file = readDicom(bytes);
      for (const tag of [Tags.StudyInstanceUID, Tags.SeriesInstanceUID, Tags.SOPInstanceUID]) {
        const uid = file.dataset.string(tag);
        if (uid) setValue(file.dataset, tag, uidFromName(`bench-clean-${copy}:${uid}`), 'UI');
      }
      if (file.meta.has(Tags.MediaStorageSOPInstanceUID)) setValue(file.meta, Tags.MediaStorageSOPInstanceUID, file.dataset.string(Tags.SOPInstanceUID), 'UI');
      writeFileSync(path.join(root, `${copy}-${source.name}`), writeDicom(file));
      files++;
      frames += header.number('00280008') ?? 1;
    }
    signatures.push({
      rows,
      columns,
      manufacturer: header.string('00080070'),
      model: header.string('00081090'),
      boxes: source.boxes.map(([x, y, width, height]) => ({ x, y, width, height, frame: 'all', image: 'pixels', origin: 'user', redact: true })),
    });
    pixelmedLines.push(`${columns}x${rows} = ${source.boxes.map((b) => `(${b.join(',')})`).join(';')}`);
  }
  return { files, frames, plan: { files: {}, signatures, keepTechnicalText: true }, pixelmed: `${pixelmedLines.join('\n')}\n` };
}

export function benchCleanPixels(): CleanPixelsFigures {
  const work = mkdtempSync(path.join(tmpdir(), 'veil-bench-clean-'));
  try {
    const corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    const { files, frames, plan, pixelmed } = buildCorpus(corpus);
    const planFile = path.join(work, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const redactFile = path.join(work, 'redact.txt');
    writeFileSync(redactFile, pixelmed);
    const veil = path.join(repo, 'main', 'cli', 'veil.mjs');
    const env = { ...process.env, VEIL_SECRET_FILE: path.join(work, 'secret') };
    spawnSync(process.execPath, [veil, '--help'], { env });
    const runs: CleanPixelsRun[] = [
      timed('veil deid --plan (same boxes, then OCR check)', process.execPath, [veil, 'deid', corpus, '--out', path.join(work, 'veil-plan'), '--plan', planFile], env),
      timed('veil deid --clean-pixels (find + fill + check)', process.execPath, [veil, 'deid', corpus, '--out', path.join(work, 'veil-detect'), '--clean-pixels'], env),
    ];
    runs.push(runPixelmed('PixelMed DeidentifyAndRedact (same boxes)', corpus, path.join(work, 'pixelmed'), redactFile));
    return { files, frames, runs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printCleanPixels(f: CleanPixelsFigures): void {
  const pixelmed = f.runs.find((r) => r.tool.startsWith('PixelMed'))?.seconds;
  console.log(`\nClean Pixel Data, ankle CT ×60 + echo cine ×20 (real burned-in text): ${f.files} files, ${f.frames} frames (wall time incl. start-up)`);
  for (const run of f.runs) {
    if (run.seconds === undefined) {
      console.log(`  ${run.tool.padEnd(48)} ${run.note}`);
      continue;
    }
    const ratio = pixelmed ? `  ${(pixelmed / run.seconds).toFixed(2)}× PixelMed's speed` : '';
    console.log(`  ${run.tool.padEnd(48)} ${run.seconds.toFixed(2).padStart(7)} s  ${(f.frames / run.seconds).toFixed(1).padStart(6)} frames/s${ratio}`);
  }
}
