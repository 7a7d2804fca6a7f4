// The viewer's edits of the redaction plan, as pure functions over the shared
// plan (shared/redact/plan.ts): seed from scan findings, add / move / resize /
// delete / toggle a box, widen it to every frame or to every image of the same
// device, and the boxes that apply to one frame. `editPlan` wraps them in a
// reducer with selection and undo. No React, no DOM: unit-tested in Vitest.
import type { Finding } from '../../shared/export/scan';
import { sameDevice, spreadIdentifying, type Device, type DeviceSignature, type PixelBox, type RedactionBox, type RedactionPlan } from '../../shared/redact';

export type { Device };

export type Picture = RedactionBox['image'];

/** A box as the viewer keeps it: the plan's box and, for detected text, what OCR read. */
export type PlannedBox = RedactionBox & { text?: string };

/** Where a box lives in the plan: a file's own list, or a device signature's. */
export type BoxRef = { owner: 'file'; sop: string; index: number } | { owner: 'signature'; signature: number; index: number };

/** One picture the user looks at. */
export interface ImageView {
  sop: string;
  frame: number;
  /** The picture of the file (default: every picture). */
  image?: Picture;
  /** Known once the header has been read; without it no signature applies. */
  device?: Device;
}

export interface EffectiveBox {
  ref: BoxRef;
  box: PlannedBox;
}

export function sameRef(a: BoxRef | null | undefined, b: BoxRef | null | undefined): boolean {
  if (!a || !b || a.owner !== b.owner || a.index !== b.index) return false;
  return a.owner === 'file' ? a.sop === (b as typeof a).sop : a.signature === (b as typeof a).signature;
}

export function boxAt(plan: RedactionPlan, ref: BoxRef): PlannedBox | undefined {
  return ref.owner === 'file' ? plan.files[ref.sop]?.[ref.index] : plan.signatures[ref.signature]?.boxes[ref.index];
}

/** The default decision for detected text: identifying is filled, technical per the plan's option. */
export function defaultDecision(textClass: PlannedBox['textClass'], keepTechnicalText: boolean): boolean {
  return textClass === 'technical' ? !keepTechnicalText : true;
}

function sameRect(a: PixelBox, b: PixelBox): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

function sameSpot(a: RedactionBox, b: RedactionBox): boolean {
  return a.image === b.image && a.frame === b.frame && sameRect(a, b);
}

/**
 * Adds the burned-in-text findings of files the plan does not know yet (a file the
 * user has edited keeps its boxes, even when they deleted all of them). `sops` maps
 * a finding's file (its path as the scan names it) to its SOP Instance UID.
 */
export function seedPlan(plan: RedactionPlan, findings: readonly Finding[], sops: ReadonlyMap<string, string>): RedactionPlan {
  const added: Record<string, PlannedBox[]> = {};
  for (const finding of findings) {
    const { box, file } = finding.where;
    if (finding.kind !== 'burned-in-text' || !box) continue;
    const sop = sops.get(file);
    if (!sop || plan.files[sop]) continue;
    const planned: PlannedBox = {
      x: box[0],
      y: box[1],
      width: box[2],
      height: box[3],
      frame: finding.where.frame ?? 'all',
      image: finding.where.image ?? 'pixels',
      origin: 'burned-in-text',
      redact: defaultDecision(finding.textClass, plan.keepTechnicalText),
      ...(finding.textClass ? { textClass: finding.textClass } : {}),
      ...(finding.text !== undefined ? { text: finding.text } : {}),
    };
    const list = (added[sop] ??= []);
    const [spread] = spreadIdentifying([planned]);
    if (!list.some((other) => sameSpot(other, spread!))) list.push(spread!);
  }
  return Object.keys(added).length === 0 ? plan : { ...plan, files: { ...plan.files, ...added } };
}

/** Replaces the box at `ref` (undefined removes it). */
function replaceBox(plan: RedactionPlan, ref: BoxRef, next: PlannedBox | undefined): RedactionPlan {
  const splice = (list: readonly PlannedBox[]) =>
    next ? list.map((box, i) => (i === ref.index ? next : box)) : list.filter((_, i) => i !== ref.index);
  if (ref.owner === 'file') {
    const list = plan.files[ref.sop];
    if (!list?.[ref.index]) return plan;
    return { ...plan, files: { ...plan.files, [ref.sop]: splice(list) } };
  }
  const signature = plan.signatures[ref.signature];
  if (!signature?.boxes[ref.index]) return plan;
  const signatures = plan.signatures.map((s, i) => (i === ref.signature ? { ...s, boxes: splice(s.boxes) } : s));
  // A signature without boxes says nothing.
  return { ...plan, signatures: signatures.filter((s) => s.boxes.length > 0) };
}

export function addBox(plan: RedactionPlan, sop: string, box: PlannedBox): { plan: RedactionPlan; ref: BoxRef } {
  const list = plan.files[sop] ?? [];
  return { plan: { ...plan, files: { ...plan.files, [sop]: [...list, box] } }, ref: { owner: 'file', sop, index: list.length } };
}

