// esbuild plugins for the CLI bundle's start-up (each `veil` process and each
// `--jobs` worker loads the bundle): npm packages with no files of their own to
// find are bundled (no module resolution or format detection at run time);
// dcmjs, of which Veil reads only the data dictionary (1.3 MB of code to
// compile), becomes that dictionary's standard part as data, built here, with
// dcmjs itself required only for a private tag; tesseract.js is required on
// first use (only pixel options need OCR).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** What the generated modules are made from: a rebuild follows their updates. */
export const generatedFrom = ['node_modules/dcmjs/package.json', 'node_modules/tesseract.js/package.json'];

/** Packages that find their own files at run time (worker scripts, WASM): left to Node. */
const runtimePackages = new Set(['tesseract.js', 'esbuild']);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const hex4 = (n) => n.toString(16).toUpperCase().padStart(4, '0');

/** dcmjs's standard dictionary as {GGGGEEEE: [name, vr, vm]} and its repeating-group ranges. */
function standardDictionary() {
  const { dictionary, nameMap } = require('dcmjs').data.DicomMetaDictionary;
  const entries = {};
  const ranges = [];
  for (const entry of Object.values(nameMap)) {
    const group = parseInt(entry.tag.slice(1, 5), 16);
    const element = entry.tag.slice(6, 10);
    entries[hex4(group) + element] = [entry.name, entry.vr, entry.vm];
    // Repeating groups (50xx, 60xx…): dcmjs answers for every group of the range.
    if (dictionary[`(${hex4(group + 1)},${element})`]?.name !== entry.name) continue;
    let max = group + 1;
    while (max < 0xffff && dictionary[`(${hex4(max + 1)},${element})`]?.name === entry.name) max++;
    ranges.push([group, max, parseInt(element, 16), entry.name, entry.vr, entry.vm]);
  }
  return { entries, ranges };
}

/**
 * dcmjs's private dictionary ({'(GGGG,"creator",xx)': [name, vr, vm]}), from its packed
 * tables (not exported); undefined when their shape changed (then dcmjs answers at run time).
 */
function privateDictionary() {
  try {
    const source = readFileSync(path.join(path.dirname(require.resolve('dcmjs')), 'dcmjs.es.js'), 'utf8');
    const start = source.indexOf('var vrTable = [');
    const end = source.indexOf('var privateData');
    if (start < 0 || end < start) return undefined;
    const packed = new Function(`${source.slice(start, end)}; return { keyBlob, initPackedPrivate, lookupPrivateTag };`)();
    const { keyOff, keyLen } = packed.initPackedPrivate();
    const entries = {};
    for (let i = 0; i < keyOff.length; i++) {
      const key = packed.keyBlob.slice(keyOff[i], keyOff[i] + keyLen[i]);
      const e = packed.lookupPrivateTag(key);
      if (e) entries[key] = [e.name, e.vr, e.vm];
    }
    return entries;
  } catch {
    return undefined;
  }
}

export const dictionaryModuleSource = () => {
  const { entries, ranges } = standardDictionary();
  const privates = privateDictionary();
  return `import { createRequire } from 'node:module';
const packedText = ${JSON.stringify(JSON.stringify(entries))};
const privateText = ${JSON.stringify(privates ? JSON.stringify(privates) : '')};
const ranges = ${JSON.stringify(ranges)};
let packed;
let privates;
let names;
let dcmjs;
const full = () => (dcmjs ??= createRequire(import.meta.url)('dcmjs').data.DicomMetaDictionary);
const entry = (tag, e) => (e ? { tag, name: e[0], vr: e[1], vm: e[2], version: 'DICOM' } : undefined);
function standard(hex) {
  packed ??= JSON.parse(packedText);
  const found = packed[hex];
  if (found) return found;
  const group = parseInt(hex.slice(0, 4), 16);
  const element = parseInt(hex.slice(4), 16);
  const range = ranges.find((r) => group >= r[0] && group <= r[1] && element === r[2]);
  return range && range.slice(3);
}
const dictionary = new Proxy({}, {
  get(_, key) {
    if (typeof key !== 'string') return undefined;
    if (key.length === 11 && key[0] === '(' && key[5] === ',') return entry(key, standard(key.slice(1, 5) + key.slice(6, 10)));
    if (!privateText) return full().dictionary[key];
    privates ??= JSON.parse(privateText);
    return Object.hasOwn(privates, key) ? entry(key, privates[key]) : undefined;
  },
});
const nameMap = new Proxy({}, {
  get(_, key) {
    if (typeof key !== 'string') return undefined;
    if (!names) {
      packed ??= JSON.parse(packedText);
      names = new Map();
      for (const [hex, e] of Object.entries(packed)) names.set(e[0], entry('(' + hex.slice(0, 4) + ',' + hex.slice(4) + ')', e));
    }
    return names.get(key);
  },
});
export default { data: { DicomMetaDictionary: { dictionary, nameMap } } };
`;
};

const tesseractShim = `import { createRequire } from 'node:module';
let loaded;
const tesseract = () => (loaded ??= createRequire(import.meta.url)('tesseract.js'));
export const createWorker = (...args) => tesseract().createWorker(...args);
export const createScheduler = (...args) => tesseract().createScheduler(...args);
const constants = (name) => new Proxy({}, { get: (_, key) => tesseract()[name][key] });
export const OEM = constants('OEM');
export const PSM = constants('PSM');
`;

/** The plugins for an ESM bundle run by Node from inside the checkout (dist/cli/<build>/). */
export function cliStartupPlugins() {
  return [
    {
      name: 'veil-startup',
      setup(build) {
        build.onResolve({ filter: /^dcmjs$/ }, () => ({ path: 'dcmjs', namespace: 'veil-dictionary' }));
        build.onLoad({ filter: /.*/, namespace: 'veil-dictionary' }, () => ({ contents: dictionaryModuleSource(), loader: 'js' }));
        build.onResolve({ filter: /^tesseract\.js$/ }, (args) =>
          args.namespace === 'veil-lazy' ? { path: 'tesseract.js', external: true } : { path: 'tesseract.js', namespace: 'veil-lazy' },
        );
        build.onLoad({ filter: /.*/, namespace: 'veil-lazy' }, () => ({ contents: tesseractShim, loader: 'js' }));
        build.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.path.startsWith('node:')) return { path: args.path, external: true };
          return runtimePackages.has(packageName(args.path)) ? { path: args.path, external: true } : undefined;
        });
      },
    },
  ];
}
