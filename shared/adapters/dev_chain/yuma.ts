/**
 * A Yuma-style consensus summary of a subnet's latest weights (pure): per-miner consensus weight (the
 * stake-weighted kappa quantile), clipped weights, incentive, per-validator vtrust and dividend share, and
 * how far validators agree. It answers "would the chain pay what my validators score?" on localnet; it
 * is not the chain's epoch.
 *
 * Follows `epoch_mechanism` (shared/reference/bittensor-protocol.md §6) for: active stake (permit, stake
 * threshold with the owner exempt, activity cutoff on last_update), self-weights masked except the owner's,
 * weights on uids registered at or after the validator's last_update masked, rows normalised, consensus
 * C_j = the highest weight backed by at least kappa of active stake, clipping W̄_ij = min(W_ij, C_j),
 * vtrust_i = Σ_j W̄_ij, incentive = normalise(Σ_i S_i·W̄_ij).
 *
 * Approximations: all math is integer (stake in nano-alpha as bigint, weights in parts per million with
 * exact largest-remainder normalisation) where the chain uses I32F32 and I64F64, so last digits may differ;
 * stake is alpha only (no TAO weight); permits are given, not recomputed from top-k stake; a validator that
 * never set weights is inactive (the chain counts a last_update of 0 as active during the first
 * activity-cutoff blocks); dividends use this round's clipped weights as bonds (no EMA, no liquid alpha,
 * no bonds penalty), i.e. D_i ∝ S_i·Σ_j W̄_ij·I_j; no emission amounts, burn or owner cut.
 * @module
 */
import { SCALE } from "../../fixed_point.ts";

/** The chain's default kappa, 32767/65535 (just under a half). */
export const DEFAULT_KAPPA = 32_767;
/** The chain's default activity cutoff in blocks. */
export const DEFAULT_ACTIVITY_CUTOFF = 5_000;

const U16_MAX = 65_535n;
const NANO = 1_000_000_000;
const BIG_SCALE = BigInt(SCALE);

/** A neuron as the summary sees it. */
export interface YumaNeuron {
  uid: number;
  /** Whole alpha (fractions down to nano-alpha count). */
  stake: number;
  validatorPermit: boolean;
  /** Block of the neuron's last weight setting or commit; null when never. */
  lastUpdate: number | null;
  /** Block of the neuron's (latest) registration. */
  registeredBlock: number;
}

/** The latest weights of one validator: parallel uid and u16 value arrays. */
export interface YumaWeights {
  uid: number;
  uids: readonly number[];
  values: readonly number[];
}

/** Input of `yumaSummary`. */
export interface YumaInput {
  block: number;
  neurons: readonly YumaNeuron[];
  weights: readonly YumaWeights[];
  /** u16 fraction of 65535; default 32767. */
  kappa?: number;
  /** Default 5000 blocks. */
  activityCutoff?: number;
  /** Whole alpha below which a validator's stake is ignored (not the owner's); default 0. */
  stakeThreshold?: number;
  ownerUid?: number | null;
}

/** One validator's line. Fractions are parts per million (`SCALE` = 1.0). */
export interface YumaValidator {
  uid: number;
  /** Share of the active stake. */
  stakeShare: number;
  /** Σ of its clipped normalised weights: the part of its weight the kappa-majority supports. */
  vtrust: number;
  /** Share of validator dividends, with this round's clipped weights as bonds. */
  dividend: number;
}

/** One column (miner, or any uid given weight). */
export interface YumaMiner {
  uid: number;
  /** Stake-weighted kappa quantile of the validators' normalised weights. */
  consensus: number;
  /** Share of miner incentive. */
  incentive: number;
}

/** How close two validators' normalised weight vectors are: 1 - ½·Σ_j |w_aj - w_bj|. */
export interface YumaPair {
  a: number;
  b: number;
  agreement: number;
}

/** The summary; `validators` lists only the active ones, `miners` every uid. */
export interface YumaSummary {
  block: number;
  kappa: number;
  validators: YumaValidator[];
  miners: YumaMiner[];
  /** Clipped normalised weights per active validator, zeros dropped. */
  clipped: { uid: number; uids: number[]; weights: number[] }[];
  pairs: YumaPair[];
  /**
   * The pair agreements averaged with weight S_a·S_b, so a disagreement between two big validators counts
   * most: 1.0 when all agree or only one is active, null when none is.
   */
  agreement: number | null;
}

