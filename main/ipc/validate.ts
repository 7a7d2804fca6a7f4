// Input checks for every IPC request. The renderer is treated as untrusted:
// anything not exactly the expected shape is rejected with an Error.
import path from 'node:path';
import type { FileId } from '../../shared/api/contract';
import { parseProfile, type DeidProfile } from '../../shared/deid';
import { parseRedactionPlan, type RedactionPlan } from '../../shared/redact';
import { isInside } from '../app/containment';
import { isWellFormedFileId } from '../files/registry';
import { InvalidRequestError } from './invalidRequest';

/**
 * Paths per drop. Selecting every image of a CD folder and dropping them is
 * real (thousands); beyond this the folder itself is the better thing to drop.
 */
export const MAX_DROPPED_PATHS = 20_000;
/** Longer than any real path (PATH_MAX is 4096 on Linux). */
export const MAX_PATH_LENGTH = 4_096;
export const MAX_SOURCE_LENGTH = 8_192;

export { InvalidRequestError };

export function expectNoArguments(channel: string, args: readonly unknown[]): void {
  if (args.length !== 0) throw new InvalidRequestError(`${channel} takes no arguments`);
}

export function expectArgumentCount(channel: string, args: readonly unknown[], count: number): void {
  if (args.length !== count) throw new InvalidRequestError(`${channel} takes ${count} argument${count === 1 ? '' : 's'}`);
}

export function parseFileId(value: unknown): FileId {
  if (!isWellFormedFileId(value)) throw new InvalidRequestError('readFile expects a file id it was given');
  return value;
}

export function parseSource(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SOURCE_LENGTH) {
    throw new InvalidRequestError('openRecent expects a source from recentStudies()');
  }
  return value;
}

/** `{ kind: 'paths', paths }` exactly, as the preload sends it. */
export function parseDroppedPaths(value: unknown): string[] {
  if (!isPlainRecord(value)) throw new InvalidRequestError('openDropped expects { kind, paths }');
  const keys = Reflect.ownKeys(value);
  if (keys.length !== 2 || !keys.includes('kind') || !keys.includes('paths')) {
    throw new InvalidRequestError('openDropped expects exactly { kind, paths }');
  }
  if (value.kind !== 'paths') throw new InvalidRequestError("openDropped expects kind 'paths' (the preload converts dropped files)");
  const paths = value.paths;
  if (!Array.isArray(paths) || paths.length === 0) throw new InvalidRequestError('openDropped expects at least one path');
  if (paths.length > MAX_DROPPED_PATHS) {
    throw new InvalidRequestError(`openDropped takes at most ${MAX_DROPPED_PATHS} paths; drop the folder instead`);
  }
  // Array.from visits holes (map skips them): a sparse array from the renderer must fail too.
  return Array.from(paths, (p: unknown) => parseAbsolutePath(p));
}

function parseAbsolutePath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH) {
    throw new InvalidRequestError('openDropped expects path strings');
  }
  if (value.includes('\0')) throw new InvalidRequestError('openDropped refuses a path with a NUL byte');
  if (!path.isAbsolute(value)) throw new InvalidRequestError('openDropped expects absolute paths');
  return value;
}

/** An object literal (or null-prototype object): no class instances, arrays or proxies of prototypes. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** More files than any study a person exports at once; bigger sets go through `veil deid`. */
export const MAX_EXPORT_FILES = 100_000;
/** A profile is a name, a description and a few option names. */
export const MAX_PROFILE_LENGTH = 64 * 1024;
/** A plan of ~100k boxes: cine loops with a box per frame, many studies. */
export const MAX_PLAN_LENGTH = 32 * 1024 * 1024;

/** A non-empty array of well-formed file ids (whether they are known is the registry's business). */
export function parseFileIds(channel: string, value: unknown): FileId[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidRequestError(`${channel} expects a list of file ids`);
  if (value.length > MAX_EXPORT_FILES) throw new InvalidRequestError(`${channel} takes at most ${MAX_EXPORT_FILES} files`);
  const ids: FileId[] = [];
  for (let i = 0; i < value.length; i++) {
    // Index access, not iteration: a sparse array's holes must fail too.
    if (!(i in value) || !isWellFormedFileId(value[i])) throw new InvalidRequestError(`${channel} expects file ids it was given`);
    ids.push(value[i]);
  }
  return ids;
}

