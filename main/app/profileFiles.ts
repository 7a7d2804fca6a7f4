// Profiles as files, shared with `veil deid --profile`: what the app saves is
// exactly what the CLI reads (parseProfile's JSON: name, description,
// options, technicalText), and what it loads must pass the same check.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseProfile } from '../../shared/deid';
import { InvalidRequestError } from '../ipc/invalidRequest';

/** A profile is a few dozen words; anything bigger is not one. */
const MAX_PROFILE_FILE_BYTES = 64 * 1024;

/** The profile's JSON as saved: the checked fields only, options in the standard's order, one per line. */
export function profileFileText(text: string): string {
  const profile = parseProfile(text);
  const description = (JSON.parse(text) as { description?: unknown }).description;
  const saved = {
    name: profile.name,
    ...(typeof description === 'string' && description !== '' ? { description } : {}),
    options: profile.options,
    ...(profile.technicalText ? { technicalText: profile.technicalText } : {}),
  };
  return `${JSON.stringify(saved, null, 2)}\n`;
}

/** Writes a checked profile to `file` (whole: temporary name, then rename). */
export async function writeProfileFile(file: string, text: string): Promise<void> {
  const content = profileFileText(text);
  const temp = `${file}.${process.pid}.part`;
  await fs.writeFile(temp, content, { mode: 0o644 });
  await fs.rename(temp, file);
}

/** A profile file's text, once parseProfile accepts it; a refusal names the reason. */
export async function readProfileFile(file: string): Promise<{ fileName: string; text: string }> {
  const fileName = path.basename(file);
  const stat = await fs.stat(file);
  if (!stat.isFile() || stat.size > MAX_PROFILE_FILE_BYTES) throw new InvalidRequestError(`${fileName} is not a Veil profile (too big or not a file)`);
  const text = await fs.readFile(file, 'utf8');
  try {
    parseProfile(text);
  } catch (error) {
    throw new InvalidRequestError(`${fileName} is not a Veil profile: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { fileName, text };
}
