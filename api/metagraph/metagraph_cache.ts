/**
 * The API's view of the metagraph: the last snapshot a `MetagraphSource` produced, indexed by hotkey, and
 * its age. When refreshes keep failing the cached snapshot is kept but reported stale, and authenticated
 * routes fail closed (503) rather than trusting an old registration list.
 * @module
 */
import type { MetagraphSource } from "../../shared/ports.ts";
import type { MetagraphSnapshot, Neuron } from "../../shared/schemas/metagraph.ts";

/** The cache's read side, as handlers use it. */
export interface MetagraphView {
  /** The neuron registered with `hotkey`, if any. */
  lookup(hotkey: string): Neuron | undefined;
  /** Milliseconds since the last successful load, or null if none ever succeeded. */
  ageMs(nowMs: number): number | null;
  block(): number | null;
  netuid(): number | null;
  size(): number;
}

/** A refreshable metagraph cache. */
export interface MetagraphCache extends MetagraphView {
  /** Loads from the source; keeps the previous snapshot and rethrows when loading fails. */
  refresh(nowMs: number): Promise<MetagraphSnapshot>;
  readonly source: MetagraphSource;
}

/** Creates an empty cache over `source`; the first `refresh` fills it. */
export function createMetagraphCache(source: MetagraphSource, expectedNetuid: number): MetagraphCache {
  let snapshot: MetagraphSnapshot | null = null;
  let byHotkey = new Map<string, Neuron>();
  let loadedAtMs: number | null = null;
  return {
    source,
    async refresh(nowMs) {
      const next = await source.load();
      if (next.netuid !== expectedNetuid) {
        throw new RangeError(
          `Metagraph from ${source.description} is for netuid ${next.netuid}, not ${expectedNetuid}`,
        );
      }
      snapshot = next;
      byHotkey = new Map(next.neurons.map((n) => [n.hotkey, n]));
      loadedAtMs = nowMs;
      return next;
    },
    lookup: (hotkey) => byHotkey.get(hotkey),
    ageMs: (nowMs) => (loadedAtMs === null ? null : nowMs - loadedAtMs),
    block: () => snapshot?.block ?? null,
    netuid: () => snapshot?.netuid ?? null,
    size: () => byHotkey.size,
  };
}
