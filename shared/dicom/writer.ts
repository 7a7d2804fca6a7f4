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

/** Values at least this long are referenced, not copied, until the end (pixel data). */
const REFERENCE_BYTES = 1024;

/**
 * Collects bytes: element headers and short values go into one growing buffer (a
 * header is 8–12 bytes: an array each cost more than the copy), long values are
 * referenced until the end.
 */
class ByteSink {
  private chunks: Uint8Array[] = [];
  private small = new Uint8Array(512);
  private view = new DataView(this.small.buffer);
  private used = 0;
  length = 0;

  private room(n: number): void {
    if (this.used + n <= this.small.length) return;
    const grown = new Uint8Array(Math.max(this.small.length * 2, this.used + n));
    grown.set(this.small.subarray(0, this.used));
    this.small = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Ends the current run of small bytes as a chunk (before a referenced value). */
  private cut(): void {
    if (this.used === 0) return;
    this.chunks.push(this.small.subarray(0, this.used));
    this.small = this.small.subarray(this.used);
    this.view = new DataView(this.small.buffer, this.small.byteOffset, this.small.byteLength);
    this.used = 0;
  }

  bytes(value: Uint8Array): void {
    if (value.length === 0) return;
    if (value.length >= REFERENCE_BYTES) {
      this.cut();
      this.chunks.push(value);
    } else {
      this.room(value.length);
      this.small.set(value, this.used);
      this.used += value.length;
    }
    this.length += value.length;
  }

  u16(value: number, littleEndian: boolean): void {
    this.room(2);
    this.view.setUint16(this.used, value, littleEndian);
    this.used += 2;
    this.length += 2;
  }

  u32(value: number, littleEndian: boolean): void {
    this.room(4);
    this.view.setUint32(this.used, value, littleEndian);
    this.used += 4;
    this.length += 4;
  }

  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.small[this.used + i] = text.charCodeAt(i);
    this.used += text.length;
    this.length += text.length;
  }

  /** Moves another sink's bytes over (long values are not copied). */
  append(other: ByteSink): void {
    for (const chunk of other.parts()) this.bytes(chunk);
  }

  /** The bytes as a list of pieces, in order (no copy). */
  parts(): Uint8Array[] {
    this.cut();
    return this.chunks;
  }

  /** One array of its own (never a referenced value, which the caller might change later). */
  toBytes(): Uint8Array {
    const parts = this.parts();
    if (parts.length === 1 && parts[0].buffer === this.small.buffer) return parts[0];
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of parts) {
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

function datasetSink(dataset: Dataset, transferSyntaxUID: string): ByteSink {
  const sink = new ByteSink();
  const enc: Encoding = {
    explicit: transferSyntaxUID !== TransferSyntax.ImplicitVRLittleEndian,
    littleEndian: transferSyntaxUID !== TransferSyntax.ExplicitVRBigEndian,
  };
  writeElements(sink, dataset, enc);
  return sink;
}

/** Encodes a dataset alone (no preamble, no meta) in the given transfer syntax. */
export function encodeDataset(dataset: Dataset, transferSyntaxUID: string): Uint8Array {
  const bytes = datasetSink(dataset, transferSyntaxUID).toBytes();
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

/**
 * A Part 10 file as pieces in order: long values (pixel data) are the dataset's own
 * arrays, not copies, so a caller can write them with one writev.
 */
export function writeDicomParts(file: DicomFile): Uint8Array[] {
  const sink = new ByteSink();
  sink.bytes(file.preamble && file.preamble.length === 128 ? file.preamble : new Uint8Array(128));
  sink.ascii('DICM');
  sink.bytes(encodeMeta(file.meta, file.transferSyntaxUID));
  if (file.transferSyntaxUID === TransferSyntax.DeflatedExplicitVRLittleEndian) sink.bytes(encodeDataset(file.dataset, file.transferSyntaxUID));
  else sink.append(datasetSink(file.dataset, file.transferSyntaxUID));
  return sink.parts();
}

/** A Part 10 file: preamble, "DICM", meta group, dataset in `file.transferSyntaxUID`. */
export function writeDicom(file: DicomFile): Uint8Array {
  const parts = writeDicomParts(file);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
