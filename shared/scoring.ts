/**
 * zipmine-scoring-v2: from the facts a validator established about each miner to verdicts and weights.
 * Every value is integer fixed point (`fixed_point.ts`, SCALE = 1_000_000 = 1.0) and every division rounds
 * down, so validators holding the same facts publish byte-identical scores and weights.
 *
 * Specification (S, Q, V = SCORE_SPEED/QUALITY/VOLUME_PERCENT, summing to 100):
 *
 * 1. Zero gate. A miner scores 0 (components, score and weight all 0, no rank) when `zeroReason` is set
 *    (fake listing, wrong nonce, unassigned ZIP, time outside the epoch, manifest mismatch, late upload,
 *    duplicates inflating volume, no submission, ...) or when any spot check came back `invalid`: one
 *    confirmed fabrication zeroes the miner, whatever else it did.
 * 2. Speed is earned per listing delivered. earliness(t) = SCALE at or before `startMs`, 0 at or after
 *    `deadlineMs`, linear between, on a server receipt time t: floor((deadlineMs - t) * SCALE /
 *    (deadlineMs - startMs)). Each delivery d (one signed part with its own receipt; the caller credits
 *    each valid listing to the earliest part holding it) brings n_dz listings of ZIP z. In receipt order
 *    (earliest first), delivery d is credited c_dz = min(n_dz, left_z) with left_z starting at
 *    min(valid_z, expected_z) and reduced by each credit. speed = floor(sum_d sum_z c_dz * earliness(t_d) /
 *    sum_z expected_z) over assigned ZIPs, 0 when sum_z expected_z = 0. A complete delivery at t earns
 *    earliness(t); 10 % of the assignment delivered at once earns at most 10 % of the speed credit.
 *    Without `deliveries`, one delivery of `uniqueValidPerZip` at `receivedAtMs` (none when null).
 * 3. passRate = floor(valid * SCALE / (valid + invalid)); `unknown` checks (the validator could not tell)
 *    never count. With no conclusive check passRate = SCALE: no evidence against the miner, and the
 *    validator's failed fetches must not cost it anything.
 *    quality = floor(passRate * completeness / SCALE).
 * 4. volume = min(SCALE, floor(SCALE * sum_z min(valid_z, cap_z) / sum_z expected_z)) over the epoch's
 *    assigned ZIPs z, where valid_z counts unique valid listings for sale at scrape time (the caller counts
 *    only `FOR_SALE_STATUSES`, `schemas/listing.ts`; duplicates never add) and
 *    cap_z = floor(expected_z * (100 + tolerancePercent) / 100). ZIPs outside the assignment add nothing;
 *    0 when sum_z expected_z = 0.
 * 5. composite = floor((S * speed + Q * quality + V * volume) / 100). A miner past the gate with
 *    composite 0 is not ranked either ("nothing earned").
 * 6. Rank. Miners with composite > 0 are ranked 1, 2, ...: first those with at least
 *    `minConclusiveChecks` conclusive spot checks (valid + invalid), then the others; within each, by
 *    composite descending; ties go to the earlier receipt (a missing receipt is last), then to the smaller
 *    hotkey (UTF-16 code units).
 * 7. Weights, out of SCALE. burn = floor(SCALE * BURN_PERCENT / 100) goes to the owner uid; without an
 *    owner uid it is dropped. base = SCALE - burn. Rank r <= |TOP_SHARES| gets
 *    floor(base * TOP_SHARES[r] / 100) when the miner has the minimum of conclusive checks (so
 *    a miner whose pages all came back blocked cannot take a top share). pool = floor(base * PARTICIPATION_POOL_PERCENT / 100) is split
 *    among the other ranked miners (ranks after the top ones, and the unqualified) in proportion to composite, exactly (`splitProportionally`:
 *    floors, then leftover units to the largest remainders, ties to the better rank). Shares of missing
 *    ranks, a pool without members and a dropped burn stay unassigned: the chain normalises the vector.
 *
 * Vectors: tests/vectors/scoring.json (cross-checked by tests/vectors/generate_scoring.py).
 * @module
 */
import { mul, percentOf, ratio, SCALE, splitProportionally } from "./fixed_point.ts";
import type { UidWeight } from "./weights_u16.ts";

/** How a miner's spot checks came out. */
export interface SpotCheckTally {
  valid: number;
  invalid: number;
  /** The validator could not decide (fetch failed, blocked, ...); never counts against the miner. */
  unknown: number;
}

