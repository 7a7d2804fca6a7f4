// The privacy scan in its worker thread (main/detect/scanHost.ts) on real scans:
// the same document as the scan in this thread — burned-in text on the ankle
// screenshot, the face of the Cranium CT — progress on the way, and a cancel
// that ends the worker and its OCR threads before the promise settles.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanInputs } from '../../../main/cli/scan';
import { defacePreviewInWorker, liveScanWorkers, scanInWorker } from '../../../main/detect/scanHost';
import type { ScanDocument } from '../../../shared/export';
import { fixtures } from '../../fixtures/paths';

const ankle = path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm');

/** Threads of this process now (Linux): the worker and the tesseract threads it started are among them. */
const threads = (): number => readdirSync('/proc/self/task').length;

const pixelFindings = (document: ScanDocument) => document.series.flatMap((s) => s.findings.filter((f) => f.kind !== 'header-phi'));

describe('the scan worker', () => {
  it("defaces Cranium for the viewer's preview off main's thread, and refuses files of two series", async () => {
    const files = readdirSync(fixtures.craniumDicom).map((name) => path.join(fixtures.craniumDicom, name));
    const preview = await defacePreviewInWorker(files, {});
    expect(liveScanWorkers()).toBe(0);
    expect(preview.status).toBe('defaced');
    expect(preview.voxels).toBeGreaterThan(10_000);
    expect(preview.slices.length).toBeGreaterThan(0);
    await expect(defacePreviewInWorker([...files.slice(0, 2), ankle], {})).rejects.toThrow(/one series/);
    expect(liveScanWorkers()).toBe(0);
  }, 180_000);

  it('reads the ankle screenshot\'s burned-in text as the scan in this thread does, with progress', async () => {
    const progress: Array<[number, number]> = [];
    const inWorker = await scanInWorker([ankle], { pixels: true, onProgress: (done, total) => progress.push([done, total]) });
    expect(liveScanWorkers()).toBe(0);
    const here = await scanInputs([ankle], { pixels: true });
    expect(inWorker).toEqual(here);
    const text = pixelFindings(inWorker).filter((f) => f.kind === 'burned-in-text');
    expect(text.filter((f) => f.textClass === 'identifying').length).toBeGreaterThanOrEqual(5);
    expect(text.map((f) => f.text).join(' ')).toContain('JFK');
    // One file read, then its series checked for a face.
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  }, 120_000);

  it('finds the Cranium CT\'s face as the scan in this thread does', async () => {
    let last: [number, number] | undefined;
    const inWorker = await scanInWorker([fixtures.craniumDicom], { pixels: true, onProgress: (done, total) => (last = [done, total]) });
    const here = await scanInputs([fixtures.craniumDicom], { pixels: true });
    expect(inWorker).toEqual(here);
    expect(pixelFindings(inWorker).some((f) => f.kind === 'face')).toBe(true);
    const files = inWorker.series.reduce((sum, s) => sum + s.files.length, 0);
    expect(last).toEqual([files + 1, files + 1]);
    expect(liveScanWorkers()).toBe(0);
  }, 300_000);

  it('stops when cancelled mid-scan, leaving no worker or OCR thread behind', async () => {
    const before = threads();
    const controller = new AbortController();
    let during = 0;
    let done = 0;
    // The ankle first: its text starts the OCR threads at once.
    const scan = scanInWorker([ankle, fixtures.craniumDicom], {
      pixels: true,
      signal: controller.signal,
      onProgress: (n) => {
        done = n;
        if (n === 3) {
          during = threads();
          controller.abort();
        }
      },
    });
    await expect(scan).rejects.toThrow(/abort/i);
    expect(done).toBe(3);
    // The worker and two tesseract threads were running, and are gone once the scan has settled.
    expect(during).toBeGreaterThanOrEqual(before + 3);
    expect(liveScanWorkers()).toBe(0);
    expect(threads()).toBeLessThanOrEqual(before);
  }, 120_000);

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanInWorker([ankle], { pixels: true, signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(liveScanWorkers()).toBe(0);
  });
});
