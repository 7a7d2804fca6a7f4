// Frames remembered by exact bytes (shared/detect/text/frameMemory.ts) and fills
// remembered the same way (shared/redact/fill.ts), on the real ankle screenshot
// (native 16-bit) and the real palette RLE echo cine: a byte-identical frame is
// neither pre-screened nor read again and gives the same findings; one changed
// stored byte or one changed group 0028 value makes it a new frame.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TesseractEngine } from '../../../main/detect/tesseractEngine';
import { registerNodeCodecs, registerNodeEncoders } from '../../../main/pixels/codecs';
import { Tags, readDicom, setValue, writeDicom, DataElement, type DicomFile } from '../../../shared/dicom';
import { exactMemory, frameMemory, frameSources, scanTextInFile, type Gray8, type OcrEngine, type TextCandidate, type TextScanStats } from '../../../shared/detect';
import type { IdentifyingValue } from '../../../shared/deid';
import { fillMemory, redactFile, type RedactionBox } from '../../../shared/redact';
import { fixtures } from '../../fixtures/paths';

const ankleBytes = (): Uint8Array => new Uint8Array(readFileSync(join(fixtures.octave, 'CT-MONO2-16-ankle.dcm')));
const echoBytes = (): Uint8Array => new Uint8Array(readFileSync(join(fixtures.octave, 'US-PAL-8-10x-echo.dcm')));

let tesseract: TesseractEngine;
beforeAll(async () => {
  await Promise.all([registerNodeCodecs(), registerNodeEncoders()]);
  tesseract = await TesseractEngine.create();
}, 60_000);
afterAll(async () => {
  await tesseract.terminate();
});

/** An engine counting what it is asked to read: tesseract, or (`blind`) a reading of nothing. */
function counting(blind = false): OcrEngine & { reads: number } {
  const engine = {
    reads: 0,
    recognize: async (image: Gray8, region: TextCandidate) => {
      engine.reads++;
      return blind ? { text: '', confidence: 0, words: [] } : tesseract.recognize(image, region);
    },
    terminate: async () => undefined,
  };
  return engine;
}

const stats = (): TextScanStats => ({ frames: 0, candidates: 0, ocrRegions: 0 });

