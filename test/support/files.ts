// Every file below a folder, hidden ones included (an export's journal and
// temporary folder must be searched too), in a stable order.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function allFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? allFiles(p) : [p];
    });
}
