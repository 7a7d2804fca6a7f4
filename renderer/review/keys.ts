// The review's single-key shortcuts, ignored while typing and with Ctrl/Alt/Meta
// held (those belong to the window: undo, privacy mode).
export function isPlainKey(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target as HTMLElement | null;
  return !target?.closest('input, select, textarea, [contenteditable=true]');
}

export const reviewShortcuts: Array<[keys: string, what: string]> = [
  ['N / P', 'next / previous file'],
  ['/', 'search the header diff'],
  ['C', 'changed elements only / all'],
  ['O', 'overlays on this image on / off'],
  ['1–9', 'keep or fill box 1–9'],
  ['B', 'add a box in the viewer'],
  ['V', 'show this file in the viewer'],
  ['Ctrl+Shift+H', 'privacy mode'],
];