describe('frameMemory', () => {
  it('scans a copy of the ankle screenshot with no reading at all, and finds the same text', async () => {
    const memory = frameMemory();
    const engine = counting();
    const first = stats();
    const found = await scanTextInFile(readDicom(ankleBytes()), engine, [], { memory }, first);
    const reads = engine.reads;
    expect(reads).toBeGreaterThan(3);
    expect(found.some((f) => f.text.includes('JFK'))).toBe(true);
    const again = stats();
    const copy = await scanTextInFile(readDicom(ankleBytes()), engine, [], { memory }, again);
    expect(engine.reads).toBe(reads);
    expect(again.remembered).toBe(1);
    expect(again.candidates).toBe(first.candidates);
    expect(copy).toEqual(found);
  });

  it('classifies a remembered frame against the new file’s own identifiers', async () => {
    const memory = frameMemory();
    const engine = counting();
    const plain = await scanTextInFile(readDicom(ankleBytes()), engine, [], { memory });
    const jfk = plain.find((f) => f.text.includes('JFK'))!;
    expect(jfk.reason).not.toBe('header-match');
    const named = await scanTextInFile(readDicom(ankleBytes()), engine, [{ kind: 'institution', value: 'JFK IMAGING CENTER', source: '(0008,0080)' }], { memory });
    expect(named.find((f) => f.text.includes('JFK'))?.reason).toBe('header-match');
  });

  it('takes the findings judged for a copy whose identifiers differ only in UIDs; judges other identifiers afresh', async () => {
    const memory = frameMemory();
    const engine = counting();
    const uid = (value: string): IdentifyingValue => ({ kind: 'uid', value, source: '(0008,0018)' });
    const institution: IdentifyingValue = { kind: 'institution', value: 'JFK IMAGING CENTER', source: '(0008,0080)' };
    const date: IdentifyingValue = { kind: 'date', value: '19930430', source: '(0008,0020)' };
    const fresh = await scanTextInFile(readDicom(ankleBytes()), counting(), [date]);
    const named = await scanTextInFile(readDicom(ankleBytes()), counting(), [date, institution]);
    expect(await scanTextInFile(readDicom(ankleBytes()), engine, [date, uid('1.2.3')], { memory })).toEqual(fresh);
    const file = readDicom(ankleBytes());
    const remembered = memory.get([new TextEncoder().encode('{}'), ...frameSources(file, 'pixels:display8')!(0)!])!;
    expect(remembered.judged?.size).toBe(1);
    const copy = await scanTextInFile(file, engine, [date, uid('1.2.4')], { memory });
    expect(copy).toEqual(fresh);
    expect(remembered.judged?.size).toBe(1);
    // Findings handed out are copies: changing one changes nothing remembered.
    copy[0]!.box.x += 7;
    expect(await scanTextInFile(readDicom(ankleBytes()), engine, [date, institution], { memory })).toEqual(named);
    expect(remembered.judged?.size).toBe(2);
    expect(await scanTextInFile(readDicom(ankleBytes()), engine, [date], { memory })).toEqual(fresh);
  });

  it('reads what a remembered frame lacks from the frame itself (the planes decoded only then)', async () => {
    const memory = frameMemory();
    const engine = counting();
    const found = await scanTextInFile(readDicom(ankleBytes()), engine, [], { memory });
    const reads = engine.reads;
    // As scanPictures keys it: the pre-screen settings, then the frame's source.
    const file = readDicom(ankleBytes());
    const source = [new TextEncoder().encode('{}'), ...frameSources(file, 'pixels:display8')!(0)!];
    const remembered = memory.get(source)!;
    expect(remembered.readings.size).toBeGreaterThanOrEqual(reads);
    remembered.readings.clear();
    // Judged findings come from those readings: without them the frame is judged again.
    remembered.judged?.clear();
    const again = stats();
    expect(await scanTextInFile(file, engine, [], { memory }, again)).toEqual(found);
    expect(again.remembered).toBe(1);
    expect(engine.reads).toBe(2 * reads);
  });

  it('scans again a frame with one stored value changed, or a changed window', async () => {
    const memory = frameMemory();
    const engine = counting(true);
    await scanTextInFile(readDicom(ankleBytes()), engine, [], { memory });
    const pixel = readDicom(ankleBytes());
    const el = pixel.dataset.get(Tags.PixelData)!;
    const bytes = el.bytes.slice();
    bytes[2 * (300 * 512 + 300)] ^= 1;
    pixel.dataset.set(new DataElement(Tags.PixelData, el.vr, bytes));
    const changed = stats();
    await scanTextInFile(pixel, engine, [], { memory }, changed);
    expect(changed.remembered ?? 0).toBe(0);
    const windowed = readDicom(ankleBytes());
    setValue(windowed.dataset, '00281050', '41', 'DS');
    const other = stats();
    await scanTextInFile(windowed, engine, [], { memory }, other);
    expect(other.remembered ?? 0).toBe(0);
    expect(memory.hits).toBe(0);
  });

  it('compares stored bytes at any alignment: the same bytes found, one changed byte (in a word or the tail) not', () => {
    const pixels = readDicom(ankleBytes()).dataset.get(Tags.PixelData)!.bytes;
    const head = new TextEncoder().encode('description');
    // Odd lengths leave a tail; the offsets put the parts at every alignment a file's pixel data can have.
    const length = pixels.length - 3;
    const at = (bytes: Uint8Array, offset: number): Uint8Array => {
      const room = new Uint8Array(length + 4);
      room.set(bytes.subarray(0, length), offset);
      return room.subarray(offset, offset + length);
    };
    const memory = exactMemory<number>();
    memory.set([head, at(pixels, 1)], 1);
    for (const offset of [0, 1, 2, 3]) expect(memory.get([head, at(pixels, offset)])).toBe(1);
    for (const where of [40_000, length - 1]) {
      const changed = pixels.slice();
      changed[where] ^= 1;
      for (const offset of [0, 1, 2, 3]) expect(memory.get([head, at(changed, offset)])).toBeUndefined();
    }
  });

  it('remembers each frame of the echo cine: a second copy is read from memory, one changed frame alone again', async () => {
    const memory = frameMemory();
    const engine = counting(true);
    const first = stats();
    await scanTextInFile(readDicom(echoBytes()), engine, [], { memory }, first);
    expect(first.frames).toBe(10);
    const reads = engine.reads;
    const again = stats();
    await scanTextInFile(readDicom(echoBytes()), engine, [], { memory }, again);
    expect(again.remembered).toBe(10);
    expect(engine.reads).toBe(reads);
    // Frame 4 filled somewhere: its RLE bytes differ, the other nine do not.
    const filled = redactFile(readDicom(echoBytes()), [box(200, 200, 30, 30, 4)]).file;
    const third = stats();
    await scanTextInFile(readDicom(writeDicom(filled)), engine, [], { memory }, third);
    expect(third.remembered).toBe(9);
  });
});

const box = (x: number, y: number, width: number, height: number, frame: number | 'all' = 'all'): RedactionBox => ({
  x,
  y,
  width,
  height,
  frame,
  image: 'pixels',
  origin: 'user',
  redact: true,
});

/** The whole file as written, as a Buffer (byte comparison without vitest's deep walk). */
const pixelBytes = (file: DicomFile): Buffer => Buffer.from(writeDicom(file));
const same = (a: Buffer, b: Buffer): boolean => a.equals(b);

describe('fillMemory', () => {
  it('gives the echo cine and the ankle the bytes a fresh fill gives, filling each once', () => {
    const memory = fillMemory();
    const echoBoxes = [box(0, 20, 145, 50), box(0, 165, 110, 25)];
    const fresh = pixelBytes(redactFile(readDicom(echoBytes()), echoBoxes).file);
    expect(same(pixelBytes(redactFile(readDicom(echoBytes()), echoBoxes, { memory }).file), fresh)).toBe(true);
    expect(memory.misses).toBe(10);
    expect(same(pixelBytes(redactFile(readDicom(echoBytes()), echoBoxes, { memory }).file), fresh)).toBe(true);
    expect(memory.hits).toBe(10);

    const ankleBox = [box(0, 0, 512, 72)];
    const ankle = pixelBytes(redactFile(readDicom(ankleBytes()), ankleBox).file);
    expect(same(pixelBytes(redactFile(readDicom(ankleBytes()), ankleBox, { memory }).file), ankle)).toBe(true);
    expect(same(pixelBytes(redactFile(readDicom(ankleBytes()), ankleBox, { memory }).file), ankle)).toBe(true);
    expect(memory.hits).toBe(11);
    // Other boxes, other fill.
    const other = redactFile(readDicom(ankleBytes()), [box(0, 0, 512, 80)], { memory }).file;
    expect(memory.hits).toBe(11);
    expect(same(pixelBytes(other), pixelBytes(redactFile(readDicom(ankleBytes()), [box(0, 0, 512, 80)]).file))).toBe(true);
  });
});
