// The desktop path's cost of opening a series: main's indexStudy (walk the
// folder, read every file read-only, parse, build the study index) in Node,
// on the same series the renderer bench opens. In Electron this replaces the
// in-tab indexing of browser mode.
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { indexStudy } from '../../main/files/indexStudy';
import { FileRegistry } from '../../main/files/registry';
import { median } from './renderer';

export interface IndexingFigures {
  name: string;
  files: number;
  megabytes: number;
  /** Seconds per round. */
  seconds: number[];
  indexedInstances: number;
}

/** Opens the folder holding `files` with indexStudy, `rounds` times after one warm-up. */
export async function benchIndexing(series: Array<{ name: string; files: string[] }>, rounds = 3): Promise<IndexingFigures[]> {
  const figures: IndexingFigures[] = [];
  for (const { name, files } of series) {
    const folder = path.dirname(files[0]);
    const open = () => indexStudy([folder], name, { registry: new FileRegistry() });
    const warm = await open();
    const seconds: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const start = performance.now();
      await open();
      seconds.push((performance.now() - start) / 1000);
    }
    figures.push({
      name,
      files: files.length,
      megabytes: files.reduce((sum, file) => sum + statSync(file).size, 0) / 1e6,
      seconds,
      indexedInstances: warm.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((r) => r.instances))).length,
    });
  }
  return figures;
}

export function printIndexing(figures: IndexingFigures[]): void {
  console.log('\nDesktop open: main indexStudy on the series folder in Node (median of rounds, page cache warm)');
  for (const f of figures) {
    const s = median(f.seconds);
    const label = `${f.name} (${f.indexedInstances} indexed)`;
    console.log(`  ${label.padEnd(44)} ${s.toFixed(3).padStart(8)} s  ${(f.files / s).toFixed(0).padStart(7)} files/s  ${(f.megabytes / s).toFixed(1).padStart(8)} MB/s`);
  }
}
