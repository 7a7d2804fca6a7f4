// Skin markers as the scan document's findings (kind "skin-marker"): where in
// patient space and how big, never a value that identifies anyone.
import type { Finding } from '../../export/scan';
import type { MarkerFinding } from './detect';

const kindText: Record<MarkerFinding['kind'], string> = {
  'dense-in-shell': 'A dense mark in the skin (tattoo ink, skin marker or clip)',
  'external-object': 'A small dense object on the skin (piercing, marker or jewellery)',
  'signal-void': 'A focal signal void at the skin (metal or ink)',
};

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** One finding per marker; `file` names the series (its first file), as face findings do. */
export function markerFindings(file: string, markers: readonly MarkerFinding[]): Finding[] {
  return markers.map((m) => ({
    kind: 'skin-marker',
    confidence: m.confidence,
    where: {
      file,
      position: m.centre.map((v) => round(v)),
      sizeMm: m.sizeMm.map((v) => round(v)),
      voxelMin: m.bounds.map((b) => b[0]),
      voxelMax: m.bounds.map((b) => b[1]),
      markerKind: m.kind,
    } as Finding['where'],
    detail: `${kindText[m.kind]}, about ${round(m.diameterMm)} mm across, ${m.depthMm[1] > 0 ? `down to ${round(m.depthMm[1])} mm below the skin` : 'at the skin surface'}.`,
  }));
}
