// The queue's own state, kept per opened source outside React so it outlives
// a journey switch ("e" jumps to the viewer and back): review decisions, each
// study's last export outcome, and the last export request (for Resume).
import { useSyncExternalStore } from 'react';
import type { ExportRequest, OpenResult } from '../../shared/api/contract';
import type { Decision, ExportOutcome } from './queueModel';

export interface QueueState {
  decisions: ReadonlyMap<string, Decision>;
  outcomes: ReadonlyMap<string, ExportOutcome>;
  /** The review cursor: the flagged instance's id. */
  cursor: string | null;
  /** The last export's request, to run again into the same folder (the export resumes). */
  lastRequest: ExportRequest | null;
}

const empty: QueueState = { decisions: new Map(), outcomes: new Map(), cursor: null, lastRequest: null };
const states = new WeakMap<OpenResult, QueueState>();
const listeners = new Set<() => void>();

export function queueState(opened: OpenResult | null): QueueState {
  return (opened && states.get(opened)) ?? empty;
}

export function updateQueue(opened: OpenResult | null, change: (state: QueueState) => QueueState): void {
  if (!opened) return;
  const next = change(queueState(opened));
  if (next === queueState(opened)) return;
  states.set(opened, next);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useQueueState(opened: OpenResult | null): QueueState {
  return useSyncExternalStore(subscribe, () => queueState(opened));
}

export function decide(state: QueueState, id: string, decision: Decision): QueueState {
  if (state.decisions.get(id) === decision) return state;
  return { ...state, decisions: new Map(state.decisions).set(id, decision) };
}
