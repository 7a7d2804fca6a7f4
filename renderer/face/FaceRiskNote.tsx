// One line saying what the red marks mean, over the view they are drawn on:
// colour alone must not carry the message.
import type { VolumeFaceMark } from './faceMarks';

interface Props {
  mark: VolumeFaceMark;
  /** What the marks look like ("Red frame"). */
  marks: string;
  testId: string;
  /** In a toolbar's flow rather than over the view's corner. */
  inline?: boolean;
}

export function FaceRiskNote({ mark, marks, testId, inline = false }: Props) {
  return (
    <p className={inline ? 'face-risk-note face-risk-inline' : 'face-risk-note'} role="status" data-testid={testId}>
      {marks}: where a face can be rebuilt from this series ({Math.round(mark.confidence * 100)}% sure). "Preview defacing" shows it
      removed; the safe copy's "Remove faces" removes it.
    </p>
  );
}