/** Computes the summary; deterministic for any order of `neurons` and `weights`. */
export function yumaSummary(input: YumaInput): YumaSummary {
  const kappa = BigInt(input.kappa ?? DEFAULT_KAPPA);
  const cutoff = input.activityCutoff ?? DEFAULT_ACTIVITY_CUTOFF;
  const threshold = input.stakeThreshold ?? 0;
  const ownerUid = input.ownerUid ?? null;
  const neurons = [...input.neurons].sort((x, y) => x.uid - y.uid);
  const byUid = new Map(neurons.map((n) => [n.uid, n]));
  const rowsByUid = new Map(input.weights.map((w) => [w.uid, w]));

  // Active validators: permitted (the owner always is), staked, and updated within the cutoff.
  const active = neurons.filter((n) => {
    const isOwner = n.uid === ownerUid;
    const staked = n.stake > 0 && (isOwner || n.stake >= threshold);
    const recent = n.lastUpdate !== null && n.lastUpdate + cutoff >= input.block;
    return (n.validatorPermit || isOwner) && staked && recent;
  });
  const stakes = active.map((n) => BigInt(Math.round(n.stake * NANO)));
  const totalStake = stakes.reduce((a, b) => a + b, 0n);
  const columns = neurons.map((n) => n.uid);
  const rows = active.map((v) => normalisedRow(v, rowsByUid.get(v.uid), byUid, ownerUid, columns));

  const consensus = columns.map((_, j) => quantile(rows.map((r) => r[j]), stakes, totalStake, kappa));
  const clipped = rows.map((row) => row.map((w, j) => Math.min(w, consensus[j])));
  const vtrust = clipped.map((row) => row.reduce((a, b) => a + b, 0));
  const incentive = normalise(
    columns.map((_, j) => clipped.reduce((sum, row, i) => sum + stakes[i] * BigInt(row[j]), 0n)),
  );
  const dividend = normalise(
    clipped.map((row, i) =>
      stakes[i] * row.reduce((sum, w, j) => sum + BigInt(w) * BigInt(incentive[j]), 0n)
    ),
  );
  const stakeShare = normalise(stakes);

  const pairs: YumaPair[] = [];
  let weighted = 0n;
  let pairWeight = 0n;
  for (let a = 0; a < active.length; a++) {
    for (let b = a + 1; b < active.length; b++) {
      const agreement = rowAgreement(rows[a], rows[b]);
      pairs.push({ a: active[a].uid, b: active[b].uid, agreement });
      weighted += stakes[a] * stakes[b] * BigInt(agreement);
      pairWeight += stakes[a] * stakes[b];
    }
  }
  const agreement = active.length === 0 ? null : pairWeight === 0n ? SCALE : Number(weighted / pairWeight);

  return {
    block: input.block,
    kappa: Number(kappa),
    validators: active.map((v, i) => ({
      uid: v.uid,
      stakeShare: stakeShare[i],
      vtrust: vtrust[i],
      dividend: dividend[i],
    })),
    miners: columns.map((uid, j) => ({ uid, consensus: consensus[j], incentive: incentive[j] })),
    clipped: active.map((v, i) => sparse(v.uid, columns, clipped[i])),
    pairs,
    agreement,
  };
}

// One validator's weights over `columns`, masked as the chain masks them and normalised to sum to SCALE
// (all zeros when nothing is left).
function normalisedRow(
  validator: YumaNeuron,
  row: YumaWeights | undefined,
  byUid: Map<number, YumaNeuron>,
  ownerUid: number | null,
  columns: number[],
): number[] {
  const raw = new Map<number, bigint>();
  row?.uids.forEach((uid, k) => {
    const target = byUid.get(uid);
    if (!target) return;
    if (uid === validator.uid && uid !== ownerUid) return; // self-weight
    // Weights set before (or in the block of) the target's registration point at its predecessor.
    if (validator.lastUpdate !== null && validator.lastUpdate <= target.registeredBlock) return;
    raw.set(uid, BigInt(row.values[k] ?? 0));
  });
  return normalise(columns.map((uid) => raw.get(uid) ?? 0n));
}

// The highest value x in `column` (or 0) such that the stake of rows with value >= x is at least
// kappa/65535 of the total: the chain's weighted_median_col with majority kappa.
function quantile(column: number[], stakes: bigint[], total: bigint, kappa: bigint): number {
  if (total === 0n) return 0;
  const order = column.map((w, i) => ({ w, s: stakes[i] })).sort((x, y) => y.w - x.w);
  let backing = 0n;
  for (let k = 0; k < order.length; k++) {
    backing += order[k].s;
    const groupEnds = k + 1 === order.length || order[k + 1].w !== order[k].w;
    if (groupEnds && backing * U16_MAX >= kappa * total) return order[k].w;
  }
  return 0;
}

// Parts per million summing to exactly SCALE: floors, then the leftover units to the largest remainders
// (ties to the lower index). All zeros stay zeros.
function normalise(values: bigint[]): number[] {
  const sum = values.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return values.map(() => 0);
  const parts = values.map((v) => (v * BIG_SCALE) / sum);
  let leftover = BIG_SCALE - parts.reduce((a, b) => a + b, 0n);
  const order = values.map((v, i) => ({ i, r: (v * BIG_SCALE) % sum }))
    .sort((x, y) => (x.r === y.r ? x.i - y.i : x.r > y.r ? -1 : 1));
  for (const { i } of order) {
    if (leftover === 0n) break;
    parts[i] += 1n;
    leftover -= 1n;
  }
  return parts.map(Number);
}

// 1 - half the L1 distance; two rows each summing to SCALE have an even L1 distance, so this is exact.
// A zero row (everything masked) against a full one gives 0.5.
function rowAgreement(a: number[], b: number[]): number {
  const distance = a.reduce((sum, w, j) => sum + Math.abs(w - b[j]), 0);
  return Math.max(0, SCALE - Math.floor(distance / 2));
}

function sparse(
  uid: number,
  columns: number[],
  row: number[],
): { uid: number; uids: number[]; weights: number[] } {
  const uids: number[] = [];
  const weights: number[] = [];
  row.forEach((w, j) => {
    if (w > 0) {
      uids.push(columns[j]);
      weights.push(w);
    }
  });
  return { uid, uids, weights };
}