/** What the validator established about one miner's submission. */
export interface MinerFacts {
  hotkey: string;
  /** The miner's uid; null when it holds none (its weight is reported but cannot be set on chain). */
  uid: number | null;
  /** Why the miner scores 0 (set by the integrity, SQL and spot-check stages); null when nothing failed. */
  zeroReason: string | null;
  /** The earliest server receipt of its submission (any part), in ms; null when there is none. */
  receivedAtMs: number | null;
  /**
   * Per part receipt: the unique valid listings per ZIP first delivered by that part. Omitted: one
   * delivery of `uniqueValidPerZip` at `receivedAtMs`.
   */
  deliveries?: readonly Delivery[];
  spotChecks: SpotCheckTally;
  /** Share of rows with every quality field present, fixed point in [0, SCALE]. */
  completeness: number;
  /** Unique valid listings for sale per ZIP code (what volume and speed credit). */
  uniqueValidPerZip: Readonly<Record<string, number>>;
}

/** The listings one part (one receipt) delivered first. */
export interface Delivery {
  receivedAtMs: number;
  uniqueValidPerZip: Readonly<Record<string, number>>;
}

/** The judged epoch's facts. */
export interface EpochFacts {
  startMs: number;
  deadlineMs: number;
  /** Expected listings per assigned ZIP code. */
  expectedPerZip: Readonly<Record<string, number>>;
  /** The assignment's tolerance in whole percent. */
  tolerancePercent: number;
}

/** The reward knobs (SCORE_*_PERCENT, TOP_SHARES, PARTICIPATION_POOL_PERCENT, BURN_PERCENT). */
export interface ScoringParams {
  speedPercent: number;
  qualityPercent: number;
  volumePercent: number;
  topShares: readonly number[];
  participationPoolPercent: number;
  burnPercent: number;
  /** The subnet owner's uid that receives the burn; null drops the burn share. */
  ownerUid: number | null;
  /** Conclusive spot checks a miner needs for a top share (MIN_CONCLUSIVE_CHECKS). */
  minConclusiveChecks: number;
}

/** One miner's outcome; the scoring part of `MinerVerdict`. */
export interface ScoredMiner {
  hotkey: string;
  uid: number | null;
  components: { speed: number; quality: number; volume: number };
  score: number;
  rank: number | null;
  weight: number;
  reason: string | null;
}

/** Verdicts (ranked miners by rank, then the rest by hotkey) and weights out of SCALE. */
export interface ScoringResult {
  miners: ScoredMiner[];
  /** Weight per miner hotkey, 0 included. */
  weights: Record<string, number>;
  /** The burn: the owner uid and its weight; null when no owner uid was given. */
  owner: { uid: number; weight: number } | null;
}

/** The reason a confirmed invalid spot check gives. */
export function fabricationReason(invalid: number): string {
  return `fabricated listing confirmed: ${invalid} spot check${invalid === 1 ? "" : "s"} invalid`;
}

/** The reason of a miner that passed every check but earned nothing. */
export const NOTHING_EARNED_REASON = "nothing earned: speed, quality and volume are all 0";

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`Invalid ${name}: "${value}" is not a non-negative integer`);
  }
}

function assertPercent(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > 100) {
    throw new RangeError(`Invalid ${name}: "${value}" is not an integer percent in [0, 100]`);
  }
}

/** Earliness (rule 2): linear from SCALE at `startMs` to 0 at `deadlineMs` on one receipt time. */
export function speedScore(receivedAtMs: number | null, startMs: number, deadlineMs: number): number {
  assertCount("epoch start", startMs);
  assertCount("epoch deadline", deadlineMs);
  if (deadlineMs <= startMs) {
    throw new RangeError(`Invalid epoch: deadline "${deadlineMs}" is not after start "${startMs}"`);
  }
  if (receivedAtMs === null) return 0;
  assertCount("receipt time", receivedAtMs);
  const t = Math.min(Math.max(receivedAtMs, startMs), deadlineMs);
  return ratio(deadlineMs - t, deadlineMs - startMs);
}

/** Speed (rule 2): each credited listing earns the earliness of the receipt that delivered it. */
export function deliveredSpeed(
  deliveries: readonly Delivery[],
  uniqueValidPerZip: Readonly<Record<string, number>>,
  epoch: Pick<EpochFacts, "startMs" | "deadlineMs" | "expectedPerZip">,
): number {
  const left = new Map<string, number>();
  let expected = 0;
  for (const [zip, e] of Object.entries(epoch.expectedPerZip)) {
    assertCount(`expected listings of ${zip}`, e);
    left.set(zip, Math.min(e, uniqueValidPerZip[zip] ?? 0));
    expected += e;
  }
  const ordered = deliveries.map((d) => ({
    d,
    earliness: speedScore(d.receivedAtMs, epoch.startMs, epoch.deadlineMs),
  }))
    .sort((a, b) => b.earliness - a.earliness);
  let credit = 0n;
  for (const { d, earliness } of ordered) {
    for (const [zip, n] of Object.entries(d.uniqueValidPerZip)) {
      assertCount(`delivered listings of ${zip}`, n);
      const c = Math.min(n, left.get(zip) ?? 0);
      if (c === 0) continue;
      left.set(zip, left.get(zip)! - c);
      credit += BigInt(c) * BigInt(earliness);
    }
  }
  return expected === 0 ? 0 : Number(credit / BigInt(expected));
}

