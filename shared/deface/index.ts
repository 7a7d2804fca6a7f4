// Defacing (issue 5): the face mask from the face check's confirmed views,
// the fill (volume and per-file frames for the export), and the proof.
export { faceMask, faceMaskSlice, inFaceMask, defaultFaceMaskOptions, type FaceMask, type FaceMaskOptions } from './mask';
export { fillPlan, fillVolume, defacedFrames, defaultFillOptions, seededRandom, type DefacedFile, type FillMethod, type FillOptions, type FillPlan } from './fill';
export { proveDefaced, beforeAfterRenders, viewScores, defaultProofOptions, type DefaceProof, type ProofOptions, type ReportRender, type ViewScore } from './prove';
export { defaceVolume, defaultDefaceOptions, type DefaceOptions, type DefaceResult } from './deface';
export { previewSlices, type DefacePreview, type DefacePreviewSlice } from './preview';
