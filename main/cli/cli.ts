// `veil`: the de-identification engine headless, for people with many studies.
//   veil deid <inputs...> --out <dir> [--profile <file>] [--report <file>] [--html <file>] [--jobs <n>]
//   veil scan <inputs...> [--json] [--values]
// Exit codes: 0 everything exported and verified, 1 some files failed (or the
// run was interrupted), 2 usage errors.
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import path, { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { allOptions, defaultProfile, parseProfile, type DeidProfile } from '../../shared/deid';
import { parseRedactionPlan, type RedactionPlan } from '../../shared/redact';
import { isInside } from '../app/containment';
import { collectInputFiles } from '../files/collect';
import { exportStudies, veilVersion } from '../export/exportStudies';
import { writeReports } from '../export/reportFiles';
import { OutputFolderError } from '../export/outputFolder';
import { checkLinkageLocation, LinkageLocationError, writeLinkageFile } from '../export/linkage';
import { loadSecret } from '../export/secret';
import { createWorkerRunner, filesPerWorker, filesWorthWorkers } from '../export/workerPool';
import { createProgress, type ProgressOutput } from './progress';
import { scanInputs } from './scan';
import { parsePaintRegions } from './paintRegion';
import { parallelScanOptions } from '../detect/parallelScan';

export interface CliIO {
  stdout: ProgressOutput;
  stderr: ProgressOutput;
  /** Where Ctrl-C comes from; the process by default. */
  onInterrupt?: (handler: () => void) => () => void;
}

const usage = `Usage:
  veil deid <inputs...> --out <folder> [--profile <file>] [--clean-pixels] [--plan <file.json>] [--report <file.json>]
            [--html <file.html>] [--jobs <n>] [--nifti] [--png] [--deface [--deface-fill air|noise|blur] [--deface-ears]]
            [--remove-markers] [--paint-region <seriesUID>:<x>,<y>,<z>:<r>]...
            [--linkage <file.csv>]
  veil scan <inputs...> [--json] [--values] [--header-only]
  veil --version

deid    writes de-identified, verified copies of the DICOM files in <inputs> to <folder>
        (VEIL/... and a DICOMDIR); non-DICOM files are listed as skipped, never copied.
        --profile      a profile JSON file ({"name": ..., "options": [...]}); default: Basic Profile
                       + Clean Descriptors + Retain Longitudinal Modified Dates
        --report       the JSON report: {"files": [{"input", "output", "status", "reason", ...}]}
        --html         the same report as a readable HTML page
        --linkage      also a CSV linking each original PatientID, PatientName and StudyInstanceUID
                       to its pseudonyms (keep it private: it re-identifies the export); outside <folder>
        --jobs         threads for the per-file work (this one and n-1 workers, 4 files in flight each);
                       default: one per core (up to 4)
                       from 200 input files on, else 1 (always 1 with --clean-pixels/--plan:
                       the OCR runs in two threads of its own)
        --nifti        also one NIfTI-1 volume per series in NIFTI/ (uncompressed single-frame series only)
        --png          also a PNG of each series' middle image in PNG/ (uncompressed greyscale only)
        --clean-pixels fills burned-in text black (found by offline OCR; technical text such as kV
                       or W/L is kept unless the profile says "technicalText": "redact"), re-encodes
                       losslessly, reads every copy again by OCR and only then claims Clean Pixel Data
        --plan         a redaction plan (boxes per file and per device: {"files", "signatures",
                       "keepTechnicalText"}, as the viewer saves it); implies --clean-pixels; files
                       it has boxes for use them instead of detection, and are still read by OCR
        --deface       finds faces that can be rebuilt from head volumes (3D renders, offline face
                       detector), replaces them with air, renders again from every view and claims
                       Clean Recognizable Visual Features only when no face is found
        --deface-fill  what replaces the face: air (default; MR: the background's level), noise (samples
                       of the background) or blur (a heavy blur of the original; the renders decide)
        --deface-ears  the face mask also takes the ears (they identify people too)
        --remove-markers
                       finds marks on the skin of CT/MR volumes (tattoo ink, skin markers, piercings),
                       fills them with the surrounding tissue (objects on the skin: air), searches
                       again, and fails a series where one still shows; the report lists each one
        --paint-region a region painted on the skin (a scar): series, centre (LPS mm), radius (1–30 mm);
                       its soft tissue within 6 mm of the skin is filled like a marker; repeatable
scan    lists what the headers and the pixels reveal: header PHI, burned-in text (OCR, offline)
        --json         one document, see shared/export/scan.schema.json (burned-in text findings
                       carry the text read)
        --values       also prints the header values themselves
        --header-only  skips the pixel checks (fast)

Exit codes: 0 all DICOM inputs exported and verified; 1 some failed or the run was interrupted; 2 usage error.
`;

class UsageError extends Error {}

function processInterrupt(handler: () => void): () => void {
  process.on('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}

export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'deid':
        return await deid(rest, io);
      case 'scan':
        return await scan(rest, io);
      case '--version':
      case 'version':
        io.stdout.write(`veil ${veilVersion}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(usage);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof OutputFolderError || error instanceof LinkageLocationError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`veil: ${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    throw error;
  }
}

async function loadProfile(file: string | undefined): Promise<DeidProfile> {
  if (!file) return defaultProfile;
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`the profile ${file} cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return parseProfile(json);
  } catch (error) {
    throw new UsageError(`the profile ${file} is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function loadPlan(file: string): Promise<RedactionPlan> {
  let json: string;
  try {
    json = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the redaction plan ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return parseRedactionPlan(json);
  } catch (error) {
    throw new UsageError(`the redaction plan ${file} is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Progress lines to a pipe or a file go out together once the files finished at the same
 * time are all reported (one write per file cost more than exporting it: each write
 * wakes the reader). A line is still written only after its file is in place.
 */
function coalescedLines(stream: ProgressOutput): ProgressOutput & { flush(): void } {
  let pending = '';
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending === '') return;
    const text = pending;
    pending = '';
    stream.write(text);
  };
  return {
    isTTY: false,
    write(text: string) {
      pending += text;
      if (pending.length > 1 << 16) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
    flush,
  };
}

/**
 * Without --jobs: one worker thread per core (up to 4) for big inputs (see filesWorthWorkers), one thread otherwise.
 * With Clean Pixel Data, one thread: its two tesseract workers use the cores, and its frame memory answers
 * every repeated frame (export threads would each read them again: 6.2 s against 9.8–11.6 s CPU on the bench).
 */
async function defaultJobs(inputs: readonly string[], cleanPixels: boolean): Promise<number> {
  // This thread's file work alone keeps ~1.4 cores busy (GC, the thread pool's creates and
  // fsyncs, the kernel's writes): on 2 cores a worker only fights it (1,080 CT files: --jobs 2
  // 1.82 s wall, 2.87 s CPU; --jobs 1 1.72 s, 2.44 s CPU, quiet machine). A core is left for that.
  const cores = Math.min(4, availableParallelism() - 1);
  if (cores < 2 || cleanPixels) return 1;
  const { files } = await collectInputFiles(inputs);
  return files.length >= filesWorthWorkers ? cores : 1;
}

/** --jobs as given; undefined when absent (the default depends on the input). */
function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`--jobs wants a whole number from 1 to 64, not "${value}"`);
  return jobs;
}

async function deid(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      profile: { type: 'string' },
      report: { type: 'string' },
      html: { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      nifti: { type: 'boolean' },
      png: { type: 'boolean' },
      'clean-pixels': { type: 'boolean' },
      plan: { type: 'string' },
      linkage: { type: 'string' },
      deface: { type: 'boolean' },
      'deface-fill': { type: 'string' },
      'deface-ears': { type: 'boolean' },
      'remove-markers': { type: 'boolean' },
      'paint-region': { type: 'string', multiple: true },
    },
  });
  if (positionals.length === 0) throw new UsageError('deid needs at least one input file or folder');
  if (!values.out) throw new UsageError('deid needs --out <folder>');
  const out = path.resolve(values.out);
  // Reports name the input paths: they must not travel with the export.
  for (const file of [values.report, values.html]) {
    if (file && (path.resolve(file) === out || isInside(out, path.resolve(file)))) {
      throw new UsageError(`write the report outside the export folder (${file}): it names your input files`);
    }
  }
  const fill = values['deface-fill'];
  if (fill !== undefined && fill !== 'air' && fill !== 'noise' && fill !== 'blur') throw new UsageError(`--deface-fill is air, noise or blur, not "${fill}"`);
  if ((fill !== undefined || values['deface-ears']) && !values.deface) throw new UsageError('--deface-fill and --deface-ears go with --deface');
  if (values.linkage) checkLinkageLocation(values.linkage, out);
  let painted;
  try {
    painted = parsePaintRegions(values['paint-region']);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const loaded = await loadProfile(values.profile);
  const redactionPlan = values.plan ? await loadPlan(values.plan) : undefined;
  // --clean-pixels (or a plan) and --deface are the profile's pixel options, however the profile was given.
  const added = new Set<string>([
    ...(values['clean-pixels'] || redactionPlan ? ['cleanPixelData'] : []),
    ...(values.deface ? ['cleanRecognizableVisualFeatures'] : []),
  ]);
  const profile: DeidProfile = { ...loaded, options: allOptions.filter((o) => added.has(o) || loaded.options.includes(o)) };
  const jobs = parseJobs(values.jobs) ?? (await defaultJobs(positionals, profile.options.includes('cleanPixelData')));
  const secret = await loadSecret();

  const controller = new AbortController();
  let interrupts = 0;
  const stopListening = (io.onInterrupt ?? processInterrupt)(() => {
    if (++interrupts > 1) process.exit(130);
    io.stderr.write('\nveil: stopping after the files in progress; run the same command again to resume (Ctrl-C again to quit now)\n');
    controller.abort();
  });
  const progressOutput = io.stderr.isTTY ? undefined : coalescedLines(io.stderr);
  const progress = createProgress(progressOutput ?? io.stderr);
  // This thread is one of the n (nothing else waits on it here): one worker fewer to start and warm up.
  const runner = jobs > 1 ? createWorkerRunner(jobs, undefined, undefined, { callerWorks: true }) : undefined;
  let run;
  try {
    run = await exportStudies({
      inputs: positionals,
      outputFolder: out,
      profile,
      secret,
      signal: controller.signal,
      onProgress: progress.update,
      nifti: !!values.nifti,
      png: !!values.png,
      redactionPlan,
      ...(values['remove-markers'] || painted ? { skinMarkers: { ...(values['remove-markers'] ? {} : { accepted: new Map() }), ...(painted ? { painted } : {}) } } : {}),
      ...(fill || values['deface-ears'] ? { deface: { fill: fill ? { method: fill } : {}, mask: values['deface-ears'] ? { ears: true } : {} } } : {}),
      runFile: runner?.run,
      // Headers too: this thread plans alone while the workers load, then they share the rest
      // (1,080 files, load 8-10: plan phase ~790 -> ~630 ms wall, same CPU).
      planFile: runner ? (input: string) => runner.plan(input, profile) : undefined,
      concurrency: runner ? jobs * filesPerWorker : undefined,
    });
  } finally {
    progress.finish();
    progressOutput?.flush();
    stopListening();
    await runner?.close();
  }

  const { report, totals } = run;
  let linked;
  try {
    // Both reports in one pass over the entries, which wait on disk (a big export's report never sits in memory whole).
    if (values.report || values.html) await writeReports(run, { json: values.report, html: values.html });
    // Only on request; the report never carries it.
    linked = values.linkage ? await writeLinkageFile({ outputFolder: report.outputFolder, files: run.files }, values.linkage) : undefined;
  } finally {
    run.close();
  }
  const counts = totals.counts;
  io.stdout.write(
    `${report.complete ? 'Export complete' : 'Export incomplete'}: ${counts.exported} exported, ${counts.failed} failed, ${counts.skipped} skipped -> ${report.outputFolder}\n`,
  );
  for (const note of report.notes) io.stdout.write(`  ${note}\n`);
  if (linked !== undefined) io.stdout.write(`  Linkage file (private: it re-identifies the export): ${linked} studies -> ${values.linkage}\n`);
  return report.complete ? 0 : 1;
}

async function scan(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean' }, values: { type: 'boolean' }, 'header-only': { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new UsageError('scan needs at least one input file or folder');
  const controller = new AbortController();
  const stopListening = (io.onInterrupt ?? processInterrupt)(() => {
    io.stderr.write('\nveil: scan stopped\n');
    controller.abort();
  });
  // A bar on a terminal only: the pixel checks take a while; plain output stays clean for scripts.
  const bar = io.stderr.isTTY
    ? (done: number, total: number) => io.stderr.write(`\r\x1b[Kscanning ${done}/${total}${done === total ? '\r\x1b[K' : ''}`)
    : undefined;
  let document;
  try {
    document = await scanInputs(positionals, {
      includeValues: !!values.values,
      pixels: !values['header-only'],
      // In this process, as the app's scan worker reads: nothing else waits on this thread.
      ...parallelScanOptions(),
      signal: controller.signal,
      onProgress: bar,
    });
  } catch (error) {
    if (controller.signal.aborted) return 130;
    throw error;
  } finally {
    stopListening();
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    return 0;
  }
  for (const series of document.series) {
    io.stdout.write(`Series ${series.seriesInstanceUID || '(no UID)'} ${series.modality}: ${series.files.length} file(s), ${series.findings.length} finding(s)\n`);
    const byPath = new Map<string, { detail: string; count: number; value?: string }>();
    for (const f of series.findings) {
      if (f.kind === 'burned-in-text') {
        const [x, y, w, h] = f.where.box ?? [0, 0, 0, 0];
        const picture = f.where.image && f.where.image !== 'pixels' ? ` of the ${f.where.image}` : '';
        io.stdout.write(`  Burned-in text (${f.textClass}) in frame ${(f.where.frame ?? 0) + 1}${picture} at ${x},${y} ${w}×${h}: "${f.text ?? ''}" (${basename(f.where.file)})\n`);
        continue;
      }
      const key = `${f.where.path ?? f.where.tag ?? ''}\0${f.value ?? ''}`;
      const seen = byPath.get(key);
      if (seen) seen.count++;
      else byPath.set(key, { detail: f.detail, count: 1, value: f.value });
    }
    for (const { detail, count, value } of byPath.values()) {
      io.stdout.write(`  ${detail}${value !== undefined ? ` [${value}]` : ''}${count > 1 ? ` (${count} files)` : ''}\n`);
    }
  }
  for (const s of document.skipped) io.stdout.write(`skipped ${s.input}: ${s.reason}\n`);
  for (const u of document.unchecked ?? []) io.stdout.write(`not fully checked ${u.input}: ${u.reason}\n`);
  return 0;
}
