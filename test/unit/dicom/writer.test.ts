// Round trip: read → write (file's own transfer syntax) → read gives the same
// element values and pixel bytes; dcmdump sees the same elements.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDataset, createFile, readDicom, setValue, uidFromName, writeDicom, type Dataset } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf, corpusFiles } from './corpus';

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Differences between two datasets, element by element (values compared as raw bytes). */
function differences(a: Dataset, b: Dataset, path = ''): string[] {
  const out: string[] = [];
  if (a.size !== b.size) out.push(`${path}size ${a.size} ≠ ${b.size}`);
  for (const e of a) {
    const f = b.get(e.tag);
    if (!f) out.push(`${path}${e.tag} missing`);
    else if (e.items) {
      if (f.items?.length !== e.items.length) out.push(`${path}${e.tag} items`);
      else e.items.forEach((item, i) => out.push(...differences(item, f.items![i], `${path}${e.tag}/${i}/`)));
    } else if (e.encapsulated) {
      const x = e.encapsulated;
      const y = f.encapsulated;
      if (!y || !same(x.offsetTable, y.offsetTable) || x.fragments.length !== y.fragments.length || !x.fragments.every((g, i) => same(g, y.fragments[i]))) {
        out.push(`${path}${e.tag} fragments`);
      }
    } else if (!same(e.bytes, f.bytes.subarray(0, e.bytes.length)) || f.bytes.length - e.bytes.length > 1) {
      out.push(`${path}${e.tag} value`);
    }
  }
  return out;
}

const readable = corpusFiles().filter((f) => {
  if (!f.isDicomByName) return false;
  try {
    readDicom(bytesOf(f.path));
    return true;
  } catch {
    return false;
  }
});

describe('creating a dataset from scratch', () => {
  it('encodes strings, numbers, bytes and sequences that read back and satisfy dcmdump', () => {
    const item = createDataset();
    setValue(item, 'PatientID', 'OTHER-1');
    const ds = createDataset();
    setValue(ds, 'SOPClassUID', '1.2.840.10008.5.1.4.1.1.7');
    setValue(ds, 'SOPInstanceUID', uidFromName('veil-test/instance'));
    setValue(ds, 'PatientName', 'DOE^JANE');
    setValue(ds, 'PixelSpacing', [0.9570312, 0.5]);
    setValue(ds, 'Rows', 2);
    setValue(ds, 'OtherPatientIDsSequence', [item]);
    setValue(ds, 'PixelData', new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0]), 'OW');
    const file = createFile(ds, { sopClassUID: '1.2.840.10008.5.1.4.1.1.7', sopInstanceUID: ds.string('00080018') });
    const back = readDicom(writeDicom(file)).dataset;
    expect(back.string('00100010')).toBe('DOE^JANE');
    expect(back.numbers('00280030')).toEqual([0.9570312, 0.5]);
    expect(back.number('00280010')).toBe(2);
    expect(back.items('00101002')[0].string('00100020')).toBe('OTHER-1');
    expect(back.numbers('7FE00010')).toEqual([1, 2, 3, 4]);
    expect(uidFromName('veil-test/instance')).toBe(uidFromName('veil-test/instance'));
    expect(uidFromName('veil-test/instance')).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    const path = join(mkdtempSync(join(tmpdir(), 'veil-new-')), 'new.dcm');
    writeFileSync(path, writeDicom(file));
    const dump = execFileSync('dcmdump', [path], { encoding: 'utf8' });
    expect(dump).toContain('(0010,0010) PN [DOE^JANE]');
    expect(dump).toContain('(0028,0030) DS [0.9570312\\0.5]');
  });
});

