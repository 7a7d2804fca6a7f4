// The floor under `veil deid` in Node: the file work an export must do and nothing
// else (no DICOM parsing, de-identification, verification or bookkeeping), with the
// system calls of main/export/exportFile.ts (which creates the temporary file in the
// thread pool; here it is created in line). Per file: the plan reads the header
// (open, fstat, the first 32 KiB); the export reads the whole original, creates a
// temporary file ('wx+'), writes it, reads it back; batches of 64 are fsynced in the
// thread pool, closed and renamed into place. Plain JavaScript, so it starts like the
// CLI bundle does (no TypeScript loader).
// Usage: node fileFloor.mjs <corpus> <out> [--no-fsync]   (--no-fsync: what the syncs cost)
import { closeSync, constants, fstatSync, fsync, mkdirSync, openSync, readdirSync, readSync, renameSync, writevSync } from 'node:fs';
import path from 'node:path';

const [corpus, out, flag] = process.argv.slice(2);
const durable = flag !== '--no-fsync';
if (!corpus || !out) {
  console.error('usage: node fileFloor.mjs <corpus> <out> [--no-fsync]');
  process.exit(2);
}

function listFiles(folder) {
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(folder, e.name)) : [path.join(folder, e.name)]));
}

// Reused like exportFile's read buffers; a file bigger than them gets its own.
const buffer = Buffer.allocUnsafeSlow(4 << 20);
const back = Buffer.allocUnsafeSlow(4 << 20);
const room = (spare, size) => (size + 1 <= spare.length ? spare : Buffer.allocUnsafeSlow(size + 1));

function openOriginal(file) {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  return { fd, size: fstatSync(fd).size };
}

const files = listFiles(corpus);
for (const file of files) {
  const { fd, size } = openOriginal(file);
  readSync(fd, buffer, 0, Math.min(size, 32 * 1024), 0);
  closeSync(fd);
}

const partial = path.join(out, 'partial');
mkdirSync(partial, { recursive: true });
const made = new Set();
let staged = [];
async function commit() {
  if (durable) await Promise.all(staged.map(({ fd }) => new Promise((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())))));
  for (const { fd, temp, target } of staged) {
    closeSync(fd);
    const folder = path.dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    renameSync(temp, target);
  }
  staged = [];
}
for (const [i, file] of files.entries()) {
  const { fd, size } = openOriginal(file);
  const bytes = room(buffer, size);
  readSync(fd, bytes, 0, size, 0);
  closeSync(fd);
  const temp = path.join(partial, `${i.toString(36)}.part`);
  const copy = openSync(temp, 'wx+', 0o644);
  writevSync(copy, [bytes.subarray(0, size)], 0);
  readSync(copy, room(back, size), 0, size + 1, 0);
  staged.push({ fd: copy, temp, target: path.join(out, path.relative(corpus, file)) });
  if (staged.length >= 64) await commit();
}
await commit();
