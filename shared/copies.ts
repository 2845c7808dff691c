/**
 * Copies: one scrape submitted under several hotkeys. Honest miners scrape independently, so two of them
 * never share a row down to its per-row `scraped_at` (millisecond ISO time); a copied (or restamped-only-
 * in-hotkey) submission shares nearly all of them. Rule:
 *
 * - a row key is `zpid|scraped_at`;
 * - hotkeys A and B are copies when the keys they share are at least `minSharedPercent` of the smaller
 *   of their two key sets (so padding a copy with a few extra rows does not hide it);
 * - copies form clusters (connected components); in each cluster only the hotkey with the earliest
 *   receipt ranks (ties: the smaller hotkey); every other member scores 0 with the reason.
 *
 * What a careful sybil can still do: re-stamp every row with its own `scraped_at` (the rows then differ).
 * It then has to scrape or fake the timing for each hotkey, and each copy still competes for the same
 * listings' speed and volume as one more miner; see README, Scoring.
 * @module
 */

/** One miner's row keys and earliest receipt. */
export interface CopyCandidate {
  hotkey: string;
  /** `zpid|scraped_at` per row (duplicates ignored). */
  rowKeys: readonly string[];
  /** Earliest receipt time in ms; null ranks last. */
  receivedAtMs: number | null;
}

/** The zero reason of each hotkey that copied another's submission (hotkeys not listed are fine). */
export function copyReasons(
  miners: readonly CopyCandidate[],
  minSharedPercent: number,
): Map<string, string> {
  const sets = miners.map((m) => new Set(m.rowKeys));
  const owners = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const key of set) owners.set(key, [...(owners.get(key) ?? []), i]);
  });
  const shared = new Map<string, number>(); // "i|j" -> shared keys
  for (const list of owners.values()) {
    if (list.length < 2) continue;
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const k = `${list[a]}|${list[b]}`;
        shared.set(k, (shared.get(k) ?? 0) + 1);
      }
    }
  }
  const parent = miners.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const shares = new Map<number, { other: number; n: number }>();
  for (const [k, n] of shared) {
    const [i, j] = k.split("|").map(Number);
    if (n * 100 < minSharedPercent * Math.min(sets[i].size, sets[j].size)) continue;
    parent[find(i)] = find(j);
    for (const [x, y] of [[i, j], [j, i]]) {
      if ((shares.get(x)?.n ?? 0) < n) shares.set(x, { other: y, n });
    }
  }
  const clusters = new Map<number, number[]>();
  miners.forEach((_, i) => clusters.set(find(i), [...(clusters.get(find(i)) ?? []), i]));
  const out = new Map<string, string>();
  for (const members of clusters.values()) {
    if (members.length < 2) continue;
    const first = [...members].sort((a, b) => {
      const ta = miners[a].receivedAtMs ?? Infinity;
      const tb = miners[b].receivedAtMs ?? Infinity;
      return ta !== tb ? ta - tb : miners[a].hotkey < miners[b].hotkey ? -1 : 1;
    })[0];
    for (const i of members) {
      if (i === first) continue;
      const s = shares.get(i)!;
      out.set(
        miners[i].hotkey,
        `copy: ${s.n} rows identical down to scraped_at with ${miners[s.other].hotkey}; only the earliest ` +
          `receipt of the cluster (${miners[first].hotkey}) ranks`,
      );
    }
  }
  return out;
}
