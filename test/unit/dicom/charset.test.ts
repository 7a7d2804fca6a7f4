// Specific Character Set decoding against pydicom's charset_files (expected
// names from its FileInfo.txt / test suite) and dcmdump +U8 where dcmtk's iconv can.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDicom, Tags } from '../../../shared/dicom';
import { fixtures } from '../../fixtures/paths';
import { bytesOf, dcmdump } from './corpus';

const expectedNames: Record<string, string> = {
  'chrArab.dcm': 'قباني^لنزار',
  'chrFren.dcm': 'Buc^Jérôme',
  'chrGerm.dcm': 'Äneas^Rüdiger',
  'chrGreek.dcm': 'Διονυσιος',
  'chrH31.dcm': 'Yamada^Tarou=山田^太郎=やまだ^たろう',
  'chrH32.dcm': 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう',
  'chrHbrw.dcm': 'שרון^דבורה',
  'chrI2.dcm': 'Hong^Gildong=洪^吉洞=홍^길동',
  'chrRuss.dcm': 'Люкceмбypг',
  'chrX1.dcm': 'Wang^XiaoDong=王^小東=',
  'chrX2.dcm': 'Wang^XiaoDong=王^小东=',
};

const read = (name: string) => readDicom(bytesOf(join(fixtures.pydicomCharsets, name))).dataset;

describe('character sets', () => {
  for (const [name, patientName] of Object.entries(expectedNames)) {
    it(`${name}: PatientName decodes to ${patientName}`, () => {
      expect(read(name).string(Tags.PatientName)).toBe(patientName);
    });
  }

  it('agrees with dcmdump +U8 for the single-byte and GB18030 files', () => {
    for (const name of ['chrArab.dcm', 'chrFren.dcm', 'chrGerm.dcm', 'chrGreek.dcm', 'chrHbrw.dcm', 'chrRuss.dcm', 'chrX1.dcm', 'chrX2.dcm']) {
      const dump = dcmdump(join(fixtures.pydicomCharsets, name))!;
      expect(read(name).string(Tags.PatientName), name).toBe(dump.get(Tags.PatientName)!.value);
    }
  });

  it('splits multi-valued PN and LO of chrFrenMulti', () => {
    const ds = read('chrFrenMulti.dcm');
    expect(ds.strings('00101001')).toEqual(['Buc^Jérôme', 'Buc^Jérôme']); // OtherPatientNames
    expect(ds.strings('00101000')).toEqual(['eggs', 'spam']); // OtherPatientIDs
  });

  it('decodes Japanese and Korean multi-valued text with code extensions', () => {
    expect(read('chrJapMulti.dcm').string(Tags.PatientName)).toBe('やまだ^たろう');
    expect(read('chrJapMultiExplicitIR6.dcm').string(Tags.PatientName)).toBe('やまだ^たろう');
    expect(read('chrKoreanMulti.dcm').string(Tags.PatientName)).toBe('김희중');
  });

  it('uses the charset of a sequence item, or inherits the dataset charset (chrSQEncoding*)', () => {
    for (const name of ['chrSQEncoding.dcm', 'chrSQEncoding1.dcm']) {
      const ds = read(name);
      const sequence = [...ds].find((e) => e.items)!;
      expect(sequence.items![0].string(Tags.PatientName), name).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう');
    }
  });
});
