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
import { hasLongLength, stringVRs } from './vr';

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

/** Values have even length (PS3.5 7.1.1): strings pad with space, UI and binary with NUL. */
function padded(element: DataElement): Uint8Array {
  const { bytes, vr } = element;
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = stringVRs.has(vr) && vr !== 'UI' ? 0x20 : 0x00;
  return out;
}

function writeElement(sink: ByteSink, element: DataElement, enc: Encoding): void {
  const { tag } = element;
  if (element.skippedLength !== undefined) {
    throw new Error(`Element ${tag} was read header-only; its value is not available for writing.`);
  }
  if (element.items && !enc.explicit && isPrivateTag(tag)) {
    // Readers without a private dictionary find implicit VR private sequences only by their items: use defined lengths.
    const items = new ByteSink();
    for (const item of element.items) {
      const body = new ByteSink();
      writeElements(body, item, enc);
      writeHeader(items, Tags.Item, '', body.length, enc);
      items.bytes(body.toBytes());
    }
    writeHeader(sink, tag, 'SQ', items.length, enc);
    sink.bytes(items.toBytes());
    return;
  }
  if (element.items) {
    writeHeader(sink, tag, 'SQ', UNDEFINED, enc);
    for (const item of element.items) {
      writeHeader(sink, Tags.Item, '', UNDEFINED, { ...enc, explicit: false });
      writeElements(sink, item, enc);
      writeHeader(sink, Tags.ItemDelimitation, '', 0, { ...enc, explicit: false });
    }
    writeHeader(sink, Tags.SequenceDelimitation, '', 0, { ...enc, explicit: false });
    return;
  }
  if (element.encapsulated) {
    const item = { ...enc, explicit: false };
    writeHeader(sink, tag, 'OB', UNDEFINED, enc);
    for (const fragment of [element.encapsulated.offsetTable, ...element.encapsulated.fragments]) {
      writeHeader(sink, Tags.Item, '', fragment.length, item);
      sink.bytes(fragment);
    }
    writeHeader(sink, Tags.SequenceDelimitation, '', 0, item);
    return;
  }
  const value = padded(element);
  // A value too long for a 16-bit length can only be written as UN (PS3.5 6.2.2).
  const vr = enc.explicit && !hasLongLength(element.vr) && value.length > 0xffff ? 'UN' : element.vr;
  writeHeader(sink, tag, vr, value.length, enc);
  sink.bytes(value);
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
