// Which patient direction each edge of a view points to, from the camera's
// screen axes in patient coordinates (LPS: +x left, +y posterior, +z superior,
// PS3.3 C.7.6.2.1.1). Oblique directions get up to three letters, strongest
// first, as radiology viewers show them ("AS" = anterior and a bit superior).

type Vec3 = readonly [number, number, number];

const positiveLetters = ['L', 'P', 'S'];
const negativeLetters = ['R', 'A', 'I'];
/** Components smaller than this (cosine) are not named. */
const NAMED_COMPONENT = 0.3;

export function directionLetters(direction: Vec3): string {
  return [0, 1, 2]
    .filter((axis) => Math.abs(direction[axis]) >= NAMED_COMPONENT)
    .sort((a, b) => Math.abs(direction[b]) - Math.abs(direction[a]))
    .map((axis) => (direction[axis] > 0 ? positiveLetters[axis] : negativeLetters[axis]))
    .join('');
}

export interface EdgeLabels {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

/** Edge letters of a view whose screen up and right point along `viewUp` and `viewRight`. */
export function edgeLabels(viewUp: Vec3, viewRight: Vec3): EdgeLabels {
  const opposite = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return {
    top: directionLetters(viewUp),
    bottom: directionLetters(opposite(viewUp)),
    right: directionLetters(viewRight),
    left: directionLetters(opposite(viewRight)),
  };
}
