// The CLI bundle carries dcmjs's data dictionary as data built at bundle time
// (main/cli/bundlePlugins.mjs) instead of dcmjs's code: every answer must be
// dcmjs's own — standard tags, repeating groups, private creators' tags, keywords.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import dcmjs from 'dcmjs';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM build script without types
import { dictionaryModuleSource } from '../../../main/cli/bundlePlugins.mjs';

type Dictionary = typeof dcmjs.data.DicomMetaDictionary;
const work = mkdtempSync(path.join(tmpdir(), 'veil-bundle-dictionary-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function generated(): Promise<Dictionary> {
  const file = path.join(work, 'dictionary.mjs');
  writeFileSync(file, (dictionaryModuleSource as () => string)());
  return ((await import(pathToFileURL(file).href)) as { default: typeof dcmjs }).default.data.DicomMetaDictionary;
}

const same = (a: { name: string; vr: string; vm: string } | undefined) => (a ? { name: a.name, vr: a.vr, vm: a.vm } : undefined);

describe('the bundled data dictionary', () => {
  it('answers like dcmjs for every standard tag, repeating groups and private tags', async () => {
    const ours = await generated();
    const theirs = dcmjs.data.DicomMetaDictionary;
    const standard = Object.values(theirs.nameMap);
    expect(standard.length).toBeGreaterThan(4000);
    for (const entry of standard) {
      expect(same(ours.dictionary[entry.tag])).toEqual(same(theirs.dictionary[entry.tag]));
      expect(same(ours.nameMap[entry.name])).toEqual(same(entry));
      expect(ours.nameMap[entry.name]?.tag).toBe(entry.tag);
    }
    // Overlays and curves in every group of their range, and tags no one defines.
    for (let group = 0x5000; group <= 0x60ff; group += 1) {
      for (const element of ['3000', '0010', '0005', '1234']) {
        const tag = `(${group.toString(16).toUpperCase().padStart(4, '0')},${element})`;
        expect(same(ours.dictionary[tag])).toEqual(same(theirs.dictionary[tag]));
      }
    }
    for (const tag of ['(0019,"GEMS_ACQU_01",0c)', '(0019,"GEMS_ACQU_01",0e)', '(0029,"SIEMENS CSA HEADER",10)', '(2001,"Philips Imaging DD 001",01)', '(0009,"NOBODY",10)', '(0043,"GEMS_PARM_01",39)']) {
      expect(same(ours.dictionary[tag])).toEqual(same(theirs.dictionary[tag]));
    }
    expect(ours.dictionary['(0019,"GEMS_ACQU_01",0e)']?.vr).toBe('US');
    expect(ours.nameMap.NoSuchKeyword).toBeUndefined();
  });
});

describe('the CLI bundle', () => {
  it('carries the private dictionary as data (dcmjs is not loaded for a private tag)', () => {
    expect((dictionaryModuleSource as () => string)()).toContain('TOSHIBA_MEC_CT_1.0');
  });
});
