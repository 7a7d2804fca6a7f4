// Names a folder walk passes over without a word: hidden files and the
// bookkeeping operating systems scatter over removable media.

const systemFiles = new Set(['thumbs.db', 'desktop.ini', 'ehthumbs.db', 'icon\r']);
const systemFolders = new Set(['__macosx', '$recycle.bin', 'system volume information', 'recycler']);

/** True for hidden and operating-system files/folders (not worth a "skipped" line). */
export function isIgnoredName(name: string): boolean {
  if (name.startsWith('.')) return true;
  const lower = name.toLowerCase();
  return systemFiles.has(lower) || systemFolders.has(lower);
}

/**
 * Extensions that are never DICOM; common on patient CDs, which ship a viewer
 * program next to the images. Listed as skipped without reading their bytes.
 */
const nonDicomExtensions = new Set([
  '.exe', '.dll', '.so', '.dylib', '.msi', '.bat', '.cmd', '.sh', '.inf', '.ini', '.cab', '.jar', '.class',
  '.html', '.htm', '.css', '.js', '.xml', '.xsl', '.pdf', '.txt', '.rtf', '.doc', '.docx',
  '.zip', '.7z', '.rar', '.ico', '.chm', '.hlp', '.lnk', '.app', '.plist',
]);

/** The reason a file is skipped from its name alone, or undefined to read it. */
export function nonDicomReason(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = name.slice(dot).toLowerCase();
  return nonDicomExtensions.has(extension) ? `not a DICOM file (${extension})` : undefined;
}

/** DICOMDIR is named so by PS3.10 8.6 (case varies on real media). */
export function isDicomdirName(name: string): boolean {
  return name.toUpperCase() === 'DICOMDIR';
}
