/**
 * zipmine-selection-v1: which ZIP codes an epoch assigns. The draw is a pure function of the universe, the
 * options and the seed (the API uses HMAC(EPOCH_SECRET, epochId)), so it can be recomputed and audited.
 * Unlike the RESI API, which stops only after overshooting, the total always lands inside the band when
 * any subset of the eligible ZIPs can.
 *
 * Specification (every PRNG call is zipmine-prng-v1 from `prng.ts`, one stream seeded with `seed`):
 *
 * 1. Band. lo = max(1, ceil(T * (100 - p) / 100)), hi = floor(T * (100 + p) / 100) for target T and
 *    tolerance p (integers). A total t is inside when lo <= t <= hi.
 * 2. Eligible set E. A record is eligible when `active`, minListings <= expectedListings <= maxListings,
 *    its state is in `states` (an absent or empty list allows every state), and it is off cooldown: it has
 *    no `lastAssigned` entry or now - lastAssigned >= cooldownMs. E is sorted by `zipcode` (ascending UTF-16
 *    code units), so the universe's order never matters; duplicate ZIPs are an error.
 * 3. Draw attempts a = 1 .. SELECTION_ATTEMPTS (4), each on a fresh pool, continuing the one stream:
 *    pool = copy of E; total = 0; picked = [].
 *    While total < lo and the pool is not empty:
 *      j = nextBelow(pool.length); z = pool[j]; pool[j] = pool[last]; pop the last element;
 *      if total + z.expectedListings <= hi: append z to picked, total += z.expectedListings
 *      (otherwise z is skipped for this attempt).
 *    The first attempt ending with total >= lo is the result (draw order = `picked`).
 * 4. Repair, when every attempt ended below lo. Let W = the members of E with expectedListings <= hi.
 *    If sum(W) < lo, or |W| * (hi + 1) > REPAIR_BUDGET (2^25), skip to 5. Otherwise:
 *      order = shuffle(copy of W) (the PRNG's Fisher-Yates, continuing the stream);
 *      via[0] = set (the empty subset reaches 0), via[s] = none for 1 <= s <= hi;
 *      for k = 0 .. |order| - 1 with w = order[k].expectedListings,
 *        for s = hi down to w: if via[s] is none and via[s - w] is set, via[s] = k;
 *      s* = the reachable s in [lo, hi] nearest to T (ties: the smaller s); when none is reachable, s* is
 *      the largest reachable s (< lo) and the target is missed;
 *      picked = while s > 0: take order[via[s]], s -= its expectedListings; draw order = picked sorted by
 *      k ascending. (Each via[s - w] was set by an item before k, so no item is taken twice.)
 * 5. Miss without repair: the attempt with the largest total (the earliest on ties) is returned.
 *
 * `targetMissed` is true exactly when the returned total is outside [lo, hi]; it is then always below lo.
 * @module
 */
import { createPrng, type Prng } from "./prng.ts";
import type { ZipRecord } from "./schemas/zip_universe.ts";

/** Random draw attempts before the exact repair step. */
export const SELECTION_ATTEMPTS = 4;
/** Upper bound on |W| * (hi + 1), the repair step's work; beyond it the best attempt is returned. */
export const REPAIR_BUDGET = 2 ** 25;

/** Inputs of one selection besides the universe. */
export interface SelectionOptions {
  /** The PRNG seed; the API derives it as HMAC(EPOCH_SECRET, epochId). */
  seed: Uint8Array;
  /** Expected listings the selection aims at (TARGET_LISTINGS). */
  targetListings: number;
  /** Allowed deviation in whole percent (TOLERANCE_PERCENT). */
  tolerancePercent: number;
  /** ZIPs expected to hold fewer listings are not eligible (MIN_ZIPCODE_LISTINGS). */
  minListings: number;
  /** ZIPs expected to hold more listings are not eligible (MAX_ZIPCODE_LISTINGS). */
  maxListings: number;
  /** A ZIP assigned less than this long before `now` is not eligible (COOLDOWN_HOURS in ms). */
  cooldownMs: number;
  /** The moment the selection is for, in ms (the API passes the epoch start). */
  now: number;
  /** When each ZIP was last assigned, in ms. */
  lastAssigned: ReadonlyMap<string, number>;
  /** Allowed states; absent or empty allows all. */
  states?: readonly string[];
}

