// The redaction plan of everything open, in App state: the findings panel seeds
// it, the stack viewport's overlay and the panel's box list edit it, and the
// export reads it (`useRedactionPlan`). One provider, one reducer (planState).
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../shared/api/contract';
import { emptyPlan, type RedactionPlan } from '../../shared/redact';
import { editPlan, planEditor, withoutText, type BoxRef, type Device, type PlanAction } from './planState';

/** The frame the stack viewport shows. */
export interface CurrentImage {
  instance: InstanceSummary;
  /** 0-based frame within the instance. */
  frame: number;
  /** Rows and columns of the picture. */
  rows: number;
  columns: number;
  /** Read from the header; until then no device signature applies. */
  device?: Device;
}

/** "before": outlined boxes with what was read; "after": the redaction as it will be (filled, no labels). */
export type RedactionView = 'before' | 'after';
/** "box": dragging on the image draws a box (instead of window/level). */
export type RedactionTool = 'none' | 'box';

export interface RedactionSession {
  plan: RedactionPlan;
  selected: BoxRef | null;
  canUndo: boolean;
  canRedo: boolean;
  dispatch: (action: PlanAction) => void;
  view: RedactionView;
  setView: (view: RedactionView) => void;
  tool: RedactionTool;
  setTool: (tool: RedactionTool) => void;
  current: CurrentImage | null;
  setCurrent: (current: CurrentImage | null) => void;
}

const RedactionContext = createContext<RedactionSession | null>(null);
const noPlan = emptyPlan();

export function RedactionProvider({ children, initialPlan }: { children: ReactNode; initialPlan?: RedactionPlan }) {
  const [editor, dispatch] = useReducer(editPlan, initialPlan ?? emptyPlan(), planEditor);
  const [view, setView] = useState<RedactionView>('before');
  const [tool, setTool] = useState<RedactionTool>('none');
  const [current, setCurrentState] = useState<CurrentImage | null>(null);
  const setCurrent = useCallback((next: CurrentImage | null) => setCurrentState(next), []);

  // Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo plan edits, except while typing.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if ((event.target as HTMLElement | null)?.closest('input, select, textarea, [contenteditable=true]')) return;
      const key = event.key.toLowerCase();
      if (key === 'z') dispatch({ type: event.shiftKey ? 'redo' : 'undo' });
      else if (key === 'y') dispatch({ type: 'redo' });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const session = useMemo<RedactionSession>(
    () => ({
      plan: editor.plan,
      selected: editor.selected,
      canUndo: editor.past.length > 0,
      canRedo: editor.future.length > 0,
      dispatch,
      view,
      setView,
      tool,
      setTool,
      current,
      setCurrent,
    }),
    [editor, view, tool, current, setCurrent],
  );
  return <RedactionContext.Provider value={session}>{children}</RedactionContext.Provider>;
}

/** The session, or null outside a provider (views then draw no overlay). */
export function useRedaction(): RedactionSession | null {
  return useContext(RedactionContext);
}

/**
 * What to black out, for the export: the plan as the user left it, without the text
 * OCR read (boxes and decisions only; the text may be the patient's name).
 */
export function useRedactionPlan(): RedactionPlan {
  const plan = useContext(RedactionContext)?.plan ?? noPlan;
  return useMemo(() => withoutText(plan), [plan]);
}