/** Quality (rule 3): pass rate of the conclusive spot checks (SCALE without any) times completeness. */
export function qualityScore(spotChecks: SpotCheckTally, completeness: number): number {
  assertCount("valid spot checks", spotChecks.valid);
  assertCount("invalid spot checks", spotChecks.invalid);
  assertCount("unknown spot checks", spotChecks.unknown);
  if (!Number.isSafeInteger(completeness) || completeness < 0 || completeness > SCALE) {
    throw new RangeError(`Invalid completeness: "${completeness}" is not fixed point in [0, ${SCALE}]`);
  }
  const conclusive = spotChecks.valid + spotChecks.invalid;
  const passRate = conclusive === 0 ? SCALE : ratio(spotChecks.valid, conclusive);
  return mul(passRate, completeness);
}

/** Volume (rule 4): capped unique valid listings over expected listings, summed over assigned ZIPs. */
export function volumeScore(
  uniqueValidPerZip: Readonly<Record<string, number>>,
  expectedPerZip: Readonly<Record<string, number>>,
  tolerancePercent: number,
): number {
  assertPercent("tolerance", tolerancePercent);
  let counted = 0;
  let expected = 0;
  for (const [zip, e] of Object.entries(expectedPerZip)) {
    assertCount(`expected listings of ${zip}`, e);
    const valid = uniqueValidPerZip[zip] ?? 0;
    assertCount(`valid listings of ${zip}`, valid);
    counted += Math.min(valid, percentOf(e, 100 + tolerancePercent));
    expected += e;
  }
  return ratio(counted, expected);
}

/** Composite (rule 5): floor((S * speed + Q * quality + V * volume) / 100). */
export function compositeScore(
  components: { speed: number; quality: number; volume: number },
  params: Pick<ScoringParams, "speedPercent" | "qualityPercent" | "volumePercent">,
): number {
  const weighted = BigInt(params.speedPercent) * BigInt(components.speed) +
    BigInt(params.qualityPercent) * BigInt(components.quality) +
    BigInt(params.volumePercent) * BigInt(components.volume);
  return Number(weighted / 100n);
}

function checkParams(params: ScoringParams): void {
  assertPercent("speed percent", params.speedPercent);
  assertPercent("quality percent", params.qualityPercent);
  assertPercent("volume percent", params.volumePercent);
  const scoreSum = params.speedPercent + params.qualityPercent + params.volumePercent;
  if (scoreSum !== 100) throw new RangeError(`Invalid score percents: they sum to ${scoreSum}, not 100`);
  params.topShares.forEach((s, i) => assertPercent(`top share ${i + 1}`, s));
  assertPercent("participation pool percent", params.participationPoolPercent);
  assertPercent("burn percent", params.burnPercent);
  const shareSum = params.topShares.reduce((a, b) => a + b, 0) + params.participationPoolPercent;
  if (shareSum > 100) throw new RangeError(`Invalid shares: top shares and pool sum to ${shareSum} > 100`);
  if (params.ownerUid !== null) assertCount("owner uid", params.ownerUid);
  assertCount("minimum conclusive checks", params.minConclusiveChecks);
}

function checkEpoch(epoch: EpochFacts): void {
  // Both validate their epoch arguments; called up front so an epoch without miners is checked too.
  speedScore(null, epoch.startMs, epoch.deadlineMs);
  volumeScore({}, epoch.expectedPerZip, epoch.tolerancePercent);
}

/** Rank order (rule 6): qualified first, composite descending, earlier receipt (none last), hotkey. */
function compareRanked(
  a: { miner: MinerFacts; score: number; qualified: boolean },
  b: { miner: MinerFacts; score: number; qualified: boolean },
): number {
  if (a.qualified !== b.qualified) return a.qualified ? -1 : 1;
  if (a.score !== b.score) return b.score - a.score;
  const ta = a.miner.receivedAtMs;
  const tb = b.miner.receivedAtMs;
  if (ta !== tb) return ta === null ? 1 : tb === null ? -1 : ta - tb;
  return a.miner.hotkey < b.miner.hotkey ? -1 : a.miner.hotkey > b.miner.hotkey ? 1 : 0;
}

/** Refuses an empty or repeated hotkey and a repeated (or malformed) uid. */
function checkMinerIds(miners: readonly MinerFacts[]): void {
  const hotkeys = new Set<string>();
  const uids = new Set<number>();
  for (const m of miners) {
    if (m.hotkey === "" || hotkeys.has(m.hotkey)) {
      throw new RangeError(`Cannot score: hotkey "${m.hotkey}" is empty or appears twice`);
    }
    hotkeys.add(m.hotkey);
    if (m.uid !== null) {
      assertCount(`uid of ${m.hotkey}`, m.uid);
      if (uids.has(m.uid)) throw new RangeError(`Cannot score: uid "${m.uid}" appears twice`);
      uids.add(m.uid);
    }
  }
}

