// Cornerstone 5.14's loadAndCacheImage leaves the cache's copy of a failed
// load promise unhandled, so every undecodable frame also surfaces as an
// "unhandled rejection" after Veil has already shown it to the user. Errors
// a view has reported are marked here and only those rejections are silenced;
// anything else still reaches the console.

const reported = new Set<unknown>();
let installed = false;

/** Marks a load error as shown to the user. */
export function noteReportedLoadError(error: unknown): void {
  if (error === undefined) return;
  reported.add(error);
  // Bounded: a long session of broken files must not grow this forever.
  if (reported.size > 200) reported.delete(reported.values().next().value);
}

export function silenceReportedLoadErrors(): void {
  if (installed) return;
  installed = true;
  window.addEventListener('unhandledrejection', (event) => {
    if (reported.has(event.reason)) event.preventDefault();
  });
}
