// Writing DICOM Part 10 files (PS3.10 7.1) in the file's own transfer syntax:
// implicit/explicit VR, little or big endian, deflated (fflate), encapsulated.
// Values are written from the raw bytes kept by the reader, so an unchanged
// dataset round-trips value for value. Sequences and items are written with
// undefined length (PS3.5 7.5.2), which needs no length bookkeeping.
import { deflateSync } from 'fflate';
import { DataElement, Dataset } from './dataset';
import type { DicomFile } from './reader';
import { TransferSyntax } from './reader';
import { Tags, elementOf, groupOf, isPrivateTag } from './tag';
import { hasLongLength } from './vr';

const UNDEFINED = 0xffffffff;

/** Collects bytes in chunks; big values (pixel data) are referenced, not copied, until the end. */
class ByteSink {
  private chunks: Uint8Array[] = [];
  length = 0;

  bytes(value: Uint8Array): void {
    if (value.length === 0) return;
    this.chunks.push(value);
    this.length += value.length;
  }

  u16(value: number, littleEndian: boolean): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, littleEndian);
    this.bytes(b);
  }

  u32(value: number, littleEndian: boolean): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, littleEndian);
    this.bytes(b);
  }

  ascii(text: string): void {
    const b = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i);
    this.bytes(b);
  }

  /** Moves another sink's chunks over (no copy). */
  append(other: ByteSink): void {
    for (const chunk of other.chunks) this.chunks.push(chunk);
    this.length += other.length;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

interface Encoding {
  explicit: boolean;
  littleEndian: boolean;
}

function writeTag(sink: ByteSink, tag: string, enc: Encoding): void {
  sink.u16(groupOf(tag), enc.littleEndian);
  sink.u16(elementOf(tag), enc.littleEndian);
}

function writeHeader(sink: ByteSink, tag: string, vr: string, length: number, enc: Encoding): void {
  writeTag(sink, tag, enc);
  if (!enc.explicit) {
    sink.u32(length, enc.littleEndian);
  } else if (hasLongLength(vr)) {
    sink.ascii(vr);
    sink.u16(0, enc.littleEndian);
    sink.u32(length, enc.littleEndian);
  } else {
    sink.ascii(vr);
    sink.u16(length, enc.littleEndian);
  }
}

function writeElement(sink: ByteSink, element: DataElement, enc: Encoding): void {
  const { tag } = element;
  if (element.skippedLength !== undefined) {
    throw new Error(`Element ${tag} was read header-only; its value is not available for writing.`);
  }
  if (element.items) {
    writeSequence(sink, element, enc);
    return;
  }
  if (element.encapsulated) {
    const item = { ...enc, explicit: false };
    writeHeader(sink, tag, element.vr === 'OW' ? 'OW' : 'OB', UNDEFINED, enc);
    for (const fragment of [element.encapsulated.offsetTable, ...element.encapsulated.fragments]) {
      writeHeader(sink, Tags.Item, '', fragment.length, item);
      sink.bytes(fragment);
    }
    writeHeader(sink, Tags.SequenceDelimitation, '', 0, item);
    return;
  }
  // Values are written as read, odd length included: setValue() pads new values (PS3.5 7.1.1).
  const value = element.bytes;
  // A value too long for a 16-bit length can only be written as UN (PS3.5 6.2.2).
  const vr = enc.explicit && !hasLongLength(element.vr) && value.length > 0xffff ? 'UN' : element.vr;
  writeHeader(sink, tag, vr, value.length, enc);
  sink.bytes(value);
}

/**
 * A sequence keeps the length encoding it was read with. New sequences use undefined
 * length, except private ones in implicit VR: readers without a private dictionary
 * recognise those only by defined lengths. A UN holding items keeps VR UN and
 * encodes them in implicit VR little endian (PS3.5 6.2.2).
 */
function writeSequence(sink: ByteSink, element: DataElement, enc: Encoding): void {
  const items = element.items ?? [];
  const isUN = element.vr === 'UN' && enc.explicit;
  const inner: Encoding = isUN ? { explicit: false, littleEndian: true } : enc;
  const undefinedLength = element.undefinedLength ?? !(!enc.explicit && isPrivateTag(element.tag));
  const body = new ByteSink();
  const delimiter: Encoding = { ...inner, explicit: false };
  for (const item of items) {
    const itemUndefined = item.undefinedLength ?? undefinedLength;
    if (itemUndefined) {
      writeHeader(body, Tags.Item, '', UNDEFINED, delimiter);
      writeElements(body, item, inner);
      writeHeader(body, Tags.ItemDelimitation, '', 0, delimiter);
    } else {
      const content = new ByteSink();
      writeElements(content, item, inner);
      writeHeader(body, Tags.Item, '', content.length, delimiter);
      body.append(content);
    }
  }
  if (undefinedLength) writeHeader(body, Tags.SequenceDelimitation, '', 0, delimiter);
  writeHeader(sink, element.tag, isUN ? 'UN' : 'SQ', undefinedLength ? UNDEFINED : body.length, enc);
  sink.append(body);
}

function writeElements(sink: ByteSink, dataset: Dataset, enc: Encoding): void {
  for (const element of dataset.sorted()) writeElement(sink, element, enc);
}

/** Encodes a dataset alone (no preamble, no meta) in the given transfer syntax. */
export function encodeDataset(dataset: Dataset, transferSyntaxUID: string): Uint8Array {
  const sink = new ByteSink();
  const enc: Encoding = {
    explicit: transferSyntaxUID !== TransferSyntax.ImplicitVRLittleEndian,
    littleEndian: transferSyntaxUID !== TransferSyntax.ExplicitVRBigEndian,
  };
  writeElements(sink, dataset, enc);
  const bytes = sink.toBytes();
  return transferSyntaxUID === TransferSyntax.DeflatedExplicitVRLittleEndian ? deflateSync(bytes, { level: 6 }) : bytes;
}

function uiBytes(uid: string): Uint8Array {
  const b = new Uint8Array(uid.length + (uid.length % 2));
  for (let i = 0; i < uid.length; i++) b[i] = uid.charCodeAt(i);
  return b;
}

/** File Meta Information with the transfer syntax set and the group length recomputed (PS3.10 7.1). */
function encodeMeta(meta: Dataset, transferSyntaxUID: string): Uint8Array {
  const copy = new Dataset(true);
  for (const element of meta) if (element.tag !== Tags.FileMetaInformationGroupLength) copy.set(element);
  if (!copy.has('00020001')) copy.set(new DataElement('00020001', 'OB', new Uint8Array([0, 1])));
  copy.set(new DataElement(Tags.TransferSyntaxUID, 'UI', uiBytes(transferSyntaxUID)));
  const body = new ByteSink();
  writeElements(body, copy, { explicit: true, littleEndian: true });
  const groupLength = new Uint8Array(4);
  new DataView(groupLength.buffer).setUint32(0, body.length, true);
  const sink = new ByteSink();
  writeElement(sink, new DataElement(Tags.FileMetaInformationGroupLength, 'UL', groupLength), {
    explicit: true,
    littleEndian: true,
  });
  sink.bytes(body.toBytes());
  return sink.toBytes();
}

/** A Part 10 file: preamble, "DICM", meta group, dataset in `file.transferSyntaxUID`. */
export function writeDicom(file: DicomFile): Uint8Array {
  const sink = new ByteSink();
  sink.bytes(file.preamble && file.preamble.length === 128 ? file.preamble : new Uint8Array(128));
  sink.ascii('DICM');
  sink.bytes(encodeMeta(file.meta, file.transferSyntaxUID));
  sink.bytes(encodeDataset(file.dataset, file.transferSyntaxUID));
  return sink.toBytes();
}
