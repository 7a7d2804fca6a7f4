// Which device made an image, for device signatures: size and make, read from
// the header with shared/redact's `deviceOf`.
import { readDicom } from '../../shared/dicom';
import { deviceOf, type Device } from '../../shared/redact';

/** The device of a file's bytes (only the header is parsed). */
export function deviceOfFile(bytes: Uint8Array): Device {
  return deviceOf(readDicom(bytes, { headerOnly: true }).dataset);
}

/** "GE MEDICAL SYSTEMS GENESIS_ZEUS, 512 × 512", for labels. */
export function describeDevice(device: Device): string {
  const make = [device.manufacturer, device.model].filter(Boolean).join(' ') || 'unknown device';
  return `${make}, ${device.columns} × ${device.rows}`;
}
