// De-identification throughput on the issue's corpus: the Cranium CT series
// ×10 with distinct UIDs (1,080 files), written by Veil's writer into a temp
// folder. Side by side in one run: `veil deid` (1 and 2 worker threads),
// `gdcmanon -e` (GDCM, PS3.15 basic profile), PixelMed DeidentifyAndRedact
// when installed, and a plain `cp -r`. Machines are noisy: each tool runs
// VEIL_DEID_RUNS times (default 3) and the median is shown, with CPU time and the
// load average; read the ratios. Veil on one copy (108 files) shows whether memory
// stays flat in the number of files. Veil and gdcmanon run once more with corpus and
// output in /dev/shm (tmpfs): the same work without the disk. fileFloor.mjs, Veil's file
// work with no DICOM logic, shows how much of gdcmanon's time Node's I/O alone takes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Tags, readDicom, setValue, uidFromName, writeDicom } from '../../shared/dicom';
import { fixtures } from '../fixtures/paths';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pixelmedJar = '/usr/share/java/pixelmed.jar';
const floorScript = path.join(repo, 'test', 'bench', 'fileFloor.mjs');
const floorTool = 'file work alone (Node)';

export interface DeidRun {
  tool: string;
  seconds?: number;
  /** Peak resident memory of the process, from /usr/bin/time. */
  peakMB?: number;
  /** CPU time (user + system, all threads), from /usr/bin/time: steadier than wall time on a shared machine. */
  cpuSeconds?: number;
  note?: string;
  /** Veil's own phases (VEIL_TIMINGS=1), e.g. "plan (headers) 290 ms". */
  phases?: string[];
  /** A start-up figure, not a run over the corpus (no files/s). */
  startupOnly?: boolean;
  /** Files in the run when not the whole corpus. */
  files?: number;
  /** Wall times of every repeat (the figures above are the median run's). */
  walls?: number[];
  /** The run its ratio is against (default: gdcmanon on disk). */
  against?: string;
}

export interface DeidFigures {
  files: number;
  copies: number;
  megabytes: number;
  runs: DeidRun[];
  /** 1-minute load average before and after (the machine is shared). */
  load: [number, number];
}

const uidTags = [Tags.StudyInstanceUID, Tags.SeriesInstanceUID, Tags.SOPInstanceUID, '00200052'];

/** The Cranium series `copies` times, each copy with its own Study/Series/SOP/Frame of Reference UIDs. */
export function buildCorpus(root: string, copies: number): { files: number; bytes: number } {
  const sources = readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).sort();
  let bytes = 0;
  for (let copy = 0; copy < copies; copy++) {
    const folder = path.join(root, `copy${String(copy).padStart(2, '0')}`);
    mkdirSync(folder, { recursive: true });
    for (const name of sources) {
      const file = readDicom(new Uint8Array(readFileSync(path.join(fixtures.craniumDicom, name))));
      for (const tag of uidTags) {
        const uid = file.dataset.string(tag);
        if (uid) setValue(file.dataset, tag, uidFromName(`bench-copy-${copy}:${uid}`), 'UI');
      }
      setValue(file.meta, Tags.MediaStorageSOPInstanceUID, file.dataset.string(Tags.SOPInstanceUID), 'UI');
      const out = writeDicom(file);
      bytes += out.length;
      writeFileSync(path.join(folder, name), out);
    }
  }
  return { files: sources.length * copies, bytes };
}

/** Wall time and peak RSS of one command (GNU time's %M is in KiB). */
export function timed(tool: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): DeidRun {
  const useTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const run = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 28 })
    : spawnSync(command, args, { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) return { tool, note: `failed (exit ${run.status}): ${String(run.stderr).trim().split('\n').slice(-2).join(' ')}` };
  const [kib, user, system] = useTime ? String(run.stderr).trim().split('\n').pop()!.split(' ').map(Number) : [NaN, NaN, NaN];
  const phases = [...String(run.stderr).matchAll(/^veil timing: (.+)$/gm)].map((m) => m[1]);
  return {
    tool,
    seconds,
    peakMB: Number.isFinite(kib) ? kib / 1024 : undefined,
    cpuSeconds: Number.isFinite(user + system) ? user + system : undefined,
    phases: phases.length > 0 ? phases : undefined,
  };
}

