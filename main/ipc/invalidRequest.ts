// The one error a refused IPC request raises. Its own module, free of the
// engine, so services (Studies, Exports) can throw it without loading validate.ts.
export class InvalidRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRequestError';
  }
}
