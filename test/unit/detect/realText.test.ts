// The two real images with burned-in text (DATA.md): every identifying token is found by
// Veil (pre-screen + tesseract.js + classification), checked against the tesseract CLI
// reading the same picture independently: each identifying word the CLI reads lies inside
// an identifying finding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import { collectIdentifiers } from '../../../shared/deid';
import { readDicom, type DicomFile } from '../../../shared/dicom';
import { pixelPicture, scanTextInFile, textPlanes, toRedactionBox, toScanFinding, type TextFinding } from '../../../shared/detect';
import { fixtures } from '../../fixtures/paths';
import { covered, tesseractCli } from './oracle';

const load = (name: string): DicomFile => readDicom(new Uint8Array(readFileSync(join(fixtures.octave, name))));

let engine: TesseractEngine;
beforeAll(async () => {
  engine = await TesseractEngine.create();
}, 60_000);
afterAll(async () => {
  await engine.terminate();
});

/** The identifying words the CLI reads in one frame, and whether Veil's identifying boxes cover each. */
function checkAgainstOracle(file: DicomFile, frame: number, findings: readonly TextFinding[], identifying: RegExp) {
  const display = pixelPicture(file).display(frame);
  const oracle = tesseractCli(textPlanes(display).light).filter((w) => identifying.test(w.text));
  const boxes = findings.filter((f) => f.frame === frame && f.textClass === 'identifying').map((f) => f.box);
  return oracle.map((w) => ({ text: w.text, coverage: covered(w.box, boxes) }));
}

describe('burned-in text on real images', () => {
  it('ankle CT screenshot: date, time, institution, exam number, sex/age and ID are identifying; kV, mA, W/L technical', async () => {
    const file = load('CT-MONO2-16-ankle.dcm');
    const findings = await scanTextInFile(file, engine, collectIdentifiers(file));
    const identifying = findings.filter((f) => f.textClass === 'identifying').map((f) => f.text).join(' | ');
    for (const token of ['Fri', 'Apr 30', '06:27:24', '1993', 'JFK IMAGING CENTER', '2411', 'M 26', '151832']) expect(identifying).toContain(token);
    const technical = findings.filter((f) => f.textClass === 'technical').map((f) => f.text).join(' | ');
    for (const token of ['120', 'mA 200', '1492']) expect(technical).toContain(token);
    expect(findings.find((f) => f.text.includes('JFK'))).toMatchObject({ reason: 'header-match', category: 'institution' });

    const oracle = checkAgainstOracle(file, 0, findings, /^(Fri|Apr|30|06:27:24|1993|JFK|IMAGING|CENTER|M|26|151832|2411)$/);
    console.log('ankle, tesseract CLI words vs Veil boxes:', oracle.map((o) => `${o.text} ${(o.coverage * 100).toFixed(0)}%`).join(', '));
    expect(oracle.length).toBeGreaterThanOrEqual(8);
    for (const word of oracle) expect(word.coverage, word.text).toBeGreaterThanOrEqual(0.9);

    // Convertible to the scan document (no value in detail, text only on request) and to a redaction box.
    const jfk = findings.find((f) => f.text.includes('JFK'))!;
    const finding = toScanFinding(jfk, 'ankle.dcm');
    expect(finding).toMatchObject({ kind: 'burned-in-text', textClass: 'identifying', where: { file: 'ankle.dcm', frame: 0, image: 'pixels' } });
    expect(finding.detail).not.toContain('JFK');
    expect(finding.text).toBeUndefined();
    expect(toScanFinding(jfk, 'ankle.dcm', true).text).toContain('JFK');
    expect(toRedactionBox(jfk)).toMatchObject({ frame: 0, image: 'pixels', origin: 'burned-in-text', redact: true });
  });

  it('echo cine (palette colour, RLE, 10 frames): date and time found in every frame, static text read once', async () => {
    const file = load('US-PAL-8-10x-echo.dcm');
    const stats = { frames: 0, candidates: 0, ocrRegions: 0 };
    const progress: number[] = [];
    const findings = await scanTextInFile(file, engine, collectIdentifiers(file), { onProgress: (done) => progress.push(done) }, stats);
    expect(stats.frames).toBe(10);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Pixel-identical banners are read once, not per frame (which would read about as many
    // regions as there are candidates; the lines over the moving Doppler differ by frame).
    expect(stats.ocrRegions).toBeLessThan(stats.candidates * 0.75);
    for (let frame = 0; frame < 10; frame++) {
      const here = findings.filter((f) => f.frame === frame && f.textClass === 'identifying');
      expect(here.some((f) => f.reason === 'date' && /JAN/.test(f.text)), `frame ${frame} date`).toBe(true);
      expect(here.some((f) => f.reason === 'time' && f.text.includes('11:24:58')), `frame ${frame} time`).toBe(true);
    }
    for (const frame of [0, 9]) {
      const oracle = checkAgainstOracle(file, frame, findings, /JAN|^94$|\d:\d\d$/);
      console.log(`echo frame ${frame}, tesseract CLI words vs Veil boxes:`, oracle.map((o) => `${o.text} ${(o.coverage * 100).toFixed(0)}%`).join(', '));
      expect(oracle.length).toBeGreaterThanOrEqual(2);
      for (const word of oracle) expect(word.coverage, word.text).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('stops when cancelled', async () => {
    const file = load('US-PAL-8-10x-echo.dcm');
    const signal = { aborted: true, reason: new Error('stop') };
    await expect(scanTextInFile(file, engine, [], { signal })).rejects.toThrow('stop');
  });
});
