// Progress for `veil deid`: a bar redrawn in place on a terminal, one plain line
// per file otherwise (logs, pipes, CI).
import type { ExportProgress } from '../export/exportStudies';

export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function createProgress(stream: ProgressOutput): { update(progress: ExportProgress): void; finish(): void } {
  if (!stream.isTTY) {
    return {
      update({ file }) {
        const where = file.status === 'exported' ? ` -> ${file.output}${file.resumed ? ' (already done)' : ''}` : `: ${file.reason}`;
        stream.write(`${file.status} ${file.input}${where}\n`);
      },
      finish() {},
    };
  }
  let drawn = false;
  return {
    update({ done, total, file }) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      // Problems stay on screen; the bar is redrawn below them.
      if (file.status === 'failed') stream.write(`${drawn ? '\r\x1b[K' : ''}failed ${file.input}: ${file.reason}\n`);
      stream.write(`\r\x1b[K[${bar}] ${done}/${total}`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
