// The engine's building blocks: SHA-256/HMAC against test vectors and Node's
// crypto, the PS3.15 table as loaded, profiles, date shifts, identifiers.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allRules,
  collectIdentifiers,
  dateSpellings,
  defaultProfile,
  hmacSha256,
  isSearchable,
  parseProfile,
  ruleFor,
  sha256,
  toHex,
} from '../../../shared/deid';
import { shiftDate, shiftDateTime } from '../../../shared/deid/dates';
import { encodeText, makeScrubber } from '../../../shared/deid/text';
import { fixtures } from '../../fixtures/paths';
import { readFixture } from './helpers';

describe('SHA-256 and HMAC-SHA-256', () => {
  it('match the FIPS 180-4 and RFC 4231 test vectors', () => {
    expect(toHex(sha256('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    // RFC 4231 test cases 1 and 2.
    expect(toHex(hmacSha256(new Uint8Array(20).fill(0x0b))('Hi There'))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(toHex(hmacSha256('Jefe')('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it("match Node's crypto on random messages and keys of every padding length", () => {
    for (let length = 0; length < 200; length += 7) {
      const message = new Uint8Array(randomBytes(length));
      const key = new Uint8Array(randomBytes(length % 130));
      expect(toHex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
      expect(toHex(hmacSha256(key)(message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
    }
  });
});

describe('PS3.15 Table E.1-1 as loaded', () => {
  it('holds all 621 rows with their Basic and option actions', () => {
    expect(allRules()).toHaveLength(621);
    expect(ruleFor('00100010')).toMatchObject({ basic: 'Z' });
    expect(ruleFor('00080020')?.options).toEqual({ retainLongitudinalFullDates: 'K', retainLongitudinalModifiedDates: 'C' });
    expect(ruleFor('00081030')?.options).toEqual({ cleanDescriptors: 'C' });
  });

  it('matches repeating groups: curves (50XX,XXXX) and overlays (60XX,3000)', () => {
    expect(ruleFor('50023000')?.name).toBe('Curve Data');
    expect(ruleFor('601E3000')?.name).toBe('Overlay Data');
    expect(ruleFor('60004000')?.name).toBe('Overlay Comments');
    expect(ruleFor('60000010')).toBeUndefined();
  });
});

describe('profiles', () => {
  const folder = join(__dirname, '../../../shared/deid/profiles');

  it('every example profile parses; default.json is the default profile', () => {
    for (const name of readdirSync(folder)) parseProfile(JSON.parse(readFileSync(join(folder, name), 'utf8')));
    const def = parseProfile(readFileSync(join(folder, 'default.json'), 'utf8'));
    expect(def).toEqual(defaultProfile);
  });

  it('are validated strictly with clear errors', () => {
    expect(() => parseProfile('{')).toThrow(/not valid JSON/);
    expect(() => parseProfile([])).toThrow(/JSON object/);
    expect(() => parseProfile({ name: 'x', options: ['cleanEverything'] })).toThrow(/Unknown profile option "cleanEverything"/);
    expect(() => parseProfile({ name: 'x', options: [], extra: 1 })).toThrow(/unknown key\(s\): extra/);
    expect(() => parseProfile({ name: '', options: [] })).toThrow(/name/);
    expect(() => parseProfile({ name: 'x', options: ['retainUIDs', 'retainUIDs'] })).toThrow(/twice/);
    expect(() => parseProfile({ name: 'x', options: ['retainLongitudinalFullDates', 'retainLongitudinalModifiedDates'] })).toThrow(
      /exclude each other/,
    );
    expect(() => parseProfile({ name: 'x', options: [], technicalText: 'blur' })).toThrow(/"keep" or "redact"/);
    expect(parseProfile({ name: 'x', options: ['cleanPixelData'], technicalText: 'redact' })).toEqual({
      name: 'x',
      options: ['cleanPixelData'],
      technicalText: 'redact',
    });
  });
});

describe('date shifts', () => {
  it('shift DA, ranges and DT by whole days, keeping time and UTC offset', () => {
    expect(shiftDate('20010413', -365)).toBe('20000413');
    expect(shiftDate('20000301', -1)).toBe('20000229');
    expect(shiftDate('20010101-20010131', -10)).toBe('20001222-20010121');
    expect(shiftDate('2001.04.13', 1)).toBe('20010414');
    expect(shiftDate('2001', 1)).toBeUndefined();
    expect(shiftDate('20010231', 1)).toBeUndefined();
    expect(shiftDateTime('20010413115754.123456-0500', -13)).toBe('20010331115754.123456-0500');
    expect(shiftDateTime('2001', -13)).toBeUndefined();
  });
});

describe('identifying values', () => {
  it('names in every PN component group (CT_small + the Japanese charset file)', () => {
    const ids = collectIdentifiers(readFixture(join(fixtures.pydicomCharsets, 'chrH31.dcm')));
    const names = ids.filter((v) => v.kind === 'name').map((v) => v.value);
    expect(names).toEqual(expect.arrayContaining(['Yamada', 'Tarou', '山田', '太郎', 'やまだ', 'たろう']));
  });

  it('IDs nested in OtherPatientIDsSequence, dates in usual spellings, original UIDs', () => {
    const ids = collectIdentifiers(readFixture(join(fixtures.pydicom, 'CT_small.dcm')));
    const values = ids.map((v) => v.value);
    expect(values).toEqual(expect.arrayContaining(['1CT1', 'ABCD1234', '1234ABCD', '20040119', '19.01.2004', '01/19/2004', 'JFK IMAGING CENTER']));
    expect(ids.find((v) => v.value === 'ABCD1234')?.source).toBe('(0010,1002)[0].(0010,0020)');
    expect(ids.filter((v) => v.kind === 'uid').map((v) => v.source)).toEqual(
      expect.arrayContaining(['(0002,0003)', '(0020,000D)', '(0020,000E)', '(0020,0052)']),
    );
    // Retain UIDs / Full Dates: those values are kept on purpose, so not searched for.
    const kept = collectIdentifiers(readFixture(join(fixtures.pydicom, 'CT_small.dcm')), {
      name: 'k',
      options: ['retainUIDs', 'retainLongitudinalFullDates'],
    });
    expect(kept.some((v) => v.kind === 'uid' || v.value === '20040119')).toBe(false);
  });

  it('skip tokens too short or common to search without false positives', () => {
    expect(isSearchable('Li')).toBe(false);
    expect(isSearchable('山田')).toBe(true);
    expect(isSearchable('1234')).toBe(false);
    expect(isSearchable('12345')).toBe(true);
    expect(isSearchable('ANONYMOUS')).toBe(false);
    expect(dateSpellings('19720314')).toEqual(expect.arrayContaining(['1972-03-14', '14.03.1972', '14/03/1972', '03/14/1972']));
  });

  it('Clean Descriptors scrubs identity and typed dates, keeps the technical words', () => {
    const scrub = makeScrubber([
      { kind: 'name', value: 'Smith', source: '' },
      { kind: 'id', value: 'PID-77', source: '' },
    ]);
    expect(scrub('T1 MPRAGE SMITH pid-77 3/14/1972 0.9mm')).toBe('T1 MPRAGE *** *** *** 0.9mm');
  });

  it('text is encoded in the character set or refused', () => {
    expect(encodeText('abc', 'LO', [])).toEqual(new TextEncoder().encode('abc '));
    expect(encodeText('Müller', 'LO', ['ISO_IR 100'])).toEqual(Uint8Array.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72]));
    expect(encodeText('Müller', 'LO', [])).toBeUndefined();
    expect(encodeText('山田', 'LO', ['ISO 2022 IR 6', 'ISO 2022 IR 87'])).toBeUndefined();
    expect(encodeText('山田', 'LO', ['ISO_IR 192'])).toEqual(new TextEncoder().encode('山田'));
  });
});
