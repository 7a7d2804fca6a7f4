// Public surface of the skin-marker detector (issue 6): volume → dense marks in
// the skin shell / small objects on it (CT) or signal voids (MR) → findings;
// redaction fills them with the surrounding tissue or air.
export { findSkinMarkers, defaultMarkerOptions, type MarkerFinding, type MarkerKind, type MarkerOptions } from './detect';
export { redactMarkers, redactOptionsFor, defaultRedactOptions, type MarkerRedaction, type RedactOptions, type SliceChanges } from './redact';
export { markerFindings } from './findings';
export { bodyShell, type BodyShell } from './geometry';
