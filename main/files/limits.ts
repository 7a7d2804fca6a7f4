// Bounds on what one "open" may cost, so a mistaken drop of a home folder or a
// hostile DICOMDIR cannot exhaust memory or hang the app.

/** Larger files are refused: no DICOM object a viewer shows is this big. */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;
/** A DICOMDIR is an index; hundreds of MiB would already be absurd. */
export const MAX_DICOMDIR_BYTES = 256 * 1024 ** 2;
/** Files collected per open; the walk stops (and says so) beyond this. */
export const MAX_FILES_PER_OPEN = 100_000;
/** Folder nesting followed during a walk. */
export const MAX_FOLDER_DEPTH = 32;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
