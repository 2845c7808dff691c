/**
 * Simulated zpids: an invertible scramble of (arrival day, ZIP, arrival index), so a detail page can be
 * served for any zpid without a global table, and zpids never collide across ZIPs or days.
 * @module
 */

/** Milliseconds in one UTC day. */
export const DAY_MS = 86_400_000;
/** Day 0 of the simulated calendar; listings can arrive from here up to `MAX_DAYS` later (early 2035). */
export const DAY0_MS = Date.UTC(2024, 0, 1);
/** Days covered by the zpid space. */
export const MAX_DAYS = 4096;
/** Arrivals one ZIP can have in one day; the arrival index must stay below this. */
export const MAX_ARRIVALS_PER_DAY = 128;

const ZIP_SPACE = 100_000;
// 2^36 > 4096 * 100000 * 128, so every (day, zip, index) fits and the scramble stays a bijection.
const SPACE_BITS = 36n;
const SPACE = 1n << SPACE_BITS;
const MASK = SPACE - 1n;
const MULTIPLIER = 0x9e3779b97n; // odd, hence invertible modulo 2^36
const SHIFT = 18n; // x ^= x >> 18 undoes itself because 2 * 18 >= 36
// Real zpids are plain digit strings; the offset keeps ours a constant 11 digits long.
const OFFSET = 10_000_000_000n;

/** Where a zpid came from: arrival day (days since `DAY0_MS`), 5-digit ZIP and arrival index that day. */
export interface ZpidOrigin {
  day: number;
  zip: string;
  index: number;
}

/** The inverse of `MULTIPLIER` modulo 2^36, by Newton iteration (each step doubles the correct bits). */
function multiplierInverse(): bigint {
  let inverse = MULTIPLIER;
  for (let i = 0; i < 6; i++) inverse = (inverse * (2n - MULTIPLIER * inverse)) & MASK;
  return inverse;
}

const INVERSE = multiplierInverse();

/** Encodes an arrival as a zpid digit string; throws a RangeError outside the zpid space. */
export function encodeZpid(origin: ZpidOrigin): string {
  const { day, zip, index } = origin;
  if (!Number.isInteger(day) || day < 0 || day >= MAX_DAYS) {
    throw new RangeError(`Cannot encode a zpid for day "${day}": expected 0 <= day < ${MAX_DAYS}`);
  }
  if (!/^\d{5}$/.test(zip)) throw new RangeError(`Cannot encode a zpid for ZIP "${zip}": expected 5 digits`);
  if (!Number.isInteger(index) || index < 0 || index >= MAX_ARRIVALS_PER_DAY) {
    throw new RangeError(`Cannot encode a zpid for index "${index}": expected < ${MAX_ARRIVALS_PER_DAY}`);
  }
  const plain = (BigInt(day) * BigInt(ZIP_SPACE) + BigInt(Number(zip))) * BigInt(MAX_ARRIVALS_PER_DAY) +
    BigInt(index);
  let x = (plain * MULTIPLIER) & MASK;
  x ^= x >> SHIFT;
  return (x + OFFSET).toString();
}

/** Decodes a zpid made by `encodeZpid`; returns null for any other digit string. */
export function decodeZpid(zpid: string): ZpidOrigin | null {
  if (!/^\d{1,15}$/.test(zpid)) return null;
  let x = BigInt(zpid) - OFFSET;
  if (x < 0n || x >= SPACE) return null;
  x ^= x >> SHIFT;
  const plain = (x * INVERSE) & MASK;
  const index = Number(plain % BigInt(MAX_ARRIVALS_PER_DAY));
  const rest = plain / BigInt(MAX_ARRIVALS_PER_DAY);
  const zipNumber = Number(rest % BigInt(ZIP_SPACE));
  const day = Number(rest / BigInt(ZIP_SPACE));
  if (day >= MAX_DAYS) return null;
  return { day, zip: String(zipNumber).padStart(5, "0"), index };
}

/** The simulated-calendar day that contains `timeMs`. */
export function dayOf(timeMs: number): number {
  return Math.floor((timeMs - DAY0_MS) / DAY_MS);
}

/** The UTC start of simulated day `day`, in epoch milliseconds. */
export function dayStartMs(day: number): number {
  return DAY0_MS + day * DAY_MS;
}
