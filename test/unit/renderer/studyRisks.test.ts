// The patient overview's cards from a scan document: grouped per study, the
// example picture is an identifying box's image with every box of that frame.
import { describe, expect, it } from 'vitest';
import type { Finding, InstanceSummary, ScanDocument, SeriesSummary, StudySummary } from '../../../shared/api/contract';
import { headerKinds, plainDate, studyRisks } from '../../../renderer/overview/studyRisks';

function instance(path: string): InstanceSummary {
  return { fileId: path, displayPath: path, sizeBytes: 1, sopInstanceUID: `sop-${path}`, sopClassUID: '', transferSyntaxUID: '', numberOfFrames: 1, rows: 512, columns: 512, hasPixels: true };
}

const ct: SeriesSummary = { seriesInstanceUID: 'ct', modality: 'CT', seriesDescription: 'Head', instances: [instance('/cd/1'), instance('/cd/2')] };
const other: SeriesSummary = { seriesInstanceUID: 'mr', modality: 'MR', seriesDescription: '', instances: [instance('/cd/9')] };
const study: StudySummary = { studyInstanceUID: 's1', studyDate: '20050303', studyDescription: 'Head CT', accessionNumber: '', series: [ct] };

const text = (file: string, textClass: 'identifying' | 'technical', box: [number, number, number, number], read: string): Finding => ({
  kind: 'burned-in-text',
  confidence: 0.9,
  where: { file, frame: 0, box, image: 'pixels' },
  detail: '',
  text: read,
  textClass,
});

const document: ScanDocument = {
  series: [
    {
      seriesInstanceUID: 'ct',
      modality: 'CT',
      files: ['/cd/1', '/cd/2'],
      findings: [
        { kind: 'header-phi', confidence: 1, where: { file: '/cd/1', tag: '(0010,0010)', path: '(0010,0010)' }, detail: '', category: 'name' },
        { kind: 'header-phi', confidence: 1, where: { file: '/cd/2', tag: '(0010,0010)', path: '(0010,0010)' }, detail: '', category: 'name' },
        { kind: 'header-phi', confidence: 0.7, where: { file: '/cd/1', tag: '(0008,0020)', path: '(0008,0020)' }, detail: '', category: 'date' },
        text('/cd/1', 'technical', [0, 0, 10, 10], '120 kV'),
        text('/cd/2', 'identifying', [5, 5, 40, 10], 'JOHN DOE'),
        text('/cd/2', 'technical', [5, 30, 40, 10], 'W 400'),
        { kind: 'face', confidence: 0.9, where: { file: '/cd/1', region: { voxelMin: [0, 0, 0], voxelMax: [1, 1, 1], patientMin: [0, 0, 0], patientMax: [1, 1, 1] } }, detail: 'A face.', picture: 'data:image/png;base64,AAAA' },
      ],
    },
    { seriesInstanceUID: 'mr', modality: 'MR', files: ['/cd/9'], findings: [text('/cd/9', 'identifying', [1, 1, 1, 1], 'OTHER')] },
  ],
  skipped: [],
  unchecked: [{ input: '/cd/2', reason: 'a codec is missing' }, { input: '/cd/9', reason: 'damaged' }],
};

describe('studyRisks', () => {
  const risks = studyRisks(study, document);

  it('gives the study its own cards only, face first', () => {
    expect(risks.map((r) => r.kind)).toEqual(['face', 'text', 'header', 'unchecked']);
    expect(studyRisks({ ...study, series: [other] }, document).map((r) => r.kind)).toEqual(['text', 'unchecked']);
  });

  it('counts text per image and shows an identifying one with every box of its frame', () => {
    const card = risks.find((r) => r.kind === 'text');
    if (card?.kind !== 'text') throw new Error('no text card');
    expect(card).toMatchObject({ files: 2, identifyingFiles: 1, technical: 2, texts: ['JOHN DOE'] });
    expect(card.picture?.instance.displayPath).toBe('/cd/2');
    expect(card.picture?.instanceIndex).toBe(1);
    expect(card.picture?.boxes).toEqual([
      { box: [5, 5, 40, 10], identifying: true },
      { box: [5, 30, 40, 10], identifying: false },
    ]);
  });

  it('keeps the face finding (and its picture) and merges header rows per element', () => {
    const face = risks[0];
    expect(face.kind === 'face' && face.finding.picture).toBe('data:image/png;base64,AAAA');
    const header = risks.find((r) => r.kind === 'header');
    if (header?.kind !== 'header') throw new Error('no header card');
    expect(header.files).toBe(2);
    expect(header.rows.map((r) => [r.tag, r.files])).toEqual([['(0010,0010)', 2], ['(0008,0020)', 1]]);
    expect(headerKinds(header.rows)).toEqual(['your name', 'dates (your birth, your visits)']);
  });

  it('shows nothing before the scan answers', () => {
    expect(studyRisks(study, null)).toEqual([]);
  });
});

describe('plainDate', () => {
  it('writes DICOM dates out, the old dotted form too, and leaves anything else', () => {
    expect(plainDate('20050303')).toBe('3 March 2005');
    expect(plainDate('1993.04.30')).toBe('30 April 1993');
    expect(plainDate('unknown')).toBe('unknown');
  });
});