/** `timed` `repeats` times (the output folder emptied before each); the median run by wall time. */
function median(repeats: number, out: string, run: () => DeidRun): DeidRun {
  const runs: DeidRun[] = [];
  for (let i = 0; i < repeats; i++) {
    rmSync(out, { recursive: true, force: true });
    runs.push(run());
  }
  const ok = runs.filter((r) => r.seconds !== undefined).sort((a, b) => a.seconds! - b.seconds!);
  if (ok.length === 0) return runs[0];
  return { ...ok[Math.floor((ok.length - 1) / 2)], walls: runs.map((r) => r.seconds ?? NaN) };
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, name) => {
    const p = path.join(dir, name);
    return n + (statSync(p).isDirectory() ? countFiles(p) : 1);
  }, 0);
}

/** PixelMed's DeidentifyAndRedact (boxes per image size in `redactFile`), timed; a note when not installed. */
export function runPixelmed(tool: string, corpus: string, out: string, redactFile: string): DeidRun {
  if (!existsSync(pixelmedJar)) return { tool, note: `not installed (${pixelmedJar}); apt-get install pixelmed-apps` };
  const args = ['-Djava.awt.headless=true', '-cp', pixelmedJar, 'com.pixelmed.apps.DeidentifyAndRedact', corpus, out, redactFile, 'KEEPSAFEPRIVATE'];
  return timed(tool, 'java', args);
}

