// Public surface of pixel redaction: the plan (what to fill) and, as it lands, the fill itself.
export { emptyPlan, type BoxOrigin, type DeviceSignature, type PixelBox, type RedactionBox, type RedactionPlan } from './plan';
