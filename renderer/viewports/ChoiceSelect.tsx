// A labelled drop-down for a viewport toolbar (window, render preset, quality).

export interface Choice<T extends string | number> {
  value: T;
  label: string;
}

export function ChoiceSelect<T extends string | number>(props: {
  label: string;
  value: T;
  choices: readonly Choice<T>[];
  onChoose: (value: T) => void;
  testId: string;
}) {
  const { label, value, choices, onChoose, testId } = props;
  // <select> values are strings; map back to the choice so numbers stay numbers.
  const choose = (text: string) => {
    const chosen = choices.find((choice) => String(choice.value) === text);
    if (chosen) onChoose(chosen.value);
  };
  return (
    <label>
      {label}{' '}
      <select value={String(value)} onChange={(event) => choose(event.target.value)} data-testid={testId}>
        {choices.map((choice) => (
          <option key={String(choice.value)} value={String(choice.value)}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
