// The audit report's HTML page is self-contained and escapes every value; the
// export layout gives DICOMDIR-compatible, stable names.
import { describe, expect, it } from 'vitest';
import { defaultProfile } from '../../../shared/deid';
import { isFileIdComponent, planLayout, renderReportHtml, type ExportReport } from '../../../shared/export';

const hostile = '<script>alert(1)</script><img src="http://example.com/x.png">&"\'';

function sampleReport(): ExportReport {
  return {
    tool: 'veil',
    version: '0.1.0',
    profile: defaultProfile,
    outputFolder: `/tmp/${hostile}`,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    complete: false,
    interrupted: true,
    extras: [{ output: 'DICOMDIR', kind: 'dicomdir', detail: '1 file(s)' }],
    notes: [hostile],
    files: [
      {
        input: `/scans/${hostile}.dcm`,
        output: 'VEIL/P0001/ST001/SE001/IM00001',
        status: 'exported',
        reason: null,
        actions: [{ path: '(0010,0010)', keyword: 'PatientName', action: 'replaced', rule: `Basic Profile: Z ${hostile}` }],
        summary: { replaced: 1 },
        verification: { ok: true, findings: [], searchedTerms: 12, tooShort: 0 },
      },
      { input: '/scans/letter.pdf', output: null, status: 'skipped', reason: 'not a DICOM file (.pdf)' },
      {
        input: '/scans/b.dcm',
        output: null,
        status: 'failed',
        reason: 'verification failed',
        verification: { ok: false, findings: [{ kind: 'name', source: '(0010,0010)', where: '(0008,1030)', match: 'element' }], searchedTerms: 3, tooShort: 0 },
      },
    ],
  };
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(sampleReport());

  it('loads nothing from anywhere and runs no script', () => {
    expect(html).not.toMatch(/<script|<img|<link|<iframe|src="|href="|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes every value and still shows it', () => {
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).not.toContain(hostile);
  });

  it('says what happened to each file and why', () => {
    expect(html).toContain('Export incomplete');
    expect(html).toMatch(/class="failed">failed/);
    expect(html).toContain('not a DICOM file (.pdf)');
    expect(html).toContain('name from (0010,0010) in (0008,1030)');
    expect(html).toContain('PatientName');
  });
});

describe('planLayout', () => {
  const items = [
    { p: 'A', st: '1', se: '1', n: 3 },
    { p: 'A', st: '1', se: '1', n: 1 },
    { p: 'B', st: '2', se: '5', n: undefined },
    { p: 'A', st: '1', se: '2', n: 2 },
  ];
  const plan = planLayout(items, (i) => ({ patient: i.p, study: i.st, series: i.se, instanceNumber: i.n }));

  it('names every component as PS3.10 8.2 allows (8 characters, A–Z 0–9 _)', () => {
    for (const { fileId } of plan) {
      expect(fileId.length).toBeLessThanOrEqual(8);
      expect(fileId.every(isFileIdComponent)).toBe(true);
    }
  });

  it('numbers patients, studies, series in order of appearance and instances by InstanceNumber', () => {
    expect(plan.map((p) => p.fileId.join('/'))).toEqual([
      'VEIL/P0001/ST001/SE001/IM00002',
      'VEIL/P0001/ST001/SE001/IM00001',
      'VEIL/P0002/ST001/SE001/IM00001',
      'VEIL/P0001/ST001/SE002/IM00001',
    ]);
  });
});
