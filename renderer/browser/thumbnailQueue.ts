// Thumbnails render one at a time: they share one off-screen rendering engine
// and must not compete with the main viewport on a 2-core machine.
let tail: Promise<unknown> = Promise.resolve();

export function queueThumbnail<T>(job: () => Promise<T>): Promise<T> {
  const run = tail.then(job, job);
  tail = run.catch(() => undefined);
  return run;
}
