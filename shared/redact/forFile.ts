// Which boxes of a plan apply to one file: its own, then its device's signature
// boxes (a file's own box at the same place overrides the signature's, being the
// more specific decision). The viewer shows this; the export fills it.
import type { Dataset } from '../dicom';
import type { DeviceSignature, RedactionBox, RedactionPlan } from './plan';

export type Device = Omit<DeviceSignature, 'boxes'>;

/** Size and make of an image (General Equipment, PS3.3 C.7.5.1; Image Pixel, C.7.6.3). */
export function deviceOf(dataset: Dataset): Device {
  return {
    rows: dataset.number('00280010') ?? 0,
    columns: dataset.number('00280011') ?? 0,
    manufacturer: dataset.string('00080070'),
    model: dataset.string('00081090'),
  };
}

export function sameDevice(a: Device, b: Device): boolean {
  return a.rows === b.rows && a.columns === b.columns && a.manufacturer === b.manufacturer && a.model === b.model;
}

const sameSpot = (a: RedactionBox, b: RedactionBox): boolean =>
  a.image === b.image && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Every box of `plan` for the file with this SOP Instance UID and device, in every frame. */
export function boxesForFile(plan: RedactionPlan, sopInstanceUID: string, device: Device): RedactionBox[] {
  const own = plan.files[sopInstanceUID] ?? [];
  const learned = plan.signatures
    .filter((signature) => sameDevice(signature, device))
    .flatMap((signature) => signature.boxes)
    .filter((box) => !own.some((o) => sameSpot(o, box)));
  return [...own, ...learned];
}
