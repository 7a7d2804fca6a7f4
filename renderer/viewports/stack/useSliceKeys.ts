// Arrow keys (and Page Up/Down, Home/End) move through the stack from anywhere
// in the window, except while typing in a form control.
import { useEffect } from 'react';
import type { Types } from '@cornerstonejs/core';

const steps: Record<string, number> = { ArrowUp: -1, ArrowLeft: -1, ArrowDown: 1, ArrowRight: 1, PageUp: -10, PageDown: 10 };

export function useSliceKeys(viewport: Types.IStackViewport | undefined): void {
  useEffect(() => {
    if (!viewport) return;
    const onKey = (event: KeyboardEvent) => {
      // Not `defaultPrevented`: Cornerstone's own key listener prevents every key on the viewport.
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, select, textarea, [contenteditable=true]')) return;
      const last = viewport.getImageIds().length - 1;
      if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        void viewport.setImageIdIndex(event.key === 'Home' ? 0 : last);
        return;
      }
      const step = steps[event.key];
      if (!step) return;
      event.preventDefault();
      const next = Math.min(last, Math.max(0, viewport.getCurrentImageIdIndex() + step));
      void viewport.setImageIdIndex(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [viewport]);
}
