// The viewer's redaction plan edits (renderer/redact/planState.ts) on the two
// real images with burned-in text: the octave-dicom ankle CT screenshot and the
// 10-frame US echo cine. Their SOP Instance UIDs and devices are read from the
// files; the ankle's text boxes are where the tesseract CLI reads its text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDicom } from '../../../shared/dicom';
import type { Finding } from '../../../shared/export/scan';
import { boxesForFile, emptyPlan, type RedactionPlan } from '../../../shared/redact';
import { describeDevice, deviceOfFile } from '../../../renderer/redact/device';
import {
  addBox,
  applyToAllFrames,
  applyToDevice,
  boxAt,
  deleteBox,
  editPlan,
  effectiveBoxes,
  movedRect,
  planEditor,
  rectBetween,
  seedPlan,
  setBoxRect,
  setKeepTechnicalText,
  toggleBox,
  withoutText,
  type BoxRef,
  type Device,
  type PlannedBox,
} from '../../../renderer/redact/planState';
import { fixtures } from '../../fixtures/paths';

const anklePath = join(fixtures.octave, 'CT-MONO2-16-ankle.dcm');
const echoPath = join(fixtures.octave, 'US-PAL-8-10x-echo.dcm');

let ankleSop: string;
let echoSop: string;
let ankleDevice: Device;
let echoDevice: Device;
let sops: Map<string, string>;

beforeAll(() => {
  const read = (path: string) => new Uint8Array(readFileSync(path));
  ankleSop = readDicom(read(anklePath), { headerOnly: true }).dataset.string('00080018');
  echoSop = readDicom(read(echoPath), { headerOnly: true }).dataset.string('00080018');
  ankleDevice = deviceOfFile(read(anklePath));
  echoDevice = deviceOfFile(read(echoPath));
  sops = new Map([
    [anklePath, ankleSop],
    [echoPath, echoSop],
  ]);
});

function textFinding(file: string, box: [number, number, number, number], text: string, textClass: 'identifying' | 'technical', frame?: number): Finding {
  return {
    kind: 'burned-in-text',
    confidence: textClass === 'identifying' ? 0.9 : 0.5,
    where: { file, box, image: 'pixels', ...(frame !== undefined ? { frame } : {}) },
    detail: 'Text burned into the pixels.',
    text,
    textClass,
  };
}

/** The ankle's text, where tesseract reads it (`tesseract ankle.png - --psm 11 tsv`). */
const ankleFindings = (): Finding[] => [
  textFinding(anklePath, [10, 10, 220, 13], 'Fri Apr 30 06:27:24 1993 3D', 'identifying', 0),
  textFinding(anklePath, [356, 10, 146, 13], 'JFK IMAGING CENTER', 'identifying', 0),
  textFinding(anklePath, [403, 49, 99, 13], 'M 26 151832', 'identifying', 0),
  textFinding(anklePath, [9, 411, 50, 13], 'kv 120', 'technical', 0),
  textFinding(anklePath, [9, 489, 130, 13], 'W = 1492 L = 906', 'technical', 0),
];

/** The plan's boxes as the viewer keeps them (with the text read). */
const planned = (boxes: readonly PlannedBox[]) => boxes;
const fileRef = (sop: string, index: number): BoxRef => ({ owner: 'file', sop, index });

describe('the device of an image', () => {
  it('is read from the real headers: size, manufacturer and model', () => {
    expect(ankleDevice).toEqual({ rows: 512, columns: 512, manufacturer: 'GE MEDICAL SYSTEMS', model: 'GENESIS_ZEUS' });
    expect(echoDevice).toEqual({ rows: 430, columns: 600, manufacturer: 'ACME Products', model: '' });
    expect(describeDevice(ankleDevice)).toBe('GE MEDICAL SYSTEMS GENESIS_ZEUS, 512 × 512');
    expect(describeDevice(echoDevice)).toBe('ACME Products, 600 × 430');
  });
});

