// "What will the export write?" for one opened file: the export's own engine
// (shared/export/preview) over the original's bytes, with the same secret, so
// pseudonyms, UIDs and shifted dates are the ones the export will write.
import type { FileId } from '../../shared/api/contract';
import { defaultProfile, type DeidProfile } from '../../shared/deid';
import { previewDeid, type DeidPreview } from '../../shared/export/preview';
import type { FileRegistry } from '../files/registry';
import { readOriginal } from '../files/readOnly';
import { InvalidRequestError } from '../ipc/invalidRequest';

export interface PreviewOptions {
  registry: Pick<FileRegistry, 'pathOf'>;
  /** The export's secret (main/export/secret.ts). */
  secret: () => Promise<string>;
}

export type PreviewFile = (fileId: FileId, profile?: DeidProfile) => Promise<DeidPreview>;

export function createPreview(options: PreviewOptions): PreviewFile {
  return async (fileId, profile) => {
    const filePath = options.registry.pathOf(fileId);
    if (!filePath) throw new InvalidRequestError('Unknown file id');
    const bytes = await readOriginal(filePath);
    return previewDeid(bytes, profile ?? defaultProfile, { secret: await options.secret() });
  };
}
