/**
 * zipmine-sampling-v2: which of a miner's listings a validator re-scrapes (spot checks). The draw is a pure
 * function of the revealed epoch seed, the miner and its manifest, so every validator checks the same
 * listings and can publish comparable evidence, while no miner can predict its sample before the deadline.
 *
 * Specification (every PRNG call is zipmine-prng-v1 from `prng.ts`, one stream):
 *
 * 1. Seed. The PRNG seed is the 32 raw bytes of SHA-256 over the UTF-8 bytes of
 *    `epochSeed + "|" + hotkey + "|" + manifestSha256`, where `epochSeed` is the revealed sampling seed
 *    (64 lowercase hex, as `epoch_secrets.ts` derives it), `hotkey` the miner's SS58 address and
 *    `manifestSha256` the 64 lowercase hex SHA-256 of the stored manifest. No part may be empty or hold "|".
 * 2. Candidates. A = the distinct `zpids`, sorted in numeric-string order: by numeric value, then by
 *    UTF-16 code units (so "007" sorts after "7"). Input order never matters. r(z) = `reporters[z]`, how
 *    many miners that passed their checks (this one included) reported z; a zpid without an entry counts 1.
 * 3. Draw, fewest reporters first. The tiers T_1, T_2, ... group A by r ascending (each keeps A's order).
 *    For each tier in turn, while fewer than k = min(count, |A|) are drawn:
 *      draw sample(T, min(|T|, k - drawn)),
 *    where sample is the PRNG's partial Fisher-Yates over one stream:
 *      for i = 0 .. take - 1: j = i + nextBelow(n - i), swap pool[i] and pool[j]; return pool[0 .. take).
 *    The result is the concatenation in draw order. A longer count extends the same stream: the draw for
 *    count c is a prefix of the draw for any c' > c (further checks for miners with too few conclusive
 *    ones).
 *
 * Why: listings only this miner (or its colluders) reported are where fabrications live; an honest listing
 * is reported by every honest miner covering its ZIP. Colluding hotkeys sharing fakes only raise those
 * fakes to r = group size, which stays below the honest listings' r while the group is smaller than the
 * honest miners, so collusion concentrates the sample on its shared fakes instead of diluting it.
 *
 * Vectors: tests/vectors/sampling.json (cross-checked by tests/vectors/generate_scoring.py).
 * @module
 */
import { createHash } from "node:crypto";
import { createPrng } from "./prng.ts";

/** What a spot-check draw depends on. */
export interface SpotCheckDrawInput {
  /** The revealed sampling seed of the epoch, 64 lowercase hex; there is no unseeded fallback. */
  epochSeed: string;
  /** The miner's hotkey (SS58). */
  hotkey: string;
  /** SHA-256 (64 lowercase hex) of the miner's stored manifest. */
  manifestSha256: string;
  /** Every zpid the miner listed (duplicates are ignored). */
  zpids: readonly string[];
  /** How many passing miners (this one included) reported each zpid (`reporterCounts`); missing: 1. */
  reporters: Readonly<Record<string, number>>;
  /** How many listings to re-check (SPOT_CHECK_COUNT). */
  count: number;
}

const HEX64 = /^[0-9a-f]{64}$/;
const ZPID = /^\d{1,12}$/;

/** The 32-byte PRNG seed of one miner's draw: SHA-256 of `epochSeed|hotkey|manifestSha256` (UTF-8). */
export function spotCheckSeed(epochSeed: string, hotkey: string, manifestSha256: string): Uint8Array {
  if (!HEX64.test(epochSeed)) {
    throw new RangeError(`Cannot seed spot checks: epoch seed "${epochSeed}" is not 64 lowercase hex`);
  }
  if (hotkey === "" || hotkey.includes("|")) {
    throw new RangeError(`Cannot seed spot checks: hotkey "${hotkey}" is empty or holds "|"`);
  }
  if (!HEX64.test(manifestSha256)) {
    throw new RangeError(
      `Cannot seed spot checks: manifest hash "${manifestSha256}" is not 64 lowercase hex`,
    );
  }
  return new Uint8Array(createHash("sha256").update(`${epochSeed}|${hotkey}|${manifestSha256}`).digest());
}

/** Numeric-string order: by value, then by code units (only leading zeros can tie on value). */
export function compareZpids(a: string, b: string): number {
  const byValue = Number(a) - Number(b);
  if (byValue !== 0) return byValue;
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedDistinct(zpids: readonly string[]): string[] {
  for (const zpid of zpids) {
    if (!ZPID.test(zpid)) throw new RangeError(`Cannot draw spot checks: zpid "${zpid}" is not numeric`);
  }
  return [...new Set(zpids)].sort(compareZpids);
}

/** How many of `miners` reported each zpid (a miner's own repeats count once). */
export function reporterCounts(miners: readonly { zpids: readonly string[] }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of miners) for (const zpid of new Set(m.zpids)) out[zpid] = (out[zpid] ?? 0) + 1;
  return out;
}

/**
 * The zpids to re-check, in draw order: tier by tier from the listings reported by the fewest miners,
 * uniformly within a tier; never more than the miner listed. See the module doc for the exact algorithm.
 * Throws `RangeError` on a missing seed or malformed input.
 */
export function drawSpotChecks(input: SpotCheckDrawInput): string[] {
  const seed = spotCheckSeed(input.epochSeed, input.hotkey, input.manifestSha256);
  if (!Number.isSafeInteger(input.count) || input.count < 0) {
    throw new RangeError(`Cannot draw "${input.count}" spot checks: expected a non-negative integer`);
  }
  const all = sortedDistinct(input.zpids);
  const tiers = new Map<number, string[]>();
  for (const zpid of all) {
    const r = Object.hasOwn(input.reporters, zpid) ? input.reporters[zpid] : 1;
    if (!Number.isSafeInteger(r) || r < 1) {
      throw new RangeError(`Cannot draw spot checks: zpid "${zpid}" has "${r}" reporters, expected >= 1`);
    }
    const tier = tiers.get(r);
    if (tier) tier.push(zpid);
    else tiers.set(r, [zpid]);
  }
  const prng = createPrng(seed);
  const take = Math.min(input.count, all.length);
  const out: string[] = [];
  for (const r of [...tiers.keys()].sort((a, b) => a - b)) {
    if (out.length >= take) break;
    const tier = tiers.get(r)!;
    out.push(...prng.sample(tier, Math.min(tier.length, take - out.length)));
  }
  return out;
}
