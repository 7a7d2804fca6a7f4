// Progress output: a bar redrawn in place on a terminal (failures kept on
// screen), one plain line per file otherwise.
import { describe, expect, it } from 'vitest';
import type { FileReport } from '../../../shared/export';
import { createProgress } from '../../../main/cli/progress';

const exported: FileReport = { input: '/in/a.dcm', output: 'VEIL/P0001/ST001/SE001/IM00001', status: 'exported', reason: null };
const failed: FileReport = { input: '/in/b.dcm', output: null, status: 'failed', reason: 'damaged DICOM file: truncated' };

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 60, write: (text: string) => chunks.push(text) } };
}

describe('createProgress', () => {
  it('writes one line per file when not on a terminal', () => {
    const { chunks, stream } = sink(false);
    const progress = createProgress(stream);
    progress.update({ done: 1, total: 2, file: exported });
    progress.update({ done: 2, total: 2, file: failed });
    progress.finish();
    expect(chunks.join('')).toBe('exported /in/a.dcm -> VEIL/P0001/ST001/SE001/IM00001\nfailed /in/b.dcm: damaged DICOM file: truncated\n');
  });

  it('redraws a bar on a terminal and keeps failures on screen', () => {
    const { chunks, stream } = sink(true);
    const progress = createProgress(stream);
    progress.update({ done: 1, total: 4, file: exported });
    progress.update({ done: 2, total: 4, file: failed });
    progress.finish();
    const text = chunks.join('');
    expect(text).toMatch(/\r\x1b\[K\[#{5}-{15}\] 1\/4/);
    expect(text).toContain('failed /in/b.dcm: damaged DICOM file: truncated\n');
    expect(text).toMatch(/\[#{10}-{10}\] 2\/4\n$/);
    expect(text).not.toContain('/in/a.dcm');
  });
});
