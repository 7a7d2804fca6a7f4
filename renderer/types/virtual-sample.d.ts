// Provided by the `veil-sample-study` plugin in vite.config.ts.
declare module 'virtual:veil-sample' {
  /** Folder of the sample study, relative to index.html. */
  export const samplePath: string;
  /** File names of the sample study's instances. */
  export const sampleFiles: string[];
}
