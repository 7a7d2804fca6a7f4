// The window in use, as width / level (what radiologists read off a viewer).
import { useEffect, useState } from 'react';
import { Enums, type Types } from '@cornerstonejs/core';

function windowOf(range: Types.VOIRange | undefined): string {
  if (!range || !Number.isFinite(range.lower) || !Number.isFinite(range.upper)) return '';
  const width = range.upper - range.lower;
  const level = (range.upper + range.lower) / 2;
  return `W ${Math.round(width)} L ${Math.round(level)}`;
}

export function VoiReadout({ viewport }: { viewport: Types.IStackViewport }) {
  const [text, setText] = useState(() => windowOf(viewport.getProperties().voiRange));
  useEffect(() => {
    const element = viewport.element;
    const onVoi = (event: Event) => setText(windowOf((event as CustomEvent<{ range: Types.VOIRange }>).detail.range));
    element.addEventListener(Enums.Events.VOI_MODIFIED, onVoi);
    setText(windowOf(viewport.getProperties().voiRange));
    return () => element.removeEventListener(Enums.Events.VOI_MODIFIED, onVoi);
  }, [viewport]);
  return (
    <output className="voi-readout" data-testid="voi-readout" aria-label="Window width and level">
      {text}
    </output>
  );
}
