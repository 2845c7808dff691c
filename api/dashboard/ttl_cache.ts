import type { Clock } from "../../shared/ports.ts";
/**
 * A small in-memory cache of async loads with a lifetime per entry, so the public dashboard costs the KV
 * and the validator bucket a bounded number of reads however many browsers poll it. Concurrent gets of one
 * key share one load; a failed load is not kept. Oldest entries go first past `maxEntries`.
 * @module
 */

/** A cache of `V` by string key. */
export interface TtlCache<V> {
  /** The cached value of `key`, or `load()`'s, kept for `ttlMs(value)` (default: the cache's `ttlMs`). */
  get(key: string, load: () => Promise<V>, ttlMs?: (value: V) => number): Promise<V>;
}

/** Creates a cache reading time from `clock`. */
export function createTtlCache<V>(
  options: { ttlMs: number; maxEntries: number; clock: Clock },
): TtlCache<V> {
  const entries = new Map<string, { value: Promise<V>; expiresAtMs: number }>();
  return {
    get(key, load, ttlMs) {
      const nowMs = options.clock.now().getTime();
      const hit = entries.get(key);
      if (hit && hit.expiresAtMs > nowMs) return hit.value;
      entries.delete(key);
      const value = load();
      // Until the load settles the entry lives for the default lifetime, so concurrent gets share it.
      const entry = { value, expiresAtMs: nowMs + options.ttlMs };
      entries.set(key, entry);
      if (entries.size > options.maxEntries) entries.delete(entries.keys().next().value!);
      value.then(
        (v) => void (entry.expiresAtMs = nowMs + (ttlMs ? ttlMs(v) : options.ttlMs)),
        () => entries.get(key) === entry && entries.delete(key),
      );
      return value;
    },
  };
}