/** Moves or resizes a box (the rectangle in image pixels). */
export function setBoxRect(plan: RedactionPlan, ref: BoxRef, rect: PixelBox): RedactionPlan {
  const box = boxAt(plan, ref);
  if (!box || sameRect(box, rect)) return plan;
  return replaceBox(plan, ref, { ...box, x: rect.x, y: rect.y, width: rect.width, height: rect.height });
}

/** Redact ↔ keep. */
export function toggleBox(plan: RedactionPlan, ref: BoxRef): RedactionPlan {
  const box = boxAt(plan, ref);
  return box ? replaceBox(plan, ref, { ...box, redact: !box.redact }) : plan;
}

export function deleteBox(plan: RedactionPlan, ref: BoxRef): RedactionPlan {
  return replaceBox(plan, ref, undefined);
}

/**
 * The box applies to every frame of its image. Boxes of the same file at the same
 * place in single frames (a detector finds the same text in each frame) are
 * folded into it.
 */
export function applyToAllFrames(plan: RedactionPlan, ref: BoxRef): { plan: RedactionPlan; ref: BoxRef } {
  const box = boxAt(plan, ref);
  if (!box || box.frame === 'all') return { plan, ref };
  const widened: PlannedBox = { ...box, frame: 'all' };
  if (ref.owner === 'signature') return { plan: replaceBox(plan, ref, widened), ref };
  const list = plan.files[ref.sop];
  const kept = list.filter((other, i) => i === ref.index || other.image !== box.image || !sameRect(other, box));
  const index = kept.indexOf(box);
  kept[index] = widened;
  return { plan: { ...plan, files: { ...plan.files, [ref.sop]: kept } }, ref: { owner: 'file', sop: ref.sop, index } };
}

/**
 * Moves a file's box into the signature of its device (created on first use): it
 * then applies to every frame of every image of that size from that make and model,
 * as CTP's manufacturer signatures do, but learned from this study.
 */
export function applyToDevice(plan: RedactionPlan, ref: BoxRef, device: Device): { plan: RedactionPlan; ref: BoxRef } {
  const box = boxAt(plan, ref);
  // An image whose header gave no size cannot define a device.
  if (!box || ref.owner !== 'file' || device.rows < 1 || device.columns < 1) return { plan, ref };
  const learned: PlannedBox = { ...box, frame: 'all' };
  // The same place in other frames of this file is covered now.
  const ownList = plan.files[ref.sop].filter((other) => other.image !== box.image || !sameRect(other, box));
  let index = plan.signatures.findIndex((s) => sameDevice(s, device));
  let signatures: DeviceSignature[];
  let boxIndex: number;
  if (index < 0) {
    index = plan.signatures.length;
    boxIndex = 0;
    signatures = [...plan.signatures, { ...device, boxes: [learned] }];
  } else {
    const existing = plan.signatures[index];
    const duplicate = existing.boxes.findIndex((other) => sameSpot(other, learned));
    boxIndex = duplicate >= 0 ? duplicate : existing.boxes.length;
    const boxes = duplicate >= 0 ? existing.boxes.map((b, i) => (i === duplicate ? learned : b)) : [...existing.boxes, learned];
    signatures = plan.signatures.map((s, i) => (i === index ? { ...s, boxes } : s));
  }
  return {
    plan: { ...plan, files: { ...plan.files, [ref.sop]: ownList }, signatures },
    ref: { owner: 'signature', signature: index, index: boxIndex },
  };
}

/** The profile option; re-decides every technical-text box. */
export function setKeepTechnicalText(plan: RedactionPlan, keep: boolean): RedactionPlan {
  const decide = (box: PlannedBox): PlannedBox =>
    box.textClass === 'technical' && box.redact === keep ? { ...box, redact: !keep } : box;
  const files = Object.fromEntries(Object.entries(plan.files).map(([sop, boxes]) => [sop, boxes.map(decide)]));
  const signatures = plan.signatures.map((s) => ({ ...s, boxes: s.boxes.map(decide) }));
  return { ...plan, keepTechnicalText: keep, files, signatures };
}

const onFrame = (box: RedactionBox, view: ImageView) =>
  (box.frame === 'all' || box.frame === view.frame) && (view.image === undefined || box.image === view.image);

/**
 * The boxes that apply to one frame: the file's own, then its device's signature
 * boxes. A file's own box at the same place overrides the signature's (its decision
 * is the more specific one).
 */
export function effectiveBoxes(plan: RedactionPlan, view: ImageView): EffectiveBox[] {
  const result: EffectiveBox[] = [];
  const own = plan.files[view.sop] ?? [];
  own.forEach((box, index) => {
    if (onFrame(box, view)) result.push({ ref: { owner: 'file', sop: view.sop, index }, box });
  });
  if (!view.device) return result;
  const device = view.device;
  plan.signatures.forEach((signature, s) => {
    if (!sameDevice(signature, device)) return;
    signature.boxes.forEach((box, index) => {
      if (!onFrame(box, view) || own.some((o) => o.image === box.image && sameRect(o, box))) return;
      result.push({ ref: { owner: 'signature', signature: s, index }, box });
    });
  });
  return result;
}