/** scanStudy's optional second argument: `{ pixels?: boolean }` exactly. */
export function parseScanOptions(value: unknown): { pixels: boolean } {
  if (value === undefined) return { pixels: false };
  if (!isPlainRecord(value)) throw new InvalidRequestError('scanStudy expects options as { pixels? }');
  for (const key of Reflect.ownKeys(value)) {
    if (key !== 'pixels') throw new InvalidRequestError(`scanStudy has no option ${String(key)}`);
  }
  if (value.pixels !== undefined && typeof value.pixels !== 'boolean') throw new InvalidRequestError('scanStudy expects pixels: true or false');
  return { pixels: value.pixels === true };
}

/** An optional JSON-text field of a request, parsed by the engine's own strict parser. */
function jsonText<T>(value: unknown, maxLength: number, what: string, parse: (json: string) => T): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) throw new InvalidRequestError(`exportStudy expects the ${what} as JSON text`);
  try {
    return parse(value);
  } catch (error) {
    throw new InvalidRequestError(`The ${what} is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export interface ParsedExportRequest {
  fileIds: FileId[];
  target: string;
  profile?: DeidProfile;
  nifti: boolean;
  redactionPlan?: RedactionPlan;
  linkageFile?: string;
  defaceFill?: 'air' | 'noise' | 'blur';
  defaceEars?: boolean;
  /** Per Series Instance UID the marker positions to remove; without `accepted`: every one found. */
  skinMarkers?: { accepted?: Map<string, Array<[number, number, number]>>; painted?: Map<string, PaintedRegionRequest[]> };
}

/** A region painted on the skin: centre (LPS mm) and radius (mm). */
export interface PaintedRegionRequest {
  centre: [number, number, number];
  radiusMm: number;
}

/**
 * `{ fileIds, target, profile?, options? }` exactly. `target` must be a folder
 * the export dialog returned in this session (`isApprovedFolder`): the renderer
 * can never name a place to write.
 */
export function parseExportRequest(
  value: unknown,
  isApprovedFolder: (folder: string) => boolean,
  isApprovedLinkageFile: (file: string) => boolean = () => false,
): ParsedExportRequest {
  if (!isPlainRecord(value)) throw new InvalidRequestError('exportStudy expects { fileIds, target, profile?, options? }');
  const allowed = new Set(['fileIds', 'target', 'profile', 'options', 'redactionPlan', 'linkageFile', 'skinMarkers']);
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string' || !allowed.has(key)) throw new InvalidRequestError(`exportStudy does not take ${String(key)}`);
  }
  const fileIds = parseFileIds('exportStudy', value.fileIds);
  const target = value.target;
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_PATH_LENGTH || target.includes('\0') || !path.isAbsolute(target)) {
    throw new InvalidRequestError('exportStudy expects the folder chosen in the export dialog');
  }
  if (!isApprovedFolder(target)) throw new InvalidRequestError('exportStudy writes only into a folder chosen in the export dialog');
  const profile = jsonText(value.profile, MAX_PROFILE_LENGTH, 'profile', parseProfile);
  let nifti = false;
  let deface: Pick<ParsedExportRequest, 'defaceFill' | 'defaceEars'> = {};
  if (value.options !== undefined) {
    const options = value.options;
    if (!isPlainRecord(options)) throw new InvalidRequestError('exportStudy expects options as { nifti? }');
    for (const key of Reflect.ownKeys(options)) {
      if (key !== 'nifti' && key !== 'defaceFill' && key !== 'defaceEars') throw new InvalidRequestError(`exportStudy has no option ${String(key)}`);
    }
    deface = parseDefaceOptions(options);
    if (options.nifti !== undefined && typeof options.nifti !== 'boolean') throw new InvalidRequestError('exportStudy expects nifti: true or false');
    nifti = options.nifti === true;
  }
  const redactionPlan = jsonText(value.redactionPlan, MAX_PLAN_LENGTH, 'redaction plan', parseRedactionPlan);
  const linkageFile = parseLinkageFile(value.linkageFile, target, isApprovedLinkageFile);
  const skinMarkers = parseSkinMarkers(value.skinMarkers);
  return {
    fileIds,
    target,
    ...(profile ? { profile } : {}),
    nifti,
    ...(redactionPlan ? { redactionPlan } : {}),
    ...(linkageFile ? { linkageFile } : {}),
    ...deface,
    ...(skinMarkers ? { skinMarkers } : {}),
  };
}

/** `defaceFill: 'air' | 'noise' | 'blur'`, `defaceEars: boolean`, both optional. */
function parseDefaceOptions(options: Record<string | symbol, unknown>): Pick<ParsedExportRequest, 'defaceFill' | 'defaceEars'> {
  const fill = options.defaceFill;
  if (fill !== undefined && fill !== 'air' && fill !== 'noise' && fill !== 'blur') throw new InvalidRequestError('exportStudy expects defaceFill: air, noise or blur');
  if (options.defaceEars !== undefined && typeof options.defaceEars !== 'boolean') throw new InvalidRequestError('exportStudy expects defaceEars: true or false');
  return { ...(fill ? { defaceFill: fill } : {}), ...(options.defaceEars ? { defaceEars: true } : {}) };
}

const MAX_MARKER_SERIES = 1000;
const MAX_MARKERS_PER_SERIES = 1000;

/** `{ accepted?: [{ seriesInstanceUID, positions: [[x, y, z], …] }] }` exactly; finite numbers, bounded counts. */
function parseSkinMarkers(value: unknown): ParsedExportRequest['skinMarkers'] {
  if (value === undefined) return undefined;
  const shape = 'exportStudy expects skinMarkers as { accepted?: [{ seriesInstanceUID, positions: [[x, y, z]] }], painted? }';
  if (!isPlainRecord(value)) throw new InvalidRequestError(shape);
  for (const key of Reflect.ownKeys(value)) if (key !== 'accepted' && key !== 'painted') throw new InvalidRequestError(shape);
  const painted = parsePaintedRegions(value.painted);
  if (value.accepted === undefined) return painted ? { painted } : {};
  if (!Array.isArray(value.accepted) || value.accepted.length > MAX_MARKER_SERIES) throw new InvalidRequestError(shape);
  const accepted = new Map<string, Array<[number, number, number]>>();
  for (const entry of value.accepted as unknown[]) {
    if (!isPlainRecord(entry)) throw new InvalidRequestError(shape);
    for (const key of Reflect.ownKeys(entry)) if (key !== 'seriesInstanceUID' && key !== 'positions') throw new InvalidRequestError(shape);
    const uid = entry.seriesInstanceUID;
    const positions = entry.positions;
    if (typeof uid !== 'string' || uid.length > 64 || !Array.isArray(positions) || positions.length > MAX_MARKERS_PER_SERIES) throw new InvalidRequestError(shape);
    const list = accepted.get(uid) ?? [];
    for (const p of positions as unknown[]) {
      if (!Array.isArray(p) || p.length !== 3 || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new InvalidRequestError(shape);
      list.push([p[0], p[1], p[2]] as [number, number, number]);
    }
    accepted.set(uid, list);
  }
  return { accepted, ...(painted ? { painted } : {}) };
}

const MAX_PAINTED_PER_SERIES = 200;

/** `painted: [{ seriesInstanceUID, regions: [{ centre: [x, y, z], radiusMm }] }]`; finite numbers, radius 1–30 mm, bounded counts. */
function parsePaintedRegions(value: unknown): Map<string, PaintedRegionRequest[]> | undefined {
  if (value === undefined) return undefined;
  const shape = 'exportStudy expects skinMarkers.painted as [{ seriesInstanceUID, regions: [{ centre: [x, y, z], radiusMm (1–30) }] }]';
  if (!Array.isArray(value) || value.length > MAX_MARKER_SERIES) throw new InvalidRequestError(shape);
  const painted = new Map<string, PaintedRegionRequest[]>();
  for (const entry of value as unknown[]) {
    if (!isPlainRecord(entry)) throw new InvalidRequestError(shape);
    for (const key of Reflect.ownKeys(entry)) if (key !== 'seriesInstanceUID' && key !== 'regions') throw new InvalidRequestError(shape);
    const { seriesInstanceUID: uid, regions } = entry;
    if (typeof uid !== 'string' || uid.length > 64 || !Array.isArray(regions)) throw new InvalidRequestError(shape);
    const list = painted.get(uid) ?? [];
    if (list.length + regions.length > MAX_PAINTED_PER_SERIES) throw new InvalidRequestError(shape);
    for (const region of regions as unknown[]) {
      if (!isPlainRecord(region)) throw new InvalidRequestError(shape);
      for (const key of Reflect.ownKeys(region)) if (key !== 'centre' && key !== 'radiusMm') throw new InvalidRequestError(shape);
      const { centre, radiusMm } = region;
      if (!Array.isArray(centre) || centre.length !== 3 || !centre.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new InvalidRequestError(shape);
      if (typeof radiusMm !== 'number' || !Number.isFinite(radiusMm) || radiusMm < 1 || radiusMm > 30) throw new InvalidRequestError(shape);
      list.push({ centre: [centre[0], centre[1], centre[2]] as [number, number, number], radiusMm });
    }
    painted.set(uid, list);
  }
  return painted;
}

/** The linkage CSV: only a file the linkage dialog returned this session, and never inside the export. */
function parseLinkageFile(value: unknown, target: string, isApproved: (file: string) => boolean): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH || value.includes('\0') || !path.isAbsolute(value)) {
    throw new InvalidRequestError('exportStudy expects the linkage file chosen in the linkage dialog');
  }
  if (!isApproved(value)) throw new InvalidRequestError('exportStudy writes a linkage file only where the linkage dialog said');
  if (path.resolve(value) === path.resolve(target) || isInside(path.resolve(target), path.resolve(value))) {
    throw new InvalidRequestError('The linkage file must be outside the export folder: it links the copies back to the patients');
  }
  return value;
}

/** saveProfileFile's argument: a profile as JSON text that `parseProfile` accepts. */
export function parseProfileText(args: readonly unknown[]): string {
  expectArgumentCount('saveProfileFile', args, 1);
  const text = args[0];
  if (typeof text !== 'string' || text.length > MAX_PROFILE_LENGTH) throw new InvalidRequestError('saveProfileFile expects the profile as JSON text');
  try {
    parseProfile(text);
  } catch (error) {
    throw new InvalidRequestError(`The profile is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
  return text;
}

/** previewDeid's arguments: a file id and an optional profile as JSON text (parsed strictly). */
export function parsePreviewRequest(args: readonly unknown[]): { fileId: FileId; profile?: DeidProfile } {
  if (args.length !== 1 && args.length !== 2) throw new InvalidRequestError('previewDeid takes a file id and an optional profile');
  if (!isWellFormedFileId(args[0])) throw new InvalidRequestError('previewDeid expects a file id it was given');
  if (args[1] === undefined) return { fileId: args[0] };
  if (typeof args[1] !== 'string' || args[1].length > MAX_PROFILE_LENGTH) throw new InvalidRequestError('previewDeid expects the profile as JSON text');
  try {
    return { fileId: args[0], profile: parseProfile(args[1]) };
  } catch (error) {
    throw new InvalidRequestError(`The profile is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** defacePreview's optional second argument: `{ fill?: 'air' | 'noise' | 'blur', ears?: boolean }` exactly. */
export function parseDefacePreviewOptions(value: unknown): { fill?: 'air' | 'noise' | 'blur'; ears?: boolean } {
  if (value === undefined) return {};
  if (!isPlainRecord(value)) throw new InvalidRequestError('defacePreview expects options as { fill?, ears? }');
  for (const key of Reflect.ownKeys(value)) if (key !== 'fill' && key !== 'ears') throw new InvalidRequestError(`defacePreview has no option ${String(key)}`);
  const { fill, ears } = value;
  if (fill !== undefined && fill !== 'air' && fill !== 'noise' && fill !== 'blur') throw new InvalidRequestError('defacePreview expects fill: air, noise or blur');
  if (ears !== undefined && typeof ears !== 'boolean') throw new InvalidRequestError('defacePreview expects ears: true or false');
  return { ...(fill ? { fill } : {}), ...(ears ? { ears } : {}) };
}
