// Image Pixel module attributes (PS3.3 C.7.6.3) read once, as plain numbers.
import { Tags, type DicomFile, type Dataset } from '../dicom';

export interface PaletteDescriptor {
  /** Number of entries (a stored 0 means 65536, PS3.3 C.7.6.3.1.5). */
  entries: number;
  firstMapped: number;
  bits: number;
}

export interface PixelInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  photometric: string;
  /** 0 colour-by-pixel, 1 colour-by-plane (native data only). */
  planarConfiguration: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** First VOI window from the header, if any. */
  window?: { center: number; width: number };
  palette?: { red: PaletteDescriptor; green: PaletteDescriptor; blue: PaletteDescriptor };
  frames: number;
}

const T = {
  SamplesPerPixel: '00280002',
  Photometric: '00280004',
  PlanarConfiguration: '00280006',
  NumberOfFrames: '00280008',
  BitsAllocated: '00280100',
  BitsStored: '00280101',
  HighBit: '00280102',
  PixelRepresentation: '00280103',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
  RescaleIntercept: '00281052',
  RescaleSlope: '00281053',
  RedDescriptor: '00281101',
  GreenDescriptor: '00281102',
  BlueDescriptor: '00281103',
  RedData: '00281201',
  GreenData: '00281202',
  BlueData: '00281203',
} as const;
export const PixelTags = T;

export function frameCount(file: DicomFile): number {
  const n = file.dataset.number(T.NumberOfFrames);
  return n !== undefined && n > 0 ? Math.floor(n) : 1;
}

function descriptor(dataset: Dataset, tag: string): PaletteDescriptor | undefined {
  const el = dataset.get(tag);
  if (!el || el.bytes.length < 6) return undefined;
  // Always read as unsigned: the first-mapped value may be SS per PS3.3, the entry count never is.
  const view = new DataView(el.bytes.buffer, el.bytes.byteOffset, el.bytes.byteLength);
  const le = dataset.littleEndian;
  const entries = view.getUint16(0, le);
  const first = dataset.number(T.PixelRepresentation) === 1 ? view.getInt16(2, le) : view.getUint16(2, le);
  return { entries: entries === 0 ? 65536 : entries, firstMapped: first, bits: view.getUint16(4, le) };
}

export function pixelInfo(file: DicomFile): PixelInfo {
  const ds = file.dataset;
  const bitsAllocated = ds.number(T.BitsAllocated) ?? 16;
  const bitsStored = ds.number(T.BitsStored) ?? bitsAllocated;
  const info: PixelInfo = {
    rows: ds.number(Tags.Rows) ?? 0,
    columns: ds.number(Tags.Columns) ?? 0,
    samplesPerPixel: ds.number(T.SamplesPerPixel) ?? 1,
    bitsAllocated,
    bitsStored,
    highBit: ds.number(T.HighBit) ?? bitsStored - 1,
    pixelRepresentation: ds.number(T.PixelRepresentation) ?? 0,
    photometric: ds.string(T.Photometric).toUpperCase() || 'MONOCHROME2',
    planarConfiguration: ds.number(T.PlanarConfiguration) ?? 0,
    rescaleSlope: ds.number(T.RescaleSlope) ?? 1,
    rescaleIntercept: ds.number(T.RescaleIntercept) ?? 0,
    frames: frameCount(file),
  };
  const center = ds.number(T.WindowCenter);
  const width = ds.number(T.WindowWidth);
  if (center !== undefined && width !== undefined && width > 0) info.window = { center, width };
  const red = descriptor(ds, T.RedDescriptor);
  const green = descriptor(ds, T.GreenDescriptor);
  const blue = descriptor(ds, T.BlueDescriptor);
  if (red && green && blue) info.palette = { red, green, blue };
  return info;
}
