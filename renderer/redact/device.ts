// Which device made an image, for device signatures: size and make, read from
// the header (General Equipment, PS3.3 C.7.5.1; Image Pixel, C.7.6.3).
import { readDicom, type Dataset } from '../../shared/dicom';
import type { Device } from './planState';

const Manufacturer = '00080070';
const ManufacturerModelName = '00081090';
const Rows = '00280010';
const Columns = '00280011';

export function deviceOfDataset(dataset: Dataset): Device {
  return {
    rows: dataset.number(Rows) ?? 0,
    columns: dataset.number(Columns) ?? 0,
    manufacturer: dataset.string(Manufacturer),
    model: dataset.string(ManufacturerModelName),
  };
}

/** The device of a file's bytes (only the header is parsed). */
export function deviceOfFile(bytes: Uint8Array): Device {
  return deviceOfDataset(readDicom(bytes, { headerOnly: true }).dataset);
}

/** "GE MEDICAL SYSTEMS GENESIS_ZEUS, 512 × 512", for labels. */
export function describeDevice(device: Device): string {
  const make = [device.manufacturer, device.model].filter(Boolean).join(' ') || 'unknown device';
  return `${make}, ${device.columns} × ${device.rows}`;
}
