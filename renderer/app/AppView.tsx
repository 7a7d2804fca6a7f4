// Which journey fills the window (viewer, overview, review, batch) and a way
// for any of them to send the user to a series in the viewer.
import { createContext, useContext } from 'react';
import type { SeriesSummary } from '../../shared/api/contract';

export type AppViewName = 'overview' | 'viewer' | 'review' | 'queue';

export interface AppView {
  view: AppViewName;
  setView: (view: AppViewName) => void;
  /** Shows `series` (and optionally one of its instances) in the viewer. */
  showInViewer: (series: SeriesSummary, instanceIndex?: number) => void;
}

export const AppViewContext = createContext<AppView | null>(null);

export function useAppView(): AppView {
  const view = useContext(AppViewContext);
  if (!view) throw new Error('useAppView outside App');
  return view;
}

export const viewTitles: Record<AppViewName, string> = {
  overview: 'Overview',
  viewer: 'Viewer',
  review: 'Review',
  queue: 'Batch',
};