describe('seedPlan', () => {
  it('redacts identifying text and keeps technical text when the plan keeps it', () => {
    const plan = seedPlan(emptyPlan(), ankleFindings(), sops);
    const boxes = plan.files[ankleSop];
    expect(boxes).toHaveLength(5);
    expect(planned(boxes).map((b) => [b.text, b.redact])).toEqual([
      ['Fri Apr 30 06:27:24 1993 3D', true],
      ['JFK IMAGING CENTER', true],
      ['M 26 151832', true],
      ['kv 120', false],
      ['W = 1492 L = 906', false],
    ]);
    // Identifying text is planned for every frame (read in one frame of a cine, missed in another, it would leak there).
    expect(boxes[0]).toMatchObject({ x: 10, y: 10, width: 220, height: 13, frame: 'all', image: 'pixels', origin: 'burned-in-text', textClass: 'identifying' });
    expect(boxes[3]).toMatchObject({ frame: 0, textClass: 'technical' });
  });

  it('redacts technical text too when the plan does not keep it', () => {
    const plan = seedPlan({ ...emptyPlan(), keepTechnicalText: false }, ankleFindings(), sops);
    expect(plan.files[ankleSop].every((b) => b.redact)).toBe(true);
  });

  it('ignores header findings, boxless findings and files it cannot name; folds repeats; keeps a file the user edited', () => {
    const header: Finding = { kind: 'header-phi', confidence: 1, where: { file: anklePath, tag: '(0010,0010)' }, detail: 'A name.' };
    const noBox: Finding = { ...textFinding(anklePath, [0, 0, 1, 1], 'x', 'identifying'), where: { file: anklePath } };
    const unknown = textFinding('/elsewhere/other.dcm', [1, 1, 5, 5], 'x', 'identifying');
    const repeated = [...ankleFindings(), ...ankleFindings()];
    const plan = seedPlan(emptyPlan(), [header, noBox, unknown, ...repeated], sops);
    expect(Object.keys(plan.files)).toEqual([ankleSop]);
    expect(plan.files[ankleSop]).toHaveLength(5);

    // The user deleted every box: a new scan does not bring them back.
    let edited = plan;
    for (let i = 4; i >= 0; i--) edited = deleteBox(edited, fileRef(ankleSop, i));
    expect(edited.files[ankleSop]).toEqual([]);
    expect(seedPlan(edited, ankleFindings(), sops)).toBe(edited);
  });
});

describe('editing boxes', () => {
  it('adds, moves, resizes, toggles and deletes a box without touching the others or the input plan', () => {
    const seeded = seedPlan(emptyPlan(), ankleFindings(), sops);
    const { plan: added, ref } = addBox(seeded, ankleSop, { x: 200, y: 250, width: 40, height: 20, frame: 0, image: 'pixels', origin: 'user', redact: true });
    expect(ref).toEqual(fileRef(ankleSop, 5));
    const moved = setBoxRect(added, ref, movedRect(boxAt(added, ref)!, 10.4, -5.6, ankleDevice));
    expect(boxAt(moved, ref)).toMatchObject({ x: 210, y: 244, width: 40, height: 20 });
    const resized = setBoxRect(moved, ref, rectBetween([210, 244], [300.2, 280.7], ankleDevice));
    expect(boxAt(resized, ref)).toMatchObject({ x: 210, y: 244, width: 91, height: 37 });
    const kept = toggleBox(resized, ref);
    expect(boxAt(kept, ref)?.redact).toBe(false);
    const deleted = deleteBox(kept, fileRef(ankleSop, 1));
    expect(planned(deleted.files[ankleSop]).map((b) => b.text ?? b.origin)).toEqual([
      'Fri Apr 30 06:27:24 1993 3D',
      'M 26 151832',
      'kv 120',
      'W = 1492 L = 906',
      'user',
    ]);
    expect(seeded.files[ankleSop]).toHaveLength(5);
    expect(added.files[ankleSop][5].x).toBe(200);
  });

  it('keeps drawn and moved boxes inside the picture, in whole pixels', () => {
    expect(rectBetween([-20, 500.5], [30.5, 600], ankleDevice)).toEqual({ x: 0, y: 500, width: 31, height: 12 });
    expect(movedRect({ x: 480, y: 5, width: 40, height: 10 }, 50, -50, ankleDevice)).toEqual({ x: 472, y: 0, width: 40, height: 10 });
  });

  it('re-decides technical text when the option changes', () => {
    const plan = seedPlan(emptyPlan(), ankleFindings(), sops);
    const redactAll = setKeepTechnicalText(plan, false);
    expect(redactAll.keepTechnicalText).toBe(false);
    expect(redactAll.files[ankleSop].map((b) => b.redact)).toEqual([true, true, true, true, true]);
    expect(setKeepTechnicalText(redactAll, true).files[ankleSop].map((b) => b.redact)).toEqual([true, true, true, false, false]);
  });
});

