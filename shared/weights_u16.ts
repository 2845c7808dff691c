/**
 * The chain's weight vectors: fixed-point weights by uid to the `u16` values `set_weights` carries, the
 * way the Bittensor SDK's `convert_weights_and_uids_for_emit` (`bittensor/utils/weight_utils.py`) does:
 *
 * 1. uids are sorted ascending (the SDK keeps input order; sorting fixes one order for every validator).
 * 2. When every weight is 0 the result is empty: there is nothing to set.
 * 3. Max-upscale: v = round(w * 65535 / max(w)), rounding half to even (Python's `round`), so the largest
 *    weight becomes 65535 and only ratios matter.
 * 4. uids whose v is 0 are dropped.
 *
 * The SDK computes step 3 in float (`w / max` then `* 65535`); here it is exact integer arithmetic. The two
 * agree for every integer 0 <= w <= max <= SCALE: away from a half the float error (< 2e-11) is far below
 * the gap to the nearest half (>= 1 / (2 * max)), and tests/vectors/generate_scoring.py checks all
 * 5,771,884 exact-half cases with max <= SCALE against the SDK's float expression.
 *
 * Vectors: tests/vectors/weights_u16.json.
 * @module
 */
import { SCALE } from "./fixed_point.ts";
import type { ValidationReport } from "./schemas/report.ts";

/** The largest u16, which the largest weight becomes. */
export const U16_MAX = 65_535;

/** One uid's fixed-point weight. */
export interface UidWeight {
  uid: number;
  weight: number;
}

/** The vectors of a `set_weights` call: uids ascending and their u16 values, none of them 0. */
export interface U16Weights {
  uids: number[];
  weights: number[];
}

/** round(numerator / denominator), half to even, for non-negative integers (denominator > 0). */
export function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const q = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  if (twiceRemainder > denominator) return q + 1n;
  if (twiceRemainder < denominator) return q;
  return q % 2n === 0n ? q : q + 1n;
}

/**
 * Converts fixed-point weights by uid to the chain's u16 vectors (see the module doc). Throws `RangeError`
 * on a uid outside u16, a repeated uid, or a weight that is not an integer in [0, SCALE].
 */
export function toU16Weights(entries: readonly UidWeight[]): U16Weights {
  const seen = new Set<number>();
  for (const { uid, weight } of entries) {
    if (!Number.isSafeInteger(uid) || uid < 0 || uid > U16_MAX) {
      throw new RangeError(`Invalid uid: "${uid}" is not an integer in [0, ${U16_MAX}]`);
    }
    if (seen.has(uid)) throw new RangeError(`Invalid weights: uid "${uid}" appears twice`);
    seen.add(uid);
    if (!Number.isSafeInteger(weight) || weight < 0 || weight > SCALE) {
      throw new RangeError(`Invalid weight of uid ${uid}: "${weight}" is not an integer in [0, ${SCALE}]`);
    }
  }
  const sorted = [...entries].sort((a, b) => a.uid - b.uid);
  const max = sorted.reduce((m, e) => Math.max(m, e.weight), 0);
  const out: U16Weights = { uids: [], weights: [] };
  if (max === 0) return out;
  for (const { uid, weight } of sorted) {
    const v = Number(divRoundHalfEven(BigInt(weight) * BigInt(U16_MAX), BigInt(max)));
    if (v === 0) continue;
    out.uids.push(uid);
    out.weights.push(v);
  }
  return out;
}

/** The uid vector of a report: each miner's weight at its uid, plus the burn at the owner's uid. */
export function reportToU16(report: Pick<ValidationReport, "miners" | "burn">): U16Weights {
  const byUid = new Map<number, number>();
  for (const m of report.miners) {
    if (m.uid !== null && m.weight > 0) byUid.set(m.uid, (byUid.get(m.uid) ?? 0) + m.weight);
  }
  const owner = report.burn;
  if (owner && owner.weight > 0) byUid.set(owner.uid, (byUid.get(owner.uid) ?? 0) + owner.weight);
  return toU16Weights([...byUid].map(([uid, weight]) => ({ uid, weight })));
}
