// What to black out, decided once and read by everyone: the viewer edits it,
// the CLI builds it from detections, and the export applies it. Plain JSON so
// it crosses IPC and worker boundaries and can be saved with a study.

/** A rectangle in image pixels (columns × rows of the picture it belongs to). */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Why a box exists: which detector found it, or the user drew it. */
export type BoxOrigin = 'burned-in-text' | 'skin-marker' | 'face' | 'user';

export interface RedactionBox extends PixelBox {
  /** Frame index (0-based), or 'all' for every frame of the image. */
  frame: number | 'all';
  /** Which picture of the file: pixel data, icon thumbnail or an overlay plane ("overlay-6000"). */
  image: 'pixels' | 'icon' | `overlay-${string}`;
  origin: BoxOrigin;
  /** Burned-in text: the class that set the default decision. */
  textClass?: 'identifying' | 'technical';
  /** The user's or the profile's decision; false keeps the region (shown, not filled). */
  redact: boolean;
}

/**
 * Boxes learned from a study that apply to every image of the same size from the same
 * device (like CTP's manufacturer signatures, but from what was found here).
 */
export interface DeviceSignature {
  rows: number;
  columns: number;
  manufacturer: string;
  model: string;
  boxes: RedactionBox[];
}

export interface RedactionPlan {
  /** Per file, keyed by the SOP Instance UID of the original. */
  files: Record<string, RedactionBox[]>;
  signatures: DeviceSignature[];
  /** Keep technical text (kV, W/L, orientation…) unless the user says otherwise. */
  keepTechnicalText: boolean;
}

export const emptyPlan = (): RedactionPlan => ({ files: {}, signatures: [], keepTechnicalText: true });

/**
 * Identifying burned-in text is filled in every frame, not only where it was read: a cine's
 * banner is drawn the same on all frames, but small glyphs over moving anatomy (an echo's
 * Doppler) are read in some frames and missed in others, and a missed frame would leak.
 * Technical text (frame counters, clocks) keeps its frame.
 */
export function spreadIdentifying<B extends RedactionBox>(boxes: readonly B[]): B[] {
  const out: B[] = [];
  for (const box of boxes) {
    const spread = box.origin === 'burned-in-text' && box.textClass === 'identifying' ? { ...box, frame: 'all' as const } : box;
    const duplicate = out.some(
      (o) => o.image === spread.image && o.frame === spread.frame && o.redact === spread.redact && o.x === spread.x && o.y === spread.y && o.width === spread.width && o.height === spread.height,
    );
    if (!duplicate) out.push(spread);
  }
  return out;
}
