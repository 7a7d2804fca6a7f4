// PS3.15 Table E.1-1 as data: THE rules table of the engine, loaded from the
// standard's own table (innolitics dicom-standard, MIT; see README.md), never
// typed in by hand. Rows with "XX" hex digits are repeating groups
// (e.g. (50XX,XXXX) curves, (60XX,3000) overlay data).
import table from './ps3.15-e1-1-confidentiality-profile.json';
import { optionInfo, type ProfileOption } from './profile';

/** Basic Profile actions (PS3.15 E.1.1): a single code or a choice resolved per element. */
export type BasicAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*';
export type OptionAction = 'K' | 'C';

export interface TableRule {
  /** "(0010,0010)" or a pattern such as "(60XX,3000)". */
  tag: string;
  name: string;
  basic: BasicAction;
  /** Actions of the options that override the Basic one for this attribute. */
  options: Partial<Record<ProfileOption, OptionAction>>;
}

interface Row {
  name: string;
  tag: string;
  basicProfile: string;
  [column: string]: string | undefined;
}

const basicActions = new Set<string>(['D', 'Z', 'X', 'K', 'C', 'U', 'X/Z', 'X/D', 'Z/D', 'X/Z/D', 'X/Z/U*']);

function ruleOf(row: Row): TableRule {
  if (!basicActions.has(row.basicProfile)) throw new Error(`PS3.15 table: unknown action "${row.basicProfile}" for ${row.tag}.`);
  const options: TableRule['options'] = {};
  for (const [option, info] of Object.entries(optionInfo)) {
    const value = info.column ? row[info.column] : undefined;
    if (value === 'K' || value === 'C') options[option as ProfileOption] = value;
  }
  return { tag: row.tag, name: row.name, basic: row.basicProfile as BasicAction, options };
}

const exact = new Map<string, TableRule>();
const repeating: { pattern: RegExp; rule: TableRule }[] = [];
let privateAttributes: TableRule | undefined;

for (const row of table as unknown as Row[]) {
  const match = /^\(([0-9A-FX]{4}),([0-9A-FX]{4})\)$/i.exec(row.tag);
  if (!match) {
    // The one non-tag row: "(GGGG,EEEE) WHERE GGGG IS ODD" — all private attributes (E.3.10).
    if (/GGGG IS ODD/i.test(row.tag)) privateAttributes = ruleOf(row);
    continue;
  }
  const key = (match[1] + match[2]).toUpperCase();
  if (key.includes('X')) repeating.push({ pattern: new RegExp(`^${key.replace(/X/g, '[0-9A-F]')}$`), rule: ruleOf(row) });
  else exact.set(key, ruleOf(row));
}

if (!privateAttributes) throw new Error('PS3.15 table: the private attributes row is missing.');

/** The row for private attributes (odd groups): X, or C under Retain Safe Private. */
export const privateRule: TableRule = privateAttributes;

/** The table's rule for a public tag ("GGGGEEEE"), exact rows before repeating groups. */
export function ruleFor(tag: string): TableRule | undefined {
  const rule = exact.get(tag);
  if (rule) return rule;
  // Most tags of a file are in no row: remembered, so the repeating groups' patterns are tried once per tag.
  let known = repeatingByTag.get(tag);
  if (known === undefined) {
    known = repeating.find(({ pattern }) => pattern.test(tag))?.rule ?? null;
    if (repeatingByTag.size < 100_000) repeatingByTag.set(tag, known);
  }
  return known ?? undefined;
}

const repeatingByTag = new Map<string, TableRule | null>();

/** Every rule, for reports and tests. */
export function allRules(): TableRule[] {
  return [...exact.values(), ...repeating.map((r) => r.rule), privateRule];
}
