/**
 * Agreement between validators on spot checks. Every validator draws the same sample (`sampling.ts`) but
 * fetches it with its own network luck: one may be blocked where another got an answer. Each publishes its
 * evidence; before finalising, each merges everyone's evidence with the same rule, so all reach the same
 * outcome per listing and therefore the same scores:
 *
 * - only entries for listings in the merging validator's own sample count (nobody can inject checks);
 * - per listing, the conclusive outcomes (valid / invalid) of all validators are counted, one vote each;
 * - the majority wins; a tie, or no conclusive vote at all, is "unknown", which never counts against a
 *   miner.
 * @module
 */
import type { z } from "zod";
import type { SpotCheckOutcomeSchema } from "./schemas/report.ts";

/** One spot check as published. */
export interface EvidenceEntry {
  miner: string;
  zpid: string;
  outcome: z.infer<typeof SpotCheckOutcomeSchema>;
  reason?: string;
}

/** One listing's merged outcome, with the votes behind it. */
export interface MergedCheck extends EvidenceEntry {
  votes: { valid: number; invalid: number; unknown: number };
}

/** Merges `evidence` (one list per validator, own first) over the checks in `sample`. */
export function mergeEvidence(
  sample: readonly { miner: string; zpid: string }[],
  evidence: readonly (readonly EvidenceEntry[])[],
): MergedCheck[] {
  const key = (e: { miner: string; zpid: string }) => `${e.miner}\u0000${e.zpid}`;
  const votes = new Map(
    sample.map((s) => [key(s), { valid: 0, invalid: 0, unknown: 0, reasons: [] as string[] }]),
  );
  for (const list of evidence) {
    const seen = new Set<string>();
    for (const entry of list) {
      const tally = votes.get(key(entry));
      if (!tally || seen.has(key(entry))) continue; // not in the sample, or a second vote by the same validator
      seen.add(key(entry));
      tally[entry.outcome]++;
      if (entry.outcome === "invalid" && entry.reason) tally.reasons.push(entry.reason);
    }
  }
  return sample.map((s) => {
    const { reasons, ...tally } = votes.get(key(s))!;
    const outcome = tally.valid > tally.invalid
      ? "valid"
      : tally.invalid > tally.valid
      ? "invalid"
      : "unknown";
    const reason = outcome === "invalid" ? [...reasons].sort()[0] : undefined;
    return { miner: s.miner, zpid: s.zpid, outcome, ...(reason ? { reason } : {}), votes: tally };
  });
}

/** Valid / invalid / unknown counts of merged checks, per miner. */
export function tallyByMiner(
  checks: readonly MergedCheck[],
): Map<string, { valid: number; invalid: number; unknown: number }> {
  const out = new Map<string, { valid: number; invalid: number; unknown: number }>();
  for (const c of checks) {
    const t = out.get(c.miner) ?? { valid: 0, invalid: 0, unknown: 0 };
    t[c.outcome]++;
    out.set(c.miner, t);
  }
  return out;
}
