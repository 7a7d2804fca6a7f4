// The profiles that ship with Veil (shared/deid/profiles), offered in the
// export panel; the first is the default. Main re-checks each with parseProfile.
import basic from '../../shared/deid/profiles/basic.json';
import defaultProfile from '../../shared/deid/profiles/default.json';
import research from '../../shared/deid/profiles/research.json';

export interface BundledProfile {
  json: { name: string; description: string; options: string[] };
}

export const bundledProfiles: BundledProfile[] = [{ json: defaultProfile }, { json: research }, { json: basic }];
