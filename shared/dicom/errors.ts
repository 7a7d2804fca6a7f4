export type DicomReadErrorCode = 'empty' | 'not-dicom' | 'truncated' | 'bad-vr' | 'bad-length' | 'unsupported';

/** Why a file could not be read; `code` is stable, `message` is for people. */
export class DicomReadError extends Error {
  constructor(
    readonly code: DicomReadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DicomReadError';
  }
}
