import type { MarkerFinding, MarkerOptions } from './detect';
import type { Volume } from '../face/volume';
import type { BodyShell } from './geometry';

export function signalVoids(_volume: Volume, _shell: BodyShell, _o: MarkerOptions): MarkerFinding[] {
  return [];
}