/** One miner's components and score, zeroed with the reason when the gate or a fabrication zeroes it. */
function scoreMiner(miner: MinerFacts, epoch: EpochFacts, params: ScoringParams) {
  // Validate every miner's facts, even those the gate zeroes, so bad input never passes silently.
  speedScore(miner.receivedAtMs, epoch.startMs, epoch.deadlineMs); // validates the earliest receipt
  const deliveries = miner.deliveries ??
    (miner.receivedAtMs === null
      ? []
      : [{ receivedAtMs: miner.receivedAtMs, uniqueValidPerZip: miner.uniqueValidPerZip }]);
  const qualified = miner.spotChecks.valid + miner.spotChecks.invalid >= params.minConclusiveChecks;
  const components = {
    speed: deliveredSpeed(deliveries, miner.uniqueValidPerZip, epoch),
    quality: qualityScore(miner.spotChecks, miner.completeness),
    volume: volumeScore(miner.uniqueValidPerZip, epoch.expectedPerZip, epoch.tolerancePercent),
  };
  const reason = miner.zeroReason ??
    (miner.spotChecks.invalid > 0 ? fabricationReason(miner.spotChecks.invalid) : null);
  if (reason !== null) {
    return { miner, qualified, components: { speed: 0, quality: 0, volume: 0 }, score: 0, reason };
  }
  const score = compositeScore(components, params);
  return { miner, qualified, components, score, reason: score === 0 ? NOTHING_EARNED_REASON : null };
}

/**
 * Scores every miner of an epoch and splits the weight (see the module doc for the exact rules). The
 * result does not depend on the order of `miners`. Throws `RangeError` on malformed facts or knobs,
 * duplicate hotkeys or duplicate uids.
 */
export function scoreEpoch(
  miners: readonly MinerFacts[],
  epoch: EpochFacts,
  params: ScoringParams,
): ScoringResult {
  checkParams(params);
  checkEpoch(epoch);
  checkMinerIds(miners);
  const scored = miners.map((miner) => scoreMiner(miner, epoch, params));

  const burn = percentOf(SCALE, params.burnPercent);
  const base = SCALE - burn;
  const ranked = scored.filter((s) => s.score > 0).sort(compareRanked);
  const top = params.topShares.length;
  const topShare = (i: number) => i < top && ranked[i].qualified;
  const pool = ranked.filter((_, i) => !topShare(i));
  const poolParts = splitProportionally(
    percentOf(base, params.participationPoolPercent),
    pool.map((s) => s.score),
  );
  const poolIndex = new Map(pool.map((s, i) => [s.miner.hotkey, i]));
  const rankOf = new Map(ranked.map((s, i) => [s.miner.hotkey, i + 1]));
  const weightOf = new Map(ranked.map((s, i) => {
    const weight = topShare(i)
      ? percentOf(base, params.topShares[i])
      : poolParts[poolIndex.get(s.miner.hotkey)!];
    return [s.miner.hotkey, weight];
  }));

  const out: ScoredMiner[] = scored.map((s) => ({
    hotkey: s.miner.hotkey,
    uid: s.miner.uid,
    components: s.components,
    score: s.score,
    rank: rankOf.get(s.miner.hotkey) ?? null,
    weight: weightOf.get(s.miner.hotkey) ?? 0,
    reason: s.reason,
  }));
  out.sort((a, b) => {
    if (a.rank !== b.rank) return a.rank === null ? 1 : b.rank === null ? -1 : a.rank - b.rank;
    return a.hotkey < b.hotkey ? -1 : a.hotkey > b.hotkey ? 1 : 0;
  });
  return {
    miners: out,
    weights: Object.fromEntries(out.map((m) => [m.hotkey, m.weight])),
    owner: params.ownerUid === null ? null : { uid: params.ownerUid, weight: burn },
  };
}

/**
 * The weights by uid, sorted by uid, zeros included: every miner holding a uid plus the owner. A miner
 * without a uid is left out (its share stays unassigned); an owner uid that is also a miner's adds up.
 */
export function weightsByUid(result: ScoringResult): UidWeight[] {
  const byUid = new Map<number, number>();
  for (const m of result.miners) {
    if (m.uid !== null) byUid.set(m.uid, (byUid.get(m.uid) ?? 0) + m.weight);
  }
  if (result.owner) byUid.set(result.owner.uid, (byUid.get(result.owner.uid) ?? 0) + result.owner.weight);
  return [...byUid].sort((a, b) => a[0] - b[0]).map(([uid, weight]) => ({ uid, weight }));
}