describe('round trip through the writer', () => {
  for (const file of readable) {
    it(`${file.name} keeps every value and pixel byte`, () => {
      const original = readDicom(bytesOf(file.path));
      const again = readDicom(writeDicom(original));
      expect(again.transferSyntaxUID).toBe(original.transferSyntaxUID);
      expect(differences(original.dataset, again.dataset)).toEqual([]);
    });
  }

  it('dcmdump sees identical elements before and after (sequence length encoding aside)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'veil-rt-'));
    for (const name of ['CT_small.dcm', 'MR_small_bigendian.dcm', 'image_dfl.dcm', 'JPEG2000.dcm', 'rtplan.dcm', 'MR_small_RLE.dcm']) {
      const source = join(fixtures.pydicom, name);
      const target = join(dir, name);
      writeFileSync(target, writeDicom(readDicom(bytesOf(source))));
      const dump = (path: string) =>
        execFileSync('dcmdump', ['-q', '+W', dir, path], { encoding: 'utf8', maxBuffer: 64 << 20 })
          .split('\n')
          .filter((l) => !/^#|\(fffe,e0|\(0002,0000\)|Sequence with|Item with|PixelSequence/.test(l.trim()))
          .map((l) => l.replace(/#\s*[\d,u/l ]+\S*$/, ''));
      expect(dump(target), name).toEqual(dump(source));
    }
  });

  it('writes an unchanged file back byte for byte (lengths, VRs, odd values and offsets kept)', () => {
    const names = [
      'CT_small.dcm', 'MR_small_bigendian.dcm', 'MR_small_implicit.dcm', 'JPEG2000.dcm', 'MR_small_RLE.dcm',
      'UN_sequence.dcm', 'rtdose_rle.dcm', 'nested_priv_SQ.dcm', 'priv_SQ.dcm', 'badVR.dcm',
      'dicomdirtests/DICOMDIR', 'dicomdirtests/DICOMDIR-bigEnd', 'dicomdirtests/DICOMDIR-implicit', 'dicomdirtests/DICOMDIR-reordered',
    ];
    for (const name of names) {
      const original = bytesOf(join(fixtures.pydicom, name));
      expect(same(writeDicom(readDicom(original)), original), name).toBe(true);
    }
    for (const name of ['chrSQEncoding.dcm', 'chrH32.dcm', 'chrI2.dcm']) {
      const original = bytesOf(join(fixtures.pydicomCharsets, name));
      expect(same(writeDicom(readDicom(original)), original), name).toBe(true);
    }
  });

  it('writes deflated files deflated and big endian files big endian', () => {
    const deflated = writeDicom(readDicom(bytesOf(join(fixtures.pydicom, 'image_dfl.dcm'))));
    expect(readDicom(deflated).transferSyntaxUID).toBe('1.2.840.10008.1.2.1.99');
    const bigEndian = writeDicom(readDicom(bytesOf(join(fixtures.pydicom, 'MR_small_bigendian.dcm'))));
    const path = join(mkdtempSync(join(tmpdir(), 'veil-be-')), 'be.dcm');
    writeFileSync(path, bigEndian);
    expect(execFileSync('dcmdump', ['-M', path], { encoding: 'utf8' })).toContain('Used TransferSyntax: Big Endian Explicit');
  });
});

describe('uidFromName', () => {
  // FNV-1a over the name's UTF-8 bytes with 128-bit BigInts, straight from its definition.
  const reference = (name: string): string => {
    let hash = 0x6c62272e07bb014262b821756295c58dn;
    for (const byte of new TextEncoder().encode(name)) hash = ((hash ^ BigInt(byte)) * 0x0000000001000000000000000000013bn) & ((1n << 128n) - 1n);
    return `2.25.${hash}`;
  };

  it('is the 128-bit FNV-1a hash of the name, for short, long and non-ASCII names', () => {
    const names = ['', 'a', 'veil-test/instance', 'Ünïcødé ☃ 名前', `veil-dicomdir:${Array.from({ length: 300 }, (_, i) => `1.2.826.0.1.3680043.8.498.${i}`).join('|')}`];
    for (let i = 0; i < 200; i++) names.push(Array.from({ length: i }, (_, j) => String.fromCharCode((i * 7919 + j * 104729) % (j % 5 === 0 ? 0x3000 : 256))).join(''));
    for (const name of names) expect(uidFromName(name)).toBe(reference(name));
    expect(uidFromName('')).toBe('2.25.144066263297769815596495629667062367629');
  });
});
