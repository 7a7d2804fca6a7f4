// Veil's face detector in Node: @vladmandic/human (BlazeFace box + FaceMesh
// landmarks) on the tfjs WASM backend, fully offline. Models are read from the
// package's models/ folder through a tfjs load router (no fetch, no network);
// the WASM binaries come from @tensorflow/tfjs-backend-wasm/dist. Create once,
// reuse for every picture, `dispose()` at the end.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DetectedFace, FaceDetector, FaceLandmarks, Point2, RgbaImage } from '../../../shared/detect/face';
import { unpackedPath } from '../../app/locations';

const require = createRequire(import.meta.url);

type Point3 = [number, number, number?];

interface HumanFace {
  score: number;
  boxScore: number;
  faceScore: number;
  box: [number, number, number, number];
  annotations: Record<string, Point3[]>;
}

interface HumanTf {
  tensor3d(values: Int32Array, shape: [number, number, number], dtype: 'int32'): { dispose(): void };
  io: {
    registerLoadRouter(router: (url: string | string[]) => unknown): void;
    getModelArtifactsForJSON(json: unknown, loadWeights: (manifest: WeightGroup[]) => Promise<[unknown[], ArrayBuffer]>): Promise<unknown>;
  };
}

interface WeightGroup {
  paths: string[];
  weights: unknown[];
}

interface Human {
  tf: HumanTf;
  models: { reset(): void };
  load(): Promise<void>;
  detect(input: unknown): Promise<{ face: HumanFace[] }>;
}

/** The package's own folders: Human's dist/models and tfjs' WASM binaries. */
export function humanPaths(): { human: string; models: string; wasm: string } {
  const dist = dirname(require.resolve('@vladmandic/human'));
  return {
    human: join(dist, 'human.node-wasm.js'),
    models: unpackedPath(join(dist, '..', 'models')),
    wasm: unpackedPath(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))),
  };
}

let routerInstalled = false;

/** file:// model URLs → artifacts read from disk (tfjs' own HTTP loader would call fetch). */
function installFileRouter(tf: HumanTf): void {
  if (routerInstalled) return;
  routerInstalled = true;
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const path = fileURLToPath(url);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(path, 'utf8')) as unknown;
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const parts = await Promise.all(manifest.flatMap((g) => g.paths).map((p) => readFile(join(dirname(path), p))));
          const all = Buffer.concat(parts);
          return [manifest.flatMap((g) => g.weights), all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}

const mean = (points: readonly Point3[] | undefined): Point2 => {
  if (!points?.length) return { x: NaN, y: NaN };
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return { x: x / points.length, y: y / points.length };
};

function landmarksOf(a: Record<string, Point3[]>): FaceLandmarks {
  return {
    leftEye: mean([...(a.leftEyeUpper0 ?? []), ...(a.leftEyeLower0 ?? [])]),
    rightEye: mean([...(a.rightEyeUpper0 ?? []), ...(a.rightEyeLower0 ?? [])]),
    noseTip: mean(a.noseTip),
    mouth: mean([...(a.lipsUpperOuter ?? []), ...(a.lipsLowerOuter ?? [])]),
    leftBrow: mean(a.leftEyebrowUpper),
    rightBrow: mean(a.rightEyebrowUpper),
    outline: (a.silhouette ?? []).map((p) => ({ x: p[0], y: p[1] })),
  };
}

export interface HumanDetectorOptions {
  /** Faces below this box score are not returned by Human at all. */
  minBoxScore: number;
  maxFaces: number;
}

export class HumanFaceDetector implements FaceDetector {
  private constructor(private readonly human: Human) {}

  static async create(options: Partial<HumanDetectorOptions> = {}): Promise<HumanFaceDetector> {
    const paths = humanPaths();
    const { Human } = require(paths.human) as { Human: new (config: unknown) => Human };
    const minConfidence = options.minBoxScore ?? 0.05;
    const human = new Human({
      backend: 'wasm',
      wasmPath: `${paths.wasm}/`,
      modelBasePath: `${pathToFileURL(paths.models).href}/`,
      debug: false,
      cacheModels: false,
      // Every picture is new: no reuse of the previous frame's boxes (Human is built for video).
      cacheSensitivity: 0,
      filter: { enabled: false },
      face: {
        enabled: true,
        detector: { rotation: false, maxDetected: options.maxFaces ?? 3, minConfidence, skipFrames: 0, skipTime: 0 },
        mesh: { enabled: true, keepInvalid: true },
        iris: { enabled: false },
        attention: { enabled: false },
        emotion: { enabled: false },
        description: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
        gear: { enabled: false },
      },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
    });
    installFileRouter(human.tf);
    await human.load();
    return new HumanFaceDetector(human);
  }

  async detect(image: RgbaImage): Promise<DetectedFace[]> {
    const { width, height, data } = image;
    const rgb = new Int32Array(width * height * 3);
    for (let p = 0, i = 0, o = 0; p < width * height; p++, i += 4, o += 3) {
      // Transparent pixels (no surface hit) are black, like the render's background.
      const alpha = data[i + 3]! / 255;
      rgb[o] = data[i]! * alpha;
      rgb[o + 1] = data[i + 1]! * alpha;
      rgb[o + 2] = data[i + 2]! * alpha;
    }
    const tensor = this.human.tf.tensor3d(rgb, [height, width, 3], 'int32');
    try {
      const result = await this.human.detect(tensor);
      return result.face
        .map((f) => ({
          box: { x: f.box[0], y: f.box[1], width: f.box[2], height: f.box[3] },
          score: f.score,
          boxScore: f.boxScore,
          meshScore: f.faceScore,
          landmarks: landmarksOf(f.annotations),
        }))
        .sort((a, b) => b.score - a.score);
    } finally {
      tensor.dispose();
    }
  }

  async dispose(): Promise<void> {
    // The WASM backend's memory lives as long as the process; dropping the models is enough.
    this.human.models.reset();
  }
}
