// Parse throughput of Veil's DICOM core in Node next to dcmtk's dcmdump on the
// same files, in the same run (machines are noisy: compare the ratio).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { readDicom } from '../../shared/dicom';
import { benchCorpus } from './corpus';

export interface ParseFigures {
  files: number;
  megabytes: number;
  veilFullSeconds: number;
  veilHeaderSeconds: number;
  dcmdumpSeconds: number;
}

function readable(paths: string[]): string[] {
  return paths.filter((path) => {
    try {
      readDicom(readFileSync(path));
      return spawnSync('dcmdump', ['-q', path], { stdio: 'ignore' }).status === 0;
    } catch {
      return false;
    }
  });
}

function timeVeil(paths: string[], headerOnly: boolean, rounds: number): number {
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const path of paths) readDicom(readFileSync(path), { headerOnly });
  }
  return (performance.now() - start) / 1000 / rounds;
}

function timeDcmdump(paths: string[], rounds: number): number {
  const start = performance.now();
  for (let r = 0; r < rounds; r++) {
    // One process for all files, as a user would run it; output discarded.
    execFileSync('dcmdump', ['-q', '+L', ...paths], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
  }
  return (performance.now() - start) / 1000 / rounds;
}

export function benchParse(rounds = 3): ParseFigures {
  const paths = readable(benchCorpus());
  const bytes = paths.reduce((sum, path) => sum + statSync(path).size, 0);
  timeVeil(paths, false, 1); // warm the JIT and the page cache
  return {
    files: paths.length,
    megabytes: bytes / 1e6,
    veilFullSeconds: timeVeil(paths, false, rounds),
    veilHeaderSeconds: timeVeil(paths, true, rounds),
    dcmdumpSeconds: timeDcmdump(paths, rounds),
  };
}

export function printParse(f: ParseFigures): void {
  const row = (name: string, s: number) =>
    `  ${name.padEnd(28)} ${s.toFixed(3).padStart(8)} s  ${(f.files / s).toFixed(0).padStart(7)} files/s  ${(f.megabytes / s).toFixed(1).padStart(8)} MB/s  ${(s / f.dcmdumpSeconds).toFixed(2)}× dcmdump`;
  console.log(`\nDICOM parse, ${f.files} real files, ${f.megabytes.toFixed(1)} MB (mean of rounds)`);
  console.log(row('Veil readDicom (full)', f.veilFullSeconds));
  console.log(row('Veil readDicom (header only)', f.veilHeaderSeconds));
  console.log(row('dcmdump -q +L (dcmtk)', f.dcmdumpSeconds));
}
