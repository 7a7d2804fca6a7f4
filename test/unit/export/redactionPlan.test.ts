// Redaction plans from outside Veil's own code (IPC, a file given to the CLI) are
// validated strictly; the boxes a plan gives one file follow its device.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readDicom } from '../../../shared/dicom';
import { boxesForFile, deviceOf, parseRedactionPlan, type RedactionBox } from '../../../shared/redact';
import { parseExportRequest } from '../../../main/ipc/validate';
import { fixtures } from '../../fixtures/paths';

const box = (x: number, frame: RedactionBox['frame'] = 'all'): RedactionBox => ({ x, y: 0, width: 10, height: 10, frame, image: 'pixels', origin: 'user', redact: true });

describe('parseRedactionPlan', () => {
  it('accepts a plan as the viewer saves it, dropping the text labels', () => {
    const plan = parseRedactionPlan(
      JSON.stringify({
        files: { '1.2.3': [{ ...box(5, 0), text: 'JOHN DOE', textClass: 'identifying', origin: 'burned-in-text' }] },
        signatures: [{ rows: 512, columns: 512, manufacturer: 'GE', model: 'X', boxes: [box(1)] }],
        keepTechnicalText: false,
      }),
    );
    expect(plan.files['1.2.3'][0]).toEqual({ ...box(5, 0), textClass: 'identifying', origin: 'burned-in-text' });
    expect(JSON.stringify(plan)).not.toContain('JOHN');
    expect(plan.signatures[0].boxes).toEqual([box(1)]);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['unknown key', { files: {}, signatures: [], keepTechnicalText: true, extra: 1 }, /unknown key\(s\): extra/],
    ['not a UID', { files: { '../x': [] }, signatures: [], keepTechnicalText: true }, /is not a UID/],
    ['negative x', { files: { '1.2': [{ ...box(-1) }] }, signatures: [], keepTechnicalText: true }, /x must be a whole number/],
    ['empty box', { files: { '1.2': [{ ...box(1), width: 0 }] }, signatures: [], keepTechnicalText: true }, /width must be a whole number from 1/],
    ['bad picture', { files: { '1.2': [{ ...box(1), image: 'face' }] }, signatures: [], keepTechnicalText: true }, /image must be/],
    ['redact missing', { files: { '1.2': [{ ...box(1), redact: 'yes' }] }, signatures: [], keepTechnicalText: true }, /redact must be true or false/],
    ['no keepTechnicalText', { files: {}, signatures: [] }, /keepTechnicalText/],
  ])('refuses %s', (_name, json, message) => {
    expect(() => parseRedactionPlan(json)).toThrow(message);
  });

  it('reaches the export through IPC only when valid', () => {
    const request = { fileIds: ['f0123456789abcdef0123456789abcdef'], target: '/tmp/chosen', redactionPlan: JSON.stringify({ files: {}, signatures: [], keepTechnicalText: true }) };
    const approved = () => true;
    expect(parseExportRequest(request, approved).redactionPlan).toEqual({ files: {}, signatures: [], keepTechnicalText: true });
    expect(() => parseExportRequest({ ...request, redactionPlan: '{"files": 1}' }, approved)).toThrow(/redaction plan is not valid/);
    expect(() => parseExportRequest({ ...request, redactionPlan: { files: {} } }, approved)).toThrow(/as JSON text/);
  });
});

describe('boxesForFile', () => {
  it("gives a real file its own boxes and its device's, the own box winning at the same place", () => {
    const ankle = readDicom(new Uint8Array(readFileSync(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'))), { headerOnly: true });
    const device = deviceOf(ankle.dataset);
    expect(device).toEqual({ rows: 512, columns: 512, manufacturer: 'GE MEDICAL SYSTEMS', model: 'GENESIS_ZEUS' });
    const sop = ankle.dataset.string('00080018');
    const kept = { ...box(1), redact: false };
    const plan = {
      files: { [sop]: [kept] },
      signatures: [
        { ...device, boxes: [box(1), box(2)] },
        { ...device, model: 'OTHER', boxes: [box(3)] },
      ],
      keepTechnicalText: true,
    };
    expect(boxesForFile(plan, sop, device)).toEqual([kept, box(2)]);
    expect(boxesForFile(plan, '9.9.9', { ...device, rows: 256 })).toEqual([]);
  });
});