/**
 * The plan without the text OCR read: that text may be the patient's name, and a
 * plan may be saved, logged or sent to a worker. Boxes and decisions are unchanged.
 */
export function withoutText(plan: RedactionPlan): RedactionPlan {
  const strip = (box: PlannedBox): RedactionBox => {
    if (box.text === undefined) return box;
    const { text: _text, ...rest } = box;
    return rest;
  };
  return {
    ...plan,
    files: Object.fromEntries(Object.entries(plan.files).map(([sop, boxes]) => [sop, boxes.map(strip)])),
    signatures: plan.signatures.map((s) => ({ ...s, boxes: s.boxes.map(strip) })),
  };
}

/**
 * The whole-pixel rectangle spanned by two points in image coordinates (pixel
 * edges: 0 is the left edge of the first column), clamped to the picture. Rounds
 * outwards, so a box drawn over text covers all of it.
 */
export function rectBetween(a: readonly [number, number], b: readonly [number, number], size: { columns: number; rows: number }): PixelBox {
  const clampX = (v: number) => Math.min(size.columns, Math.max(0, v));
  const clampY = (v: number) => Math.min(size.rows, Math.max(0, v));
  const left = clampX(Math.floor(Math.min(a[0], b[0])));
  const top = clampY(Math.floor(Math.min(a[1], b[1])));
  const right = clampX(Math.ceil(Math.max(a[0], b[0])));
  const bottom = clampY(Math.ceil(Math.max(a[1], b[1])));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** A rectangle moved by whole pixels, kept inside the picture. */
export function movedRect(rect: PixelBox, dx: number, dy: number, size: { columns: number; rows: number }): PixelBox {
  const x = Math.min(size.columns - rect.width, Math.max(0, rect.x + Math.round(dx)));
  const y = Math.min(size.rows - rect.height, Math.max(0, rect.y + Math.round(dy)));
  return { ...rect, x: Math.max(0, x), y: Math.max(0, y) };
}

// ---- The reducer: the plan with a selection and undo. ----

export interface PlanEditor {
  plan: RedactionPlan;
  selected: BoxRef | null;
  /** Plans before each edit (newest last), and those undone. */
  past: RedactionPlan[];
  future: RedactionPlan[];
}

export type PlanAction =
  | { type: 'seed'; findings: readonly Finding[]; sops: ReadonlyMap<string, string> }
  | { type: 'add'; sop: string; box: PlannedBox }
  | { type: 'set-rect'; ref: BoxRef; rect: PixelBox }
  | { type: 'toggle'; ref: BoxRef }
  | { type: 'delete'; ref: BoxRef }
  | { type: 'all-frames'; ref: BoxRef }
  | { type: 'same-device'; ref: BoxRef; device: Device }
  | { type: 'keep-technical'; keep: boolean }
  | { type: 'select'; ref: BoxRef | null }
  | { type: 'undo' }
  | { type: 'redo' };

const historyLimit = 100;

export function planEditor(plan: RedactionPlan): PlanEditor {
  return { plan, selected: null, past: [], future: [] };
}

function commit(state: PlanEditor, plan: RedactionPlan, selected: BoxRef | null): PlanEditor {
  if (plan === state.plan) return selected === state.selected ? state : { ...state, selected };
  return { plan, selected, past: [...state.past, state.plan].slice(-historyLimit), future: [] };
}

export function editPlan(state: PlanEditor, action: PlanAction): PlanEditor {
  switch (action.type) {
    case 'seed': {
      // Findings are not an edit: every plan in the history learns them, so undo never loses them.
      const seed = (plan: RedactionPlan) => seedPlan(plan, action.findings, action.sops);
      const plan = seed(state.plan);
      return plan === state.plan ? state : { ...state, plan, past: state.past.map(seed), future: state.future.map(seed) };
    }
    case 'add': {
      const added = addBox(state.plan, action.sop, action.box);
      return commit(state, added.plan, added.ref);
    }
    case 'set-rect':
      return commit(state, setBoxRect(state.plan, action.ref, action.rect), action.ref);
    case 'toggle':
      return commit(state, toggleBox(state.plan, action.ref), action.ref);
    case 'delete':
      return commit(state, deleteBox(state.plan, action.ref), null);
    case 'all-frames': {
      const widened = applyToAllFrames(state.plan, action.ref);
      return commit(state, widened.plan, widened.ref);
    }
    case 'same-device': {
      const learned = applyToDevice(state.plan, action.ref, action.device);
      return commit(state, learned.plan, learned.ref);
    }
    case 'keep-technical':
      return commit(state, setKeepTechnicalText(state.plan, action.keep), state.selected);
    case 'select':
      return sameRef(action.ref, state.selected) || action.ref === state.selected ? state : { ...state, selected: action.ref };
    case 'undo': {
      const previous = state.past.at(-1);
      if (!previous) return state;
      return { plan: previous, selected: null, past: state.past.slice(0, -1), future: [state.plan, ...state.future] };
    }
    case 'redo': {
      const [next, ...rest] = state.future;
      if (!next) return state;
      return { plan: next, selected: null, past: [...state.past, state.plan], future: rest };
    }
  }
}
