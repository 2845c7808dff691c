/**
 * zipmine-sampling-v1: which of a miner's listings a validator re-scrapes (spot checks). The draw is a pure
 * function of the revealed epoch seed, the miner and its manifest, so every validator checks the same
 * listings and can publish comparable evidence, while no miner can predict its sample before the deadline.
 *
 * Specification (every PRNG call is zipmine-prng-v1 from `prng.ts`, one stream):
 *
 * 1. Seed. The PRNG seed is the 32 raw bytes of SHA-256 over the UTF-8 bytes of
 *    `epochSeed + "|" + hotkey + "|" + manifestSha256`, where `epochSeed` is the revealed sampling seed
 *    (64 lowercase hex, as `epoch_secrets.ts` derives it), `hotkey` the miner's SS58 address and
 *    `manifestSha256` the 64 lowercase hex SHA-256 of the stored manifest. No part may be empty or hold "|".
 * 2. Candidates. A = the distinct `zpids`, U = the distinct `uniqueZpids` (listings no other miner
 *    reported; U must lie within A). Both are sorted in numeric-string order: by numeric value, then by
 *    UTF-16 code units (so "007" sorts after "7"). Input order never matters.
 * 3. Draw. k = min(count, |A|), u = min(|U|, ceil(count / 2)).
 *    first  = sample(U, u);                          // fabrications are unique by construction
 *    rest   = A without `first`, still sorted;
 *    second = sample(rest, k - u);
 *    result = first followed by second (draw order), where sample is the PRNG's partial Fisher-Yates:
 *    for i = 0 .. take - 1: j = i + nextBelow(n - i), swap pool[i] and pool[j]; return pool[0 .. take).
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
  /** The miner's zpids that no other miner reported; a subset of `zpids`. */
  uniqueZpids: readonly string[];
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

/**
 * The zpids to re-check, in draw order: first min(|unique|, ceil(count / 2)) of the listings no other
 * miner reported, then the rest uniformly from all remaining listings; never more than the miner listed.
 * See the module doc for the exact algorithm. Throws `RangeError` on a missing seed or malformed input.
 */
export function drawSpotChecks(input: SpotCheckDrawInput): string[] {
  const seed = spotCheckSeed(input.epochSeed, input.hotkey, input.manifestSha256);
  if (!Number.isSafeInteger(input.count) || input.count < 0) {
    throw new RangeError(`Cannot draw "${input.count}" spot checks: expected a non-negative integer`);
  }
  const all = sortedDistinct(input.zpids);
  const unique = sortedDistinct(input.uniqueZpids);
  const listed = new Set(all);
  const stray = unique.find((zpid) => !listed.has(zpid));
  if (stray !== undefined) {
    throw new RangeError(`Cannot draw spot checks: unique zpid "${stray}" is not among the miner's zpids`);
  }
  const prng = createPrng(seed);
  const take = Math.min(input.count, all.length);
  const first = prng.sample(unique, Math.min(unique.length, Math.ceil(input.count / 2)));
  const drawn = new Set(first);
  const rest = all.filter((zpid) => !drawn.has(zpid));
  return [...first, ...prng.sample(rest, take - first.length)];
}
