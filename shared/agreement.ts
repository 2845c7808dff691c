/**
 * zipmine-evidence-v2: agreement between validators on spot checks. Every validator draws the same sample
 * (`sampling.ts`) but fetches it with its own network luck: one may be blocked where another got an
 * answer. Each publishes its evidence; before finalising, each merges it with this rule:
 *
 * 1. Only entries for listings in the merging validator's own sample count (nobody can inject checks), and
 *    only a validator's first entry per listing.
 * 2. A validator trusts its own conclusive outcome (valid / invalid): what it saw on the page itself, no
 *    other validator can overturn.
 * 3. For a listing it could not conclude itself, it follows the OTHER validators' conclusive outcomes by
 *    stake: invalid when the stake voting invalid is more than half of the others' whole stake (blocked
 *    ones included), so a liar among several others cannot convict alone; else valid when the stake
 *    voting valid is strictly larger than the stake voting invalid; else unknown (a tie, no conclusive
 *    vote, or an "invalid" without that majority). Stake is counted in integer units (`stakeUnits`) so every
 *    validator sums exactly.
 * 4. A disputed listing (any validator says invalid) that a validator has not concluded is fetched again by
 *    that validator before finalising (`disputedUnconcluded`), up to `DISPUTE_FETCH_ATTEMPTS` times until
 *    conclusive, so a liar's "invalid" is checked at the page by everyone who can reach it, and a real
 *    fake one validator saw is seen by the others too (they agree on the zero).
 *
 * Property (tests/mechanism, shared/agreement_test.ts): a validator holding less than half of the stake
 * can neither zero an honest miner's listing nor rescue a fabricated one at any validator that fetched the
 * page (rule 2); elsewhere it can convict only where it holds more than half of the other validators'
 * stake, and its "valid" against an honest "invalid" of at least its stake is at best a tie.
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

/** Another validator's published evidence and its stake. */
export interface ValidatorEvidence {
  validator: string;
  /** Its stake (chain units, e.g. alpha); converted with `stakeUnits`. */
  stake: number;
  entries: readonly EvidenceEntry[];
}

/** One listing's merged outcome, with the votes behind it. */
export interface MergedCheck extends EvidenceEntry {
  /** Validators (own included) per outcome. */
  votes: { valid: number; invalid: number; unknown: number };
  /** The merging validator's own outcome. */
  own: EvidenceEntry["outcome"];
  /** What the others' conclusive outcomes decide by rule 3 (unknown on a tie, none, or a minority invalid). */
  others: EvidenceEntry["outcome"];
}

/** Stake as integer micro-units (negative, NaN or infinite: 0), so sums are exact and order-free. */
export function stakeUnits(stake: number): bigint {
  return Number.isFinite(stake) && stake > 0 ? BigInt(Math.round(stake * 1_000_000)) : 0n;
}

const key = (e: { miner: string; zpid: string }) => `${e.miner}\u0000${e.zpid}`;

function firstEntries(entries: readonly EvidenceEntry[], inSample: Set<string>): Map<string, EvidenceEntry> {
  const out = new Map<string, EvidenceEntry>();
  for (const e of entries) if (inSample.has(key(e)) && !out.has(key(e))) out.set(key(e), e);
  return out;
}

/** Merges own evidence and the others' over the checks in `sample` (see the module doc). */
export function mergeEvidence(
  sample: readonly { miner: string; zpid: string }[],
  own: readonly EvidenceEntry[],
  others: readonly ValidatorEvidence[],
): MergedCheck[] {
  const inSample = new Set(sample.map(key));
  const mine = firstEntries(own, inSample);
  const theirs = others.map((o) => ({
    stake: stakeUnits(o.stake),
    entries: firstEntries(o.entries, inSample),
  }));
  const othersStake = theirs.reduce((sum, t) => sum + t.stake, 0n);
  return sample.map((s) => {
    const k = key(s);
    const votes = { valid: 0, invalid: 0, unknown: 0 };
    const ownEntry = mine.get(k);
    if (ownEntry) votes[ownEntry.outcome]++;
    let validStake = 0n;
    let invalidStake = 0n;
    const reasons: string[] = [];
    for (const t of theirs) {
      const e = t.entries.get(k);
      if (!e) continue;
      votes[e.outcome]++;
      if (e.outcome === "valid") validStake += t.stake;
      if (e.outcome === "invalid") {
        invalidStake += t.stake;
        if (e.reason) reasons.push(e.reason);
      }
    }
    const othersOutcome = 2n * invalidStake > othersStake
      ? "invalid"
      : validStake > invalidStake
      ? "valid"
      : "unknown";
    const ownOutcome = ownEntry?.outcome ?? "unknown";
    const outcome = ownOutcome !== "unknown" ? ownOutcome : othersOutcome;
    const reason = outcome !== "invalid"
      ? undefined
      : ownOutcome === "invalid"
      ? ownEntry!.reason
      : [...reasons].sort()[0];
    return {
      miner: s.miner,
      zpid: s.zpid,
      outcome,
      ...(reason ? { reason } : {}),
      votes,
      own: ownOutcome,
      others: othersOutcome,
    };
  });
}

/** Fetches of one disputed, unconcluded listing before finalising (rule 4). */
export const DISPUTE_FETCH_ATTEMPTS = 3;

/**
 * Rule 4: the listings of `sample` some validator (own included) called invalid that this validator has
 * not concluded itself; it fetches them again before merging.
 */
export function disputedUnconcluded(
  sample: readonly { miner: string; zpid: string }[],
  own: readonly EvidenceEntry[],
  others: readonly ValidatorEvidence[],
): { miner: string; zpid: string }[] {
  const inSample = new Set(sample.map(key));
  const mine = firstEntries(own, inSample);
  const disputed = new Set<string>();
  for (const o of others) {
    for (const e of firstEntries(o.entries, inSample).values()) {
      if (e.outcome === "invalid") disputed.add(key(e));
    }
  }
  return sample.filter((s) => disputed.has(key(s)) && (mine.get(key(s))?.outcome ?? "unknown") === "unknown");
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