describe('frames and devices', () => {
  /** The echo's text found in each of its 10 frames, as a per-frame detector reports it. */
  const echoFindings = () => Array.from({ length: 10 }, (_, frame) => textFinding(echoPath, [20, 8, 120, 14], 'GAIN 50 COMP 60', 'technical', frame));

  it('plans identifying text read in some frames of a cine for all of them, once', () => {
    const some = [1, 2, 5].map((frame) => textFinding(echoPath, [300, 190, 60, 10], 'ID K4456123', 'identifying', frame));
    const plan = seedPlan(emptyPlan(), some, sops);
    expect(plan.files[echoSop]).toEqual([expect.objectContaining({ x: 300, y: 190, frame: 'all', redact: true, text: 'ID K4456123' })]);
    for (const frame of [0, 3, 9]) expect(effectiveBoxes(plan, { sop: echoSop, frame })).toHaveLength(1);
  });

  it('applies a box to every frame of the cine, folding the per-frame copies into it', () => {
    const plan = seedPlan(emptyPlan(), echoFindings(), sops);
    expect(plan.files[echoSop]).toHaveLength(10);
    expect(effectiveBoxes(plan, { sop: echoSop, frame: 7 })).toHaveLength(1);
    const { plan: widened, ref } = applyToAllFrames(plan, fileRef(echoSop, 3));
    expect(widened.files[echoSop]).toHaveLength(1);
    expect(ref).toEqual(fileRef(echoSop, 0));
    expect(boxAt(widened, ref)).toMatchObject({ frame: 'all', x: 20, y: 8, text: 'GAIN 50 COMP 60' });
    for (const frame of [0, 4, 9]) expect(effectiveBoxes(widened, { sop: echoSop, frame })).toHaveLength(1);
  });

  it('learns a device signature that applies to other images of that size and make only', () => {
    const seeded = seedPlan(emptyPlan(), ankleFindings(), sops);
    const { plan, ref } = applyToDevice(seeded, fileRef(ankleSop, 1), ankleDevice);
    expect(ref).toEqual({ owner: 'signature', signature: 0, index: 0 });
    expect(plan.signatures).toEqual([{ ...ankleDevice, boxes: [expect.objectContaining({ text: 'JFK IMAGING CENTER', frame: 'all' })] }]);
    expect(plan.files[ankleSop]).toHaveLength(4);

    // Another slice from the same scanner gets the box; the echo (another device) and an image whose device is unknown do not.
    const sibling = { sop: '1.2.3.4', frame: 0, device: { ...ankleDevice } };
    expect(effectiveBoxes(plan, sibling).map((b) => b.box.text)).toEqual(['JFK IMAGING CENTER']);
    expect(effectiveBoxes(plan, { sop: echoSop, frame: 0, device: echoDevice })).toEqual([]);
    expect(effectiveBoxes(plan, { sop: '1.2.3.4', frame: 0 })).toEqual([]);
    expect(effectiveBoxes(plan, { ...sibling, device: { ...ankleDevice, rows: 256 } })).toEqual([]);
    // The ankle itself: its four own boxes and the signature's.
    expect(effectiveBoxes(plan, { sop: ankleSop, frame: 0, device: ankleDevice }).map((b) => b.ref.owner)).toEqual(['file', 'file', 'file', 'file', 'signature']);

    // A second box extends the same signature; a file's own box at the same place overrides it.
    const extended = applyToDevice(plan, fileRef(ankleSop, 1), ankleDevice);
    expect(extended.plan.signatures).toHaveLength(1);
    expect(planned(extended.plan.signatures[0].boxes).map((b) => b.text)).toEqual(['JFK IMAGING CENTER', 'M 26 151832']);
    const override = addBox(extended.plan, '1.2.3.4', { ...extended.plan.signatures[0].boxes[0], redact: false });
    const onSibling = effectiveBoxes(override.plan, sibling);
    expect(onSibling.map((b) => [b.ref.owner, b.box.text, b.box.redact])).toEqual([
      ['file', 'JFK IMAGING CENTER', false],
      ['signature', 'M 26 151832', true],
    ]);

    // Without a size from the header there is no device to learn.
    expect(applyToDevice(seeded, fileRef(ankleSop, 1), { ...ankleDevice, rows: 0 }).plan).toBe(seeded);

    // Deleting a signature's last box removes the signature.
    let emptied = plan;
    emptied = deleteBox(emptied, { owner: 'signature', signature: 0, index: 0 });
    expect(emptied.signatures).toEqual([]);
  });

  it('hands the export (shared/redact boxesForFile) every box of a file, its device\'s included, and never the text read', () => {
    const seeded = seedPlan(emptyPlan(), ankleFindings(), sops);
    const { plan } = applyToDevice(seeded, fileRef(ankleSop, 0), ankleDevice);
    expect(boxesForFile(plan, ankleSop, { ...ankleDevice, model: 'OTHER' })).toHaveLength(4);
    expect(boxesForFile(plan, ankleSop, ankleDevice)).toHaveLength(5);
    expect(boxesForFile(plan, '1.2.3.4', ankleDevice)).toEqual([expect.objectContaining({ x: 10, y: 10, frame: 'all', redact: true })]);
    expect(boxesForFile(plan, echoSop, echoDevice)).toEqual([]);

    const safe = withoutText(plan);
    expect(JSON.stringify(safe)).not.toMatch(/JFK|1993|151832/);
    expect(planned(safe.files[ankleSop]).map((b) => [b.x, b.redact, b.text])).toEqual(plan.files[ankleSop].map((b) => [b.x, b.redact, undefined]));
    expect(safe.signatures[0].boxes[0]).toMatchObject({ x: 10, width: 220, frame: 'all' });
  });

  it('shows a box on its own frame and picture only', () => {
    const plan: RedactionPlan = {
      ...emptyPlan(),
      files: {
        [echoSop]: [
          { x: 0, y: 0, width: 5, height: 5, frame: 2, image: 'pixels', origin: 'user', redact: true },
          { x: 0, y: 0, width: 5, height: 5, frame: 'all', image: 'icon', origin: 'face', redact: true },
        ],
      },
    };
    expect(effectiveBoxes(plan, { sop: echoSop, frame: 2, image: 'pixels' })).toHaveLength(1);
    expect(effectiveBoxes(plan, { sop: echoSop, frame: 3, image: 'pixels' })).toHaveLength(0);
    expect(effectiveBoxes(plan, { sop: echoSop, frame: 3 })).toHaveLength(1);
  });
});

