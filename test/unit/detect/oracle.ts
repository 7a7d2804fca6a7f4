// The tesseract CLI as an independent OCR: words and their boxes on a PNG of a
// picture (`tesseract img.png stdout --psm 11 tsv`), and coverage of a box by findings.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Box, Gray8 } from '../../../shared/detect';
import { encodeGreyPng } from '../../../shared/export/png';

export const workDir = mkdtempSync(join(tmpdir(), 'veil-detect-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
let counter = 0;

export interface OracleWord {
  text: string;
  box: Box;
  confidence: number;
}

export function writePng(image: Gray8): string {
  const path = join(workDir, `${counter++}.png`);
  writeFileSync(path, encodeGreyPng(image.data, image.width, image.height));
  return path;
}

/** Words the tesseract CLI reads on the whole picture (sparse text mode). */
export function tesseractCli(image: Gray8): OracleWord[] {
  const tsv = execFileSync('tesseract', [writePng(image), 'stdout', '--psm', '11', 'tsv'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const words: OracleWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const cells = row.split('\t');
    if (cells.length < 12 || cells[0] !== '5') continue;
    const text = cells[11]!.trim();
    if (!text) continue;
    const [x, y, width, height] = cells.slice(6, 10).map(Number) as [number, number, number, number];
    words.push({ text, box: { x, y, width, height }, confidence: Number(cells[10]) / 100 });
  }
  return words;
}

/** Share of `box` covered by the union of `boxes`. */
export function covered(box: Box, boxes: readonly Box[]): number {
  let on = 0;
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++)
      if (boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height)) on++;
  return on / Math.max(1, box.width * box.height);
}
