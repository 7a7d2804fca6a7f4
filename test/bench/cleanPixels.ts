// `veil deid --clean-pixels` throughput next to PixelMed's DeidentifyAndRedact
// with the same boxes, on the two real images with burned-in text (the ankle CT
// screenshot and the palette-colour RLE echo cine), copied with distinct UIDs.
// Veil with a plan fills the same boxes as PixelMed and then reads every copy
// again by OCR (PixelMed does no check); without a plan it also finds the text.
// Copies repeat their frames, which Veil scans and fills once (exact bytes):
// VEIL_CLEAN_DISTINCT=1 makes every copy's frames differ (one pixel of the
// anatomy set black per copy) to show the cost when nothing repeats.
// VEIL_CLEAN_RUNS rounds (default 3), every tool once per round in turn (the
// machine is shared: a burst of load then hits them alike); medians of wall and
// CPU time, with each run's figures and the load average. VEIL_CLEAN_TOOLS picks
// tools (comma-separated: header, plan, plan2, detect, detect2, pixelmed; all by
// default): the --jobs 2 runs take longest and say least on a shared machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataElement, Tags, readDicom, setValue, uidFromName, writeDicom, type DicomFile } from '../../shared/dicom';
import { redactFile } from '../../shared/redact';
import { fixtures } from '../fixtures/paths';
import { runPixelmed, timed, type DeidRun } from './deid';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The same boxes for both tools: PixelMed keys them by image size, Veil by device signature. */
const sources = [
  { name: 'CT-MONO2-16-ankle.dcm', copies: 60, boxes: [[0, 0, 512, 72]] },
  { name: 'US-PAL-8-10x-echo.dcm', copies: 20, boxes: [[0, 20, 145, 50], [0, 165, 110, 25]] },
];

export type CleanPixelsRun = Pick<DeidRun, 'tool' | 'seconds' | 'note' | 'cpuSeconds' | 'peakMB' | 'phases'> & {
  exported?: number;
  /** Every round's wall and CPU seconds and the load average before it (seconds/cpuSeconds are the medians). */
  rounds?: Array<{ seconds: number; cpuSeconds?: number; load: number }>;
};

export interface CleanPixelsFigures {
  files: number;
  frames: number;
  distinct: boolean;
  /** Load average (1 min) before and after: the machine is shared. */
  load: [number, number];
  runs: CleanPixelsRun[];
}

/** One pixel of the anatomy changed per copy, in every frame, away from any text. */
function distinctCopy(file: DicomFile, copy: number): DicomFile {
  const pixels = file.dataset.get(Tags.PixelData)!;
  if (pixels.encapsulated) {
    return redactFile(file, [{ x: 300 + (copy % 100), y: 200, width: 1, height: 1, frame: 'all', image: 'pixels', origin: 'user', redact: true }]).file;
  }
  const bytes = pixels.bytes.slice();
  const columns = file.dataset.number('00280011')!;
  bytes[2 * (300 * columns + 200 + (copy % 100))]! ^= 1;
  file.dataset.set(new DataElement(Tags.PixelData, pixels.vr, bytes));
  return file;
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, name) => {
    const p = path.join(dir, name);
    return n + (statSync(p).isDirectory() ? countFiles(p) : name === 'DICOMDIR' ? 0 : 1);
  }, 0);
}

const loadAverage = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

