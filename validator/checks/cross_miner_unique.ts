/**
 * Cross-miner uniqueness: the zpids each miner reported that no other miner reported. Fabricated listings
 * are likely to be unique to the miner that made them up, so the spot-check sampler draws from these.
 * @module
 */

/** The part of a miner's check result uniqueness needs. */
export interface MinerZpids {
  hotkey: string;
  zpids: readonly string[];
  zeroReason: string | null;
}

/**
 * For every miner that passed its fatal checks (`zeroReason === null`), the zpids no other such miner
 * reported, sorted by code unit; the map's keys are the hotkeys in sorted order. Zeroed miners neither get
 * an entry nor count as "another miner": otherwise a throwaway hotkey that fails its checks could copy a
 * fabricator's zpids to make them look shared. The result depends only on the set of inputs, not on their
 * order. Throws `RangeError` when a hotkey appears twice.
 */
export function crossMinerUnique(results: readonly MinerZpids[]): Map<string, string[]> {
  const passed = results.filter((r) => r.zeroReason === null);
  const hotkeys = new Set<string>();
  for (const r of passed) {
    if (hotkeys.has(r.hotkey)) {
      throw new RangeError(`Cannot compare miners: hotkey "${r.hotkey}" appears twice`);
    }
    hotkeys.add(r.hotkey);
  }
  // How many miners reported each zpid; a miner's own repeats count once.
  const reporters = new Map<string, number>();
  for (const r of passed) {
    for (const zpid of new Set(r.zpids)) reporters.set(zpid, (reporters.get(zpid) ?? 0) + 1);
  }
  const unique = new Map<string, string[]>();
  for (const r of [...passed].sort((a, b) => compareCodeUnits(a.hotkey, b.hotkey))) {
    const own = [...new Set(r.zpids)].filter((zpid) => reporters.get(zpid) === 1);
    unique.set(r.hotkey, own.sort(compareCodeUnits));
  }
  return unique;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
