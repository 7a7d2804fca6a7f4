// Browser mode's file and folder "dialogs": a transient <input type=file>.
// Must be called straight from a user gesture (no await before it), or
// Chromium refuses to show the chooser.

/** One picked file with the path the user would recognise (folder-relative). */
export interface PickedFile {
  file: File;
  path: string;
}

export function pickFiles(kind: 'files' | 'folder'): Promise<PickedFile[] | null> {
  const input = document.createElement('input');
  input.type = 'file';
  input.multiple = true;
  input.hidden = true;
  input.dataset.testid = kind === 'folder' ? 'browser-folder-input' : 'browser-file-input';
  if (kind === 'folder') input.webkitdirectory = true;
  document.body.append(input);
  return new Promise((resolve) => {
    const finish = (picked: PickedFile[] | null) => {
      input.remove();
      resolve(picked);
    };
    input.addEventListener('change', () => finish(Array.from(input.files ?? [], pickedFile)), { once: true });
    input.addEventListener('cancel', () => finish(null), { once: true });
    input.click();
  });
}

export function pickedFile(file: File): PickedFile {
  return { file, path: file.webkitRelativePath || file.name };
}

/** Files of a drop, walking dropped folders (browser mode has no paths). */
export async function droppedFiles(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry()).filter(
    (entry): entry is FileSystemEntry => entry !== null,
  );
  if (entries.length === 0) return Array.from(transfer.files, pickedFile);
  const picked: PickedFile[] = [];
  for (const entry of entries) await walkEntry(entry, picked);
  return picked;
}

async function walkEntry(entry: FileSystemEntry, into: PickedFile[]): Promise<void> {
  if (isFileEntry(entry)) {
    const file = await new Promise<File>((resolve, reject) => entry.file(resolve, reject));
    into.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!isDirectoryEntry(entry)) return;
  const reader = entry.createReader();
  // readEntries returns batches (about 100 at a time) until an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walkEntry(child, into);
  }
}

function isFileEntry(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

function isDirectoryEntry(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}
