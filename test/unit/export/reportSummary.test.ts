// The report's plain-words opening: what the copy lost and what it still
// shows, counted from the same per-file detail the report lists below it.
import { describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import { renderReportHtml, type ExportReport } from '../../../shared/export';
import { plainSummary } from '../../../shared/export/reportSummary';

function report(options: string[], technicalText?: 'keep' | 'redact'): ExportReport {
  return {
    tool: 'veil',
    version: '0.1.0',
    profile: { ...defaultProfile, options: options as typeof defaultProfile.options, ...(technicalText ? { technicalText } : {}) },
    outputFolder: '/tmp/out',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    complete: false,
    interrupted: false,
    extras: [],
    notes: [],
    faces: [{ input: '/scans/ct/1.dcm', files: 108, status: 'defaced', reason: 'face replaced' }],
    markers: [
      {
        input: '/scans/ct/1.dcm',
        files: 108,
        status: 'removed',
        reason: 'filled',
        markers: [
          { kind: 'dense-in-shell', position: [0, 0, 0], sizeMm: [5, 5, 5], confidence: 0.9, removed: true, fill: 'soft tissue', files: ['/scans/ct/1.dcm'] },
          { kind: 'dense-in-shell', position: [9, 0, 0], sizeMm: [5, 5, 5], confidence: 0.9, removed: false, files: [] },
        ],
      },
    ],
    files: [
      {
        input: '/scans/a.dcm',
        output: 'VEIL/P0001/ST001/SE001/IM00001',
        status: 'exported',
        reason: null,
        actions: [
          { path: '(0010,0010)', keyword: 'PatientName', action: 'replaced', rule: 'Basic Profile: Z' },
          { path: '(0010,1040)', keyword: 'PatientAddress', action: 'removed', rule: 'Basic Profile: X' },
          { path: '(0008,0020)', keyword: 'StudyDate', action: 'shifted', rule: 'Retain Longitudinal' },
          { path: '(0010,0040)', keyword: 'PatientSex', action: 'kept', rule: 'Retain Patient Characteristics' },
        ],
        summary: { replaced: 1, removed: 1, shifted: 1, kept: 1 },
        redactions: [{ x: 1, y: 2, width: 30, height: 10, frame: 0, image: 'pixels', origin: 'burned-in-text', redact: true, textClass: 'identifying' }],
        verification: { ok: true, findings: [], searchedTerms: 12, tooShort: 0 },
      },
      { input: '/scans/letter.pdf', output: null, status: 'skipped', reason: 'not a DICOM file (.pdf)' },
    ],
  };
}

describe('plainSummary', () => {
  it('says what was removed: header entries, shifted dates, covered text, the face', () => {
    const { removed } = plainSummary(report(['cleanPixelData', 'cleanRecognizableVisualFeatures']));
    expect(removed.join('\n')).toContain('1 entry taken out and 1 entry replaced');
    expect(removed.join('\n')).toContain('1 date');
    expect(removed.join('\n')).toContain('1 area covered in black in 1 image');
    expect(removed.join('\n')).toContain('removed from 1 head scan');
    expect(removed.join('\n')).toContain('1 mark filled in');
  });

  it('says what the copy still shows: technical labels, kept details, files not copied', () => {
    const shows = plainSummary(report(['cleanPixelData', 'cleanRecognizableVisualFeatures'])).stillShows.join('\n');
    expect(shows).toContain('Technical labels');
    expect(shows).toContain('Patient Sex');
    expect(shows).toContain('1 file could not be copied');
    expect(shows).not.toContain('removing faces was not chosen');
    expect(shows).toContain('1 mark on your skin, kept as chosen');
  });

  it('names the pixel work that was not asked for', () => {
    const shows = plainSummary(report([])).stillShows.join('\n');
    expect(shows).toContain('Text written into the images, if there is any');
    expect(shows).toContain('removing faces was not chosen');
    expect(plainSummary(report(['cleanPixelData'], 'redact')).stillShows.join('\n')).not.toContain('Technical labels');
  });

  it('opens the HTML report, above the per-file detail, and prints', () => {
    const html = renderReportHtml(report(['cleanPixelData']));
    expect(html.indexOf('In plain words')).toBeGreaterThan(0);
    expect(html.indexOf('In plain words')).toBeLessThan(html.indexOf('<h2>Files</h2>'));
    expect(html).toContain('What the copy still shows');
    expect(html).toContain('@media print');
  });
});
