// Public surface of pixel redaction: the plan (what to fill) and the fill itself.
export { emptyPlan, spreadIdentifying, type BoxOrigin, type DeviceSignature, type PixelBox, type RedactionBox, type RedactionPlan } from './plan';
export { fillMemory, redactFile, type FillMemory, type Filled, type RedactOptions, type RedactResult } from './fill';
export { blackSamples, monochromeBlack, paletteBlack, storedRange } from './black';
export { boxesForFile, deviceOf, sameDevice, type Device } from './forFile';
export { parseRedactionPlan, PlanError } from './parsePlan';
export { redactMask, type MaskFill } from './mask';
