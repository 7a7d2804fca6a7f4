// One call for a head volume: face check (every view, renders kept) → mask →
// fill → proof. When the proof still sees a face, the mask grows (deeper,
// further behind the eyes, wider) and is tried again, a bounded number of times.
import { checkFace, type CheckFaceOptions, type FaceCheck, type FaceDetector, type Volume } from '../detect/face';
import { fillPlan, fillVolume, type FillOptions, type FillPlan } from './fill';
import { faceMask, type FaceMask, type FaceMaskOptions } from './mask';
import { proveDefaced, type DefaceProof, type ProofOptions } from './prove';

export interface DefaceOptions {
  check: Partial<CheckFaceOptions>;
  mask: Partial<FaceMaskOptions>;
  fill: Partial<FillOptions>;
  proof: Partial<ProofOptions>;
  /** Larger masks tried, in order, while the proof still finds a face (each adds to `mask`). */
  grow: ReadonlyArray<Partial<FaceMaskOptions>>;
  /** A check already run with `{ allViews: true, keepRenders: true }` (skips the first check). */
  before?: FaceCheck;
}

export const defaultDefaceOptions: DefaceOptions = {
  check: {},
  mask: {},
  fill: {},
  proof: {},
  grow: [
    { behindEyesMm: 15, marginMm: 10 },
    { behindEyesMm: 25, marginMm: 15, aboveBrowsMm: 15 },
  ],
};

export interface DefaceResult {
  /** The face check of the original (every view). */
  before: FaceCheck;
  /** Nothing to do: no face was confirmed. */
  noFace: boolean;
  mask: FaceMask;
  plan: FillPlan;
  /** The defaced copy (the original is not modified); the original when there was no face. */
  volume: Volume;
  proof?: DefaceProof;
  /** Masks tried (1 = the first one held). */
  attempts: number;
}

export async function defaceVolume(volume: Volume, detector: FaceDetector, options: Partial<DefaceOptions> = {}): Promise<DefaceResult> {
  const o = { ...defaultDefaceOptions, ...options };
  const before = o.before ?? (await checkFace(volume, detector, { ...o.check, allViews: true, keepRenders: true }));
  const plan = fillPlan(volume, o.fill);
  let mask = faceMask(volume, before, o.mask);
  if (mask.voxels === 0) return { before, noFace: !before.reconstructable, mask, plan, volume, attempts: 0 };
  const steps = [{}, ...o.grow];
  let result: DefaceResult | undefined;
  for (let a = 0; a < steps.length; a++) {
    if (a > 0) mask = faceMask(volume, before, { ...o.mask, ...steps[a] });
    const defaced = fillVolume(volume, mask, plan);
    const proof = await proveDefaced(volume, defaced, detector, { ...o.proof, check: { ...o.check, ...o.proof.check } });
    result = { before, noFace: false, mask, plan, volume: defaced, proof, attempts: a + 1 };
    if (proof.faceFree) break;
  }
  return result!;
}
