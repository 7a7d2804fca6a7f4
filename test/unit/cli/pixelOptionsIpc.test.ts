// The app's pixel options cross IPC strictly: the export request's skin
// markers (accepted positions per series) and face fill / ears, and
// defacePreview's options. Anything else is refused with the reason.
import { describe, expect, it } from 'vitest';
import { parseDefacePreviewOptions, parseExportRequest } from '../../../main/ipc/validate';

const request = { fileIds: ['f0123456789abcdef0123456789abcdef'], target: '/tmp/chosen' };
const approved = () => true;

describe('export request: skin markers and face options', () => {
  it('takes the accepted marker positions per series, or every marker', () => {
    const parsed = parseExportRequest({ ...request, skinMarkers: { accepted: [{ seriesInstanceUID: '1.2.3', positions: [[1, 2, 3], [-4.5, 0, 9]] }] } }, approved);
    expect(parsed.skinMarkers?.accepted?.get('1.2.3')).toEqual([
      [1, 2, 3],
      [-4.5, 0, 9],
    ]);
    expect(parseExportRequest({ ...request, skinMarkers: {} }, approved).skinMarkers).toEqual({});
    expect(parseExportRequest(request, approved).skinMarkers).toBeUndefined();
  });

  it('refuses malformed markers', () => {
    for (const skinMarkers of [
      { all: true },
      { accepted: {} },
      { accepted: [{ seriesInstanceUID: '1.2.3', positions: [[1, 2]] }] },
      { accepted: [{ seriesInstanceUID: '1.2.3', positions: [[1, 2, Number.NaN]] }] },
      { accepted: [{ seriesInstanceUID: 7, positions: [] }] },
      { accepted: [{ seriesInstanceUID: '1.2.3', positions: [], extra: 1 }] },
    ]) {
      expect(() => parseExportRequest({ ...request, skinMarkers }, approved)).toThrow(/skinMarkers/);
    }
  });

  it('takes the face fill and ears as options, and nothing else', () => {
    const parsed = parseExportRequest({ ...request, options: { nifti: false, defaceFill: 'blur', defaceEars: true } }, approved);
    expect(parsed.defaceFill).toBe('blur');
    expect(parsed.defaceEars).toBe(true);
    expect(() => parseExportRequest({ ...request, options: { defaceFill: 'paint' } }, approved)).toThrow(/air, noise or blur/);
    expect(() => parseExportRequest({ ...request, options: { defaceEars: 'yes' } }, approved)).toThrow(/defaceEars/);
    expect(parseDefacePreviewOptions(undefined)).toEqual({});
    expect(parseDefacePreviewOptions({ fill: 'noise', ears: false })).toEqual({ fill: 'noise' });
    expect(() => parseDefacePreviewOptions({ fill: 'noise', depth: 3 })).toThrow(/no option depth/);
  });
});
