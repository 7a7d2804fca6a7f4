// Which search lists a worker thread holds, kept the same way on both sides of the
// message port: the pool omits a list the worker already has, and both forget in step.

/** Entries kept at most (one export's patients in flight); both sides clear together. */
const LIMIT = 64;

export interface RememberedLists<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  /** Remembers `value` under `key`; forgets everything first when full (the same on both sides). */
  set(key: string, value: T): void;
}

export function rememberIdentifiers<T>(): RememberedLists<T> {
  const map = new Map<string, T>();
  return {
    get: (key) => map.get(key),
    has: (key) => map.has(key),
    set(key, value) {
      if (!map.has(key) && map.size >= LIMIT) map.clear();
      map.set(key, value);
    },
  };
}
