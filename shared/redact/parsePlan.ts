// A redaction plan from outside (IPC from the renderer, a JSON file given to the
// CLI) validated strictly: unknown keys, wrong types and absurd sizes are errors,
// never ignored, so a typo cannot silently leave text unredacted.
import type { DeviceSignature, RedactionBox, RedactionPlan } from './plan';

export class PlanError extends Error {
  override name = 'PlanError';
}

const MAX_BOXES = 200_000;
const MAX_EXTENT = 1 << 16;
const origins = new Set(['burned-in-text', 'skin-marker', 'face', 'user']);

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(value: Json, allowed: readonly string[], what: string): void {
  const extra = Object.keys(value).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new PlanError(`${what} has unknown key(s): ${extra.join(', ')}`);
}

function wholeNumber(value: unknown, what: string, min: number, max = MAX_EXTENT): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new PlanError(`${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function parseBox(value: unknown, where: string): RedactionBox {
  if (!isRecord(value)) throw new PlanError(`${where} must be an object`);
  onlyKeys(value, ['x', 'y', 'width', 'height', 'frame', 'image', 'origin', 'textClass', 'redact', 'text'], where);
  const { image, origin, textClass, redact, frame } = value;
  if (typeof image !== 'string' || !/^(pixels|icon|overlay-[0-9A-F]{4})$/.test(image)) {
    throw new PlanError(`${where}.image must be "pixels", "icon" or "overlay-60xx"`);
  }
  if (typeof origin !== 'string' || !origins.has(origin)) throw new PlanError(`${where}.origin must be one of ${[...origins].join(', ')}`);
  if (textClass !== undefined && textClass !== 'identifying' && textClass !== 'technical') {
    throw new PlanError(`${where}.textClass must be "identifying" or "technical"`);
  }
  if (typeof redact !== 'boolean') throw new PlanError(`${where}.redact must be true or false`);
  // The viewer labels boxes with the text read; checked, but not needed to fill them.
  if (value.text !== undefined && typeof value.text !== 'string') throw new PlanError(`${where}.text must be a string`);
  return {
    x: wholeNumber(value.x, `${where}.x`, 0),
    y: wholeNumber(value.y, `${where}.y`, 0),
    width: wholeNumber(value.width, `${where}.width`, 1),
    height: wholeNumber(value.height, `${where}.height`, 1),
    frame: frame === 'all' ? 'all' : wholeNumber(frame, `${where}.frame`, 0, 1 << 24),
    image: image as RedactionBox['image'],
    origin: origin as RedactionBox['origin'],
    ...(textClass !== undefined ? { textClass } : {}),
    redact,
  };
}

function parseBoxes(value: unknown, where: string, count: { n: number }): RedactionBox[] {
  if (!Array.isArray(value)) throw new PlanError(`${where} must be an array of boxes`);
  count.n += value.length;
  if (count.n > MAX_BOXES) throw new PlanError(`the plan has more than ${MAX_BOXES} boxes`);
  return value.map((box, i) => parseBox(box, `${where}[${i}]`));
}

export function parseRedactionPlan(json: unknown): RedactionPlan {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw new PlanError(`the redaction plan is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isRecord(json)) throw new PlanError('a redaction plan is an object { files, signatures, keepTechnicalText }');
  onlyKeys(json, ['files', 'signatures', 'keepTechnicalText'], 'the plan');
  const count = { n: 0 };
  if (!isRecord(json.files)) throw new PlanError('plan.files must be an object keyed by SOP Instance UID');
  const files: Record<string, RedactionBox[]> = {};
  for (const [uid, boxes] of Object.entries(json.files)) {
    if (!/^[0-9.]{1,64}$/.test(uid)) throw new PlanError(`plan.files key ${JSON.stringify(uid.slice(0, 70))} is not a UID`);
    files[uid] = parseBoxes(boxes, `plan.files["${uid}"]`, count);
  }
  if (!Array.isArray(json.signatures)) throw new PlanError('plan.signatures must be an array');
  const signatures: DeviceSignature[] = json.signatures.map((value, i) => {
    const where = `plan.signatures[${i}]`;
    if (!isRecord(value)) throw new PlanError(`${where} must be an object`);
    onlyKeys(value, ['rows', 'columns', 'manufacturer', 'model', 'boxes'], where);
    if (typeof value.manufacturer !== 'string' || typeof value.model !== 'string') {
      throw new PlanError(`${where}.manufacturer and .model must be strings`);
    }
    return {
      rows: wholeNumber(value.rows, `${where}.rows`, 1),
      columns: wholeNumber(value.columns, `${where}.columns`, 1),
      manufacturer: value.manufacturer,
      model: value.model,
      boxes: parseBoxes(value.boxes, `${where}.boxes`, count),
    };
  });
  if (typeof json.keepTechnicalText !== 'boolean') throw new PlanError('plan.keepTechnicalText must be true or false');
  return { files, signatures, keepTechnicalText: json.keepTechnicalText };
}