describe('editPlan (selection and undo)', () => {
  it('undoes and redoes edits; findings that arrive later survive undo', () => {
    let state = planEditor(emptyPlan());
    state = editPlan(state, { type: 'add', sop: ankleSop, box: { x: 1, y: 1, width: 9, height: 9, frame: 0, image: 'pixels', origin: 'user', redact: true } });
    expect(state.selected).toEqual(fileRef(ankleSop, 0));
    state = editPlan(state, { type: 'toggle', ref: fileRef(ankleSop, 0) });
    expect(state.plan.files[ankleSop][0].redact).toBe(false);

    // The scan answers now: the echo's findings join every plan in the history.
    state = editPlan(state, { type: 'seed', findings: [textFinding(echoPath, [20, 8, 120, 14], 'ACME', 'identifying', 0)], sops });
    expect(state.past).toHaveLength(2);

    state = editPlan(state, { type: 'undo' });
    expect(state.plan.files[ankleSop][0].redact).toBe(true);
    state = editPlan(state, { type: 'undo' });
    expect(state.plan.files[ankleSop]).toBeUndefined();
    expect(state.plan.files[echoSop]).toHaveLength(1);
    expect(editPlan(state, { type: 'undo' })).toBe(state);

    state = editPlan(state, { type: 'redo' });
    state = editPlan(state, { type: 'redo' });
    expect(state.plan.files[ankleSop][0].redact).toBe(false);
    expect(state.future).toEqual([]);

    // A new edit clears what was undone; an edit that changes nothing is not history.
    state = editPlan(state, { type: 'undo' });
    state = editPlan(state, { type: 'delete', ref: fileRef(ankleSop, 0) });
    expect(state.future).toEqual([]);
    expect(state.selected).toBeNull();
    const unchanged = editPlan(state, { type: 'set-rect', ref: fileRef(ankleSop, 0), rect: { x: 0, y: 0, width: 1, height: 1 } });
    expect(unchanged.past).toBe(state.past);
  });
});
