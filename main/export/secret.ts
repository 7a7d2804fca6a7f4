// The secret behind UID replacement and pseudonyms (PS3.15 E.3.9): the same
// secret gives the same outputs across runs, so it lives in the user's local
// settings, readable by the user alone. Never part of an export or report.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** `VEIL_SECRET_FILE`, else `$XDG_CONFIG_HOME/veil/secret`, else `~/.config/veil/secret`. */
export function defaultSecretPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VEIL_SECRET_FILE) return path.resolve(env.VEIL_SECRET_FILE);
  const config = env.XDG_CONFIG_HOME ? path.resolve(env.XDG_CONFIG_HOME) : path.join(homedir(), '.config');
  return path.join(config, 'veil', 'secret');
}

/** Reads the secret, creating it (256 random bits, mode 0600) on first use. */
export async function loadSecret(secretPath = defaultSecretPath()): Promise<string> {
  try {
    const text = (await fs.readFile(secretPath, 'utf8')).trim();
    if (text.length > 0) return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(secretPath), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  try {
    // 'wx': two first runs at once must not overwrite each other's secret.
    await fs.writeFile(secretPath, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await fs.readFile(secretPath, 'utf8')).trim();
    throw error;
  }
}
