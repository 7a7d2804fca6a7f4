// Privacy mode: Veil's own labels stop showing who the scans belong to (the
// study browser's patient lines, header values, box labels read by OCR, the
// window title and source), so a screenshot of the app is safe to share. The
// pixels are the images' own: burned-in text stays until it is redacted.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export interface PrivacyMode {
  hidden: boolean;
  setHidden: (hidden: boolean) => void;
  toggle: () => void;
}

/** Ctrl+Shift+H (hide), anywhere in the window. */
export const privacyShortcut = { label: 'Ctrl+Shift+H', aria: 'Control+Shift+H' };

const PrivacyModeContext = createContext<PrivacyMode | null>(null);

export function PrivacyModeProvider({ children }: { children: ReactNode }) {
  const [hidden, setHidden] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.altKey || event.key.toLowerCase() !== 'h') return;
      event.preventDefault();
      setHidden((now) => !now);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const value = useMemo<PrivacyMode>(() => ({ hidden, setHidden, toggle: () => setHidden((now) => !now) }), [hidden]);
  return <PrivacyModeContext.Provider value={value}>{children}</PrivacyModeContext.Provider>;
}

/** The mode, or "off" outside a provider (components tested alone show everything). */
export function usePrivacyMode(): PrivacyMode {
  return useContext(PrivacyModeContext) ?? offMode;
}

const offMode: PrivacyMode = { hidden: false, setHidden: () => undefined, toggle: () => undefined };

export function PrivacyToggle() {
  const { hidden, toggle } = usePrivacyMode();
  return (
    <button
      type="button"
      className="privacy-toggle"
      data-testid="privacy-mode"
      aria-pressed={hidden}
      aria-keyshortcuts={privacyShortcut.aria}
      title={`Hide names and identifying text from Veil's own labels, for screenshots (${privacyShortcut.label})`}
      onClick={toggle}
    >
      {hidden ? 'Privacy mode on' : 'Privacy mode'}
    </button>
  );
}

/** A file or folder path, which often names the patient or the user (their home folder): hidden in privacy mode. */
export function PrivatePath({ path, testId, className }: { path: string; testId?: string; className?: string }) {
  const { hidden } = usePrivacyMode();
  return (
    <code data-testid={testId} className={className} data-hidden={hidden}>
      {hidden ? 'hidden in privacy mode' : path}
    </code>
  );
}