export function buildCorpus(root: string, distinct = false): { files: number; frames: number; plan: object; pixelmed: string } {
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
      const out = distinct ? distinctCopy(file, copy) : file;
      writeFileSync(path.join(root, `${copy}-${source.name}`), writeDicom(out));
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

export function benchCleanPixels(distinct = process.env.VEIL_CLEAN_DISTINCT === '1'): CleanPixelsFigures {
  const work = mkdtempSync(path.join(tmpdir(), 'veil-bench-clean-'));
  const before = loadAverage();
  try {
    const corpus = path.join(work, 'corpus');
    mkdirSync(corpus);
    const { files, frames, plan, pixelmed } = buildCorpus(corpus, distinct);
    const planFile = path.join(work, 'plan.json');
    writeFileSync(planFile, JSON.stringify(plan));
    const redactFile = path.join(work, 'redact.txt');
    writeFileSync(redactFile, pixelmed);
    const veil = path.join(repo, 'main', 'cli', 'veil.mjs');
    const env = { ...process.env, VEIL_SECRET_FILE: path.join(work, 'secret'), VEIL_TIMINGS: '1' };
    // The CLI bundle (rebuilt here if a source changed) and the corpus in the page cache.
    spawnSync(process.execPath, [veil, '--help'], { env });
    spawnSync('cp', ['-r', corpus, path.join(work, 'warm')]);
    const rounds = Math.max(1, Number(process.env.VEIL_CLEAN_RUNS ?? 3));
    const pixelmedOut = path.join(work, 'pixelmed');
    const picked = process.env.VEIL_CLEAN_TOOLS?.split(',').map((t) => t.trim());
    const wanted = (name: string): boolean => !picked || picked.includes(name);
    const veilRuns: Array<{ tool: string; out: string; args: string[] }> = [
      { tool: 'veil deid (header only, no pixel cleaning)', out: 'veil-header', args: [] },
      { tool: 'veil deid --plan (same boxes, then OCR check)', out: 'veil-plan', args: ['--plan', planFile] },
      { tool: '  the same, --jobs 2 (two export threads)', out: 'veil-plan-2', args: ['--plan', planFile, '--jobs', '2'] },
      { tool: 'veil deid --clean-pixels (find + fill + check)', out: 'veil-detect', args: ['--clean-pixels'] },
      { tool: '  the same, --jobs 2 (two export threads)', out: 'veil-detect-2', args: ['--clean-pixels', '--jobs', '2'] },
    ].filter((_, i) => wanted(['header', 'plan', 'plan2', 'detect', 'detect2'][i]!));
    const tools = veilRuns.map(({ tool, out, args }) => ({
      tool,
      run: (): CleanPixelsRun => {
        const result: CleanPixelsRun = timed(tool, veil, ['deid', corpus, '--out', path.join(work, out), ...args], env);
        result.exported = countFiles(path.join(work, out, 'VEIL'));
        // The export's own phases; only the pixel stages of a one-thread run are worth a line.
        result.phases = result.phases?.filter((p) => p.startsWith('pixels'));
        rmSync(path.join(work, out), { recursive: true, force: true });
        return result;
      },
    }));
    if (wanted('pixelmed')) tools.push({
      tool: 'PixelMed DeidentifyAndRedact (same boxes)',
      run: () => {
        // PixelMed writes into an existing folder only (else every file fails, quickly).
        rmSync(pixelmedOut, { recursive: true, force: true });
        mkdirSync(pixelmedOut);
        const pm: CleanPixelsRun = runPixelmed('PixelMed DeidentifyAndRedact (same boxes)', corpus, pixelmedOut, redactFile);
        pm.exported = countFiles(pixelmedOut);
        return pm;
      },
    });
    const all = tools.map(() => [] as Array<CleanPixelsRun & { load: number }>);
    for (let round = 0; round < rounds; round++) tools.forEach((t, i) => all[i]!.push({ load: loadAverage(), ...t.run() }));
    const runs = all.map((list) => medianRun(list));
    return { files, frames, distinct, load: [before, loadAverage()], runs };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const middle = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

/** The run of median wall time, with the median CPU time of all rounds and every round's figures. */
function medianRun(list: Array<CleanPixelsRun & { load: number }>): CleanPixelsRun {
  const ok = list.filter((r) => r.seconds !== undefined);
  if (ok.length === 0) return list[0]!;
  const wall = middle(ok.map((r) => r.seconds!));
  const cpus = ok.flatMap((r) => (r.cpuSeconds !== undefined ? [r.cpuSeconds] : []));
  const { load: _load, ...chosen } = ok.find((r) => r.seconds === wall)!;
  return {
    ...chosen,
    ...(cpus.length ? { cpuSeconds: middle(cpus) } : {}),
    rounds: ok.map((r) => ({ seconds: r.seconds!, ...(r.cpuSeconds !== undefined ? { cpuSeconds: r.cpuSeconds } : {}), load: r.load })),
  };
}

export function printCleanPixels(f: CleanPixelsFigures): void {
  const pixelmed = f.runs.find((r) => r.tool.startsWith('PixelMed'))?.seconds;
  const pixelmedCpu = f.runs.find((r) => r.tool.startsWith('PixelMed'))?.cpuSeconds;
  const kind = f.distinct ? 'every copy\'s frames distinct' : 'copies repeat their frames';
  console.log(`\nClean Pixel Data, ankle CT ×60 + echo cine ×20 (real burned-in text; ${kind}): ${f.files} files, ${f.frames} frames`);
  console.log(`  wall time incl. start-up; CPU = user + system of all threads; load average ${f.load[0].toFixed(1)} → ${f.load[1].toFixed(1)} on ${availableParallelism()} cores`);
  for (const run of f.runs) {
    if (run.seconds === undefined) {
      console.log(`  ${run.tool.padEnd(48)} ${run.note}`);
      continue;
    }
    const ratio = pixelmed ? `  ${(pixelmed / run.seconds).toFixed(2)}× PixelMed's speed` : '';
    const cpu = run.cpuSeconds !== undefined ? `  cpu ${run.cpuSeconds.toFixed(2).padStart(5)} s${pixelmedCpu ? ` (${(pixelmedCpu / run.cpuSeconds).toFixed(2)}×)` : ''}` : '';
    const peak = run.peakMB !== undefined ? `  peak ${run.peakMB.toFixed(0)} MB` : '';
    const wrote = run.exported !== undefined && run.exported !== f.files ? `  WROTE ${run.exported} of ${f.files}` : '';
    console.log(
      `  ${run.tool.padEnd(48)} ${run.seconds.toFixed(2).padStart(6)} s  ${(f.files / run.seconds).toFixed(1).padStart(5)} files/s  ${(f.frames / run.seconds).toFixed(1).padStart(6)} frames/s${ratio}${cpu}${peak}${wrote}`,
    );
    if (run.rounds && run.rounds.length > 1) {
      const each = run.rounds.map((r) => `${r.seconds.toFixed(2)} s / cpu ${r.cpuSeconds?.toFixed(2) ?? '?'} s @ load ${r.load.toFixed(1)}`);
      console.log(`  ${''.padEnd(48)} medians of ${each.join(', ')}`);
    }
    if (run.phases?.length) console.log(`  ${''.padEnd(48)} ${run.phases.join('; ')}`);
  }
}
