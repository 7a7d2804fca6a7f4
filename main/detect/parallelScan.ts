// How a pixel scan uses the machine: one tesseract thread per core (two at
// most) while the scanning thread decodes and pre-screens, and one file more in
// flight than OCR threads so neither side waits for the other.
import { availableParallelism } from 'node:os';
import type { ScanOptions } from '../cli/scan';
import { TesseractPool } from './tesseractEngine';

export function parallelScanOptions(cores = availableParallelism()): Pick<ScanOptions, 'createOcr' | 'concurrency'> {
  const ocrWorkers = Math.max(1, Math.min(2, cores));
  return { createOcr: () => TesseractPool.start(ocrWorkers), concurrency: ocrWorkers + 1 };
}
