// Browser mode's export preview: the same engine and secret as the tab's own
// export (browserExportApi), computed here instead of in main.
import { defaultProfile, parseProfile } from '../../shared/deid';
import { previewDeid, type DeidPreview } from '../../shared/export/preview';

export function previewInBrowser(bytes: Uint8Array, profile: string | undefined, secret: () => string): DeidPreview {
  return previewDeid(bytes, profile === undefined ? defaultProfile : parseProfile(profile), { secret: secret() });
}