/** The outcome of one selection. */
export interface SelectionResult {
  /** The selected ZIPs in draw order. */
  zipcodes: ZipRecord[];
  /** Sum of their expected listings. */
  totalExpected: number;
  /** True when no subset of the eligible ZIPs could be found inside the band. */
  targetMissed: boolean;
  /** How many ZIPs were eligible. */
  eligibleCount: number;
}

function assertInteger(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Cannot select ZIP codes with ${name} "${value}": expected an integer >= ${min}`);
  }
}

function checkOptions(o: SelectionOptions): void {
  assertInteger("targetListings", o.targetListings, 1);
  assertInteger("tolerancePercent", o.tolerancePercent, 0);
  if (o.tolerancePercent > 100) {
    throw new RangeError(
      `Cannot select ZIP codes with tolerancePercent "${o.tolerancePercent}": expected at most 100`,
    );
  }
  assertInteger("minListings", o.minListings, 0);
  assertInteger("maxListings", o.maxListings, o.minListings);
  if (!Number.isFinite(o.cooldownMs) || o.cooldownMs < 0) {
    throw new RangeError(`Cannot select ZIP codes with cooldownMs "${o.cooldownMs}": expected a number >= 0`);
  }
  if (!Number.isFinite(o.now)) {
    throw new RangeError(`Cannot select ZIP codes with now "${o.now}": expected a finite number`);
  }
}

/** The inclusive band [lo, hi] a selection's total must land in (step 1 of the module doc). */
export function selectionBand(targetListings: number, tolerancePercent: number): { lo: number; hi: number } {
  // Integer products stay exact; dividing by 100 cannot round across an integer boundary.
  const lo = Math.max(1, Math.ceil((targetListings * (100 - tolerancePercent)) / 100));
  const hi = Math.floor((targetListings * (100 + tolerancePercent)) / 100);
  return { lo, hi };
}

/** The eligible records, sorted by zipcode (step 2). */
function eligibleRecords(universe: readonly ZipRecord[], o: SelectionOptions): ZipRecord[] {
  const states = o.states && o.states.length > 0 ? new Set(o.states) : null;
  const checkCooldown = o.lastAssigned.size > 0;
  const out: ZipRecord[] = [];
  let sorted = true;
  for (const z of universe) {
    const n = z.expectedListings;
    if (!z.active || n < o.minListings || n > o.maxListings) continue;
    if (states !== null && !states.has(z.state)) continue;
    if (checkCooldown) {
      const last = o.lastAssigned.get(z.zipcode);
      if (last !== undefined && !(o.now - last >= o.cooldownMs)) continue;
    }
    if (sorted && out.length > 0 && out[out.length - 1].zipcode >= z.zipcode) sorted = false;
    out.push(z);
  }
  // The default table is already sorted; checking first spares the sort on the hot path.
  if (!sorted) out.sort((a, b) => (a.zipcode < b.zipcode ? -1 : a.zipcode > b.zipcode ? 1 : 0));
  for (let i = 1; i < out.length; i++) {
    if (out[i].zipcode === out[i - 1].zipcode) {
      throw new RangeError(
        `Cannot select from a universe with ZIP "${out[i].zipcode}" twice: expected unique ZIPs`,
      );
    }
  }
  return out;
}

/** One draw attempt (step 3): uniform draws without replacement, skipping ZIPs that would overshoot hi. */
function drawAttempt(eligible: readonly ZipRecord[], prng: Prng, lo: number, hi: number) {
  const pool = eligible.slice();
  const picked: ZipRecord[] = [];
  let total = 0;
  while (total < lo && pool.length > 0) {
    const j = prng.nextBelow(pool.length);
    const z = pool[j];
    pool[j] = pool[pool.length - 1];
    pool.pop();
    if (total + z.expectedListings <= hi) {
      picked.push(z);
      total += z.expectedListings;
    }
  }
  return { picked, total };
}

/** The exact repair (step 4): a subset-sum over a shuffled order; null when skipped. */
function repair(eligible: readonly ZipRecord[], prng: Prng, lo: number, hi: number, target: number) {
  const fitting = eligible.filter((z) => z.expectedListings <= hi);
  const sum = fitting.reduce((a, z) => a + z.expectedListings, 0);
  if (sum < lo || fitting.length * (hi + 1) > REPAIR_BUDGET) return null;
  const order = prng.shuffle(fitting.slice());
  // via[s]: index in `order` of the item that first made s reachable; -1 none, -2 for s = 0.
  const via = new Int32Array(hi + 1).fill(-1);
  via[0] = -2;
  for (let k = 0; k < order.length; k++) {
    const w = order[k].expectedListings;
    for (let s = hi; s >= w; s--) {
      if (via[s] === -1 && via[s - w] !== -1) via[s] = k;
    }
  }
  let best = -1;
  for (let s = lo; s <= hi; s++) {
    if (via[s] !== -1 && (best === -1 || Math.abs(s - target) < Math.abs(best - target))) best = s;
  }
  if (best === -1) {
    for (let s = lo - 1; s >= 0 && best === -1; s--) if (via[s] !== -1) best = s;
  }
  const ks: number[] = [];
  for (let s = best; s > 0;) {
    const k = via[s];
    ks.push(k);
    s -= order[k].expectedListings;
  }
  ks.sort((a, b) => a - b);
  return { picked: ks.map((k) => order[k]), total: best };
}

/**
 * Selects the epoch's ZIP codes from `universe` as the module doc specifies: deterministic in the seed and
 * the options, independent of the universe's order, and inside the band whenever the eligible ZIPs allow.
 */
export function selectZipcodes(universe: readonly ZipRecord[], options: SelectionOptions): SelectionResult {
  checkOptions(options);
  const { lo, hi } = selectionBand(options.targetListings, options.tolerancePercent);
  const eligible = eligibleRecords(universe, options);
  const prng = createPrng(options.seed);
  const result = (picked: ZipRecord[], total: number): SelectionResult => ({
    zipcodes: picked,
    totalExpected: total,
    targetMissed: total < lo || total > hi,
    eligibleCount: eligible.length,
  });

  let best: { picked: ZipRecord[]; total: number } | null = null;
  for (let attempt = 0; attempt < SELECTION_ATTEMPTS; attempt++) {
    const drawn = drawAttempt(eligible, prng, lo, hi);
    if (drawn.total >= lo) return result(drawn.picked, drawn.total);
    if (best === null || drawn.total > best.total) best = drawn;
    // Having taken every eligible ZIP, later attempts repeat the total and the repair is skipped (sum < lo),
    // so stopping early changes no result.
    if (drawn.picked.length === eligible.length) break;
  }
  const repaired = repair(eligible, prng, lo, hi, options.targetListings);
  if (repaired !== null) return result(repaired.picked, repaired.total);
  return result(best?.picked ?? [], best?.total ?? 0);
}

/**
 * The seed as the unsigned 32-bit number RESI clients show as `selectionSeed`: its first 4 bytes, big-endian.
 * It identifies the draw in logs; the full seed stays secret.
 */
export function selectionSeedNumber(seed: Uint8Array): number {
  if (seed.length < 4) {
    throw new RangeError(`Cannot read a selection seed of ${seed.length} bytes: expected at least 4`);
  }
  return ((seed[0] << 24) | (seed[1] << 16) | (seed[2] << 8) | seed[3]) >>> 0;
}
