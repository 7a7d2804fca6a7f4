// dcmtk as the reference decoder: dcmdrle / dcmconv write Explicit VR Little
// Endian native data, and `dcmdump +W` dumps its raw pixel bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { readDicom, type DicomFile } from '../../../shared/dicom';

export const workDir = mkdtempSync(join(tmpdir(), 'veil-pixels-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
let counter = 0;

export function load(path: string): DicomFile {
  return readDicom(new Uint8Array(readFileSync(path)));
}

/** dcmtk's decompression of `path` to native Explicit VR Little Endian: the file and its raw pixel bytes. */
export function dcmtkNative(path: string, compressed: boolean): { file: DicomFile; pixels: Uint8Array } {
  const dir = join(workDir, String(counter++));
  execFileSync('mkdir', ['-p', dir]);
  const out = join(dir, 'native.dcm');
  if (compressed) execFileSync('dcmdrle', ['+te', path, out], { stdio: 'ignore' });
  else execFileSync('dcmconv', ['+te', path, out], { stdio: 'ignore' });
  execFileSync('dcmdump', ['-q', '+W', dir, out], { stdio: 'ignore' });
  const raw = readdirSync(dir).find((n) => n.endsWith('.raw'));
  if (!raw) throw new Error(`dcmdump wrote no raw pixel data for ${path}`);
  return { file: load(out), pixels: new Uint8Array(readFileSync(join(dir, raw))) };
}

/** dcmj2pnm's 8-bit PPM/PGM rendering of frame `frame`: header-free samples. */
export function dcmtkPnm(path: string, frame: number, args: string[] = []): Uint8Array {
  const out = join(workDir, `${counter++}.pnm`);
  execFileSync('dcmj2pnm', ['+F', String(frame + 1), ...args, path, out], { stdio: 'ignore' });
  const bytes = new Uint8Array(readFileSync(out));
  // Skip "P5/P6 w h max" (4 whitespace-separated tokens).
  let tokens = 0;
  let i = 0;
  while (tokens < 4) {
    while (/\s/.test(String.fromCharCode(bytes[i]!))) i++;
    while (!/\s/.test(String.fromCharCode(bytes[i]!))) i++;
    tokens++;
  }
  return bytes.subarray(i + 1);
}