/** `VEIL_DEID_COPIES` (default 10) sets the corpus size, e.g. 20 for 2,160 files (is memory flat in the number of files?). */
export function benchDeid(copies = Number(process.env.VEIL_DEID_COPIES ?? 10)): DeidFigures {
  const work = mkdtempSync(path.join(tmpdir(), 'veil-bench-deid-'));
  const loadBefore = loadavg()[0];
  try {
    const corpus = path.join(work, 'corpus');
    const { files, bytes } = buildCorpus(corpus, copies);
    const runs: DeidRun[] = [];
    const veil = path.join(repo, 'main', 'cli', 'veil.mjs');
    // Run as `npx veil` runs it: through its shebang, whose node flags cap the young generation.
    const env = { ...process.env, VEIL_SECRET_FILE: path.join(work, 'secret'), VEIL_TIMINGS: '1' };
    // Start-up alone (the CLI bundle, rebuilt here first if a source changed).
    timed('veil --help', process.execPath, [veil, '--help'], env);
    runs.push({ ...timed('veil --help (start-up only)', process.execPath, [veil, '--help'], env), startupOnly: true });

    // Warm the page cache so the first tool does not pay for everyone.
    spawnSync('cp', ['-r', corpus, path.join(work, 'warm')]);
    rmSync(path.join(work, 'warm'), { recursive: true, force: true });

    const repeats = Math.max(1, Number(process.env.VEIL_DEID_RUNS ?? 3));
    const cpOut = path.join(work, 'out-cp');
    runs.push(median(repeats, cpOut, () => timed('cp -r (plain copy)', 'cp', ['-r', corpus, cpOut])));
    for (const jobs of [1, 2]) {
      const out = path.join(work, `out-veil-${jobs}`);
      const run = median(repeats, out, () => timed(`veil deid --jobs ${jobs}`, veil, ['deid', corpus, '--out', out, '--jobs', String(jobs)], env));
      const exported = countFiles(path.join(out, 'VEIL'));
      if (exported !== files) run.note = `exported ${exported} of ${files}`;
      runs.push(run);
    }
    // One copy: memory should not grow with the number of files.
    const oneCopy = path.join(corpus, 'copy00');
    const oneOut = path.join(work, 'out-veil-one');
    const perCopy = files / copies;
    runs.push({
      ...median(repeats, oneOut, () => timed(`veil deid --jobs 1, ${perCopy} files`, veil, ['deid', oneCopy, '--out', oneOut, '--jobs', '1'], env)),
      files: perCopy,
    });

    // gdcmanon encrypts the removed attributes for the certificate's owner: a throwaway one.
    const key = path.join(work, 'key.pem');
    const cert = path.join(work, 'cert.pem');
    const openssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=t'], {
      stdio: 'ignore',
    });
    if (openssl.status === 0) {
      const gdcmOut = path.join(work, 'out-gdcm');
      const gdcm = median(repeats, gdcmOut, () => timed('gdcmanon -e (GDCM)', 'gdcmanon', ['-e', '-c', cert, '-i', corpus, '-o', gdcmOut, '-r', '--continue']));
      const written = countFiles(gdcmOut);
      if (written !== files) gdcm.note = `wrote ${written} of ${files}`;
      runs.push(gdcm);
    } else {
      runs.push({ tool: 'gdcmanon -e (GDCM)', note: 'openssl could not make a certificate' });
    }
    // Veil's file work alone in Node (fileFloor.mjs: reads, temporary file, read-back, fsync,
    // rename; no DICOM logic): a Node export that verifies its copies from disk does all this and more.
    const floorOut = path.join(work, 'out-floor');
    runs.push(median(repeats, floorOut, () => timed(floorTool, process.execPath, [floorScript, corpus, floorOut])));

    // The same in memory (tmpfs), where the disk's noise is gone: what is left is each
    // tool's own work (this VM's file creation alone varied 0.4–1 s between identical copies).
    const memory = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/veil-bench-deid-') : undefined;
    if (memory && openssl.status === 0) {
      try {
        const inMemory = path.join(memory, 'corpus');
        spawnSync('cp', ['-r', corpus, inMemory]);
        const veilOut = path.join(memory, 'out-veil');
        runs.push({ ...median(repeats, veilOut, () => timed('veil deid --jobs 1, tmpfs', veil, ['deid', inMemory, '--out', veilOut, '--jobs', '1'], env)), against: 'gdcmanon -e, tmpfs' });
        const gdcmOut = path.join(memory, 'out-gdcm');
        runs.push({ ...median(repeats, gdcmOut, () => timed('gdcmanon -e, tmpfs', 'gdcmanon', ['-e', '-c', cert, '-i', inMemory, '-o', gdcmOut, '-r', '--continue'])), against: 'gdcmanon -e, tmpfs' });
        const floorMemory = path.join(memory, 'out-floor');
        runs.push({ ...median(repeats, floorMemory, () => timed(`${floorTool}, tmpfs`, process.execPath, [floorScript, inMemory, floorMemory])), against: 'gdcmanon -e, tmpfs' });
      } finally {
        rmSync(memory, { recursive: true, force: true });
      }
    }

    const redact = path.join(work, 'redact.txt');
    writeFileSync(redact, '');
    // PixelMed writes nothing (and still exits 0) when its output folder is missing: make it, then count.
    const pixelmedOut = path.join(work, 'out-pixelmed');
    mkdirSync(pixelmedOut);
    const pixelmed = runPixelmed('PixelMed DeidentifyAndRedact', corpus, pixelmedOut, redact);
    const written = countFiles(pixelmedOut);
    if (!pixelmed.note && written !== files) pixelmed.note = `wrote ${written} of ${files}`;
    runs.push(pixelmed);
    return { files, copies, megabytes: bytes / 1e6, runs, load: [loadBefore, loadavg()[0]] };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function printDeid(f: DeidFigures): void {
  const gdcm = f.runs.find((r) => r.tool.startsWith('gdcmanon'))?.seconds;
  console.log(`\nDe-identification, Cranium CT ×${f.copies} with distinct UIDs: ${f.files} files, ${f.megabytes.toFixed(1)} MB (wall time incl. process start)`);
  console.log(`  load average (1 min) ${f.load[0].toFixed(1)} before, ${f.load[1].toFixed(1)} after, on ${availableParallelism()} cores; median of each tool's runs`);
  for (const run of f.runs) {
    if (run.seconds === undefined) {
      console.log(`  ${run.tool.padEnd(30)} ${run.note}`);
      continue;
    }
    if (run.startupOnly) {
      console.log(`  ${run.tool.padEnd(30)} ${run.seconds.toFixed(2).padStart(7)} s`);
      continue;
    }
    const reference = run.against ? f.runs.find((r) => r.tool === run.against)?.seconds : gdcm;
    const ratio = reference ? `  ${(run.seconds / reference).toFixed(2)}× ${run.against ?? 'gdcmanon'}` : '';
    const memory = run.peakMB !== undefined ? `  peak ${run.peakMB.toFixed(0).padStart(4)} MB` : '';
    const cpu = run.cpuSeconds !== undefined ? `  cpu ${run.cpuSeconds.toFixed(2).padStart(5)} s` : '';
    const walls = run.walls && run.walls.length > 1 ? `  [${run.walls.map((w) => w.toFixed(2)).join(', ')}]` : '';
    console.log(
      `  ${run.tool.padEnd(30)} ${run.seconds.toFixed(2).padStart(7)} s  ${((run.files ?? f.files) / run.seconds).toFixed(0).padStart(6)} files/s${cpu}${memory}${run.files ? '' : ratio}${run.note ? `  (${run.note})` : ''}${walls}`,
    );
    if (run.phases) console.log(`  ${''.padEnd(30)} ${run.phases.join(', ')}`);
  }
}
