/**
 * zipmine-prng-v1: the one pseudo-random generator every protocol draw uses (ZIP selection, spot-check
 * sampling, simulator inventories), so any implementation in any language reproduces the same draws.
 *
 * Specification:
 * - The seed is an arbitrary byte string S (a UTF-8 string is encoded first).
 * - Block i (i = 0, 1, 2, ...) is SHA-256(S || uint64_be(i)); the output stream is block 0, block 1, ...
 * - `nextU32` reads the next 4 stream bytes as a big-endian unsigned integer.
 * - `nextBelow(n)` is unbiased: draw u = nextU32 until u < floor(2^32 / n) * n, return u mod n.
 * - `nextFloat` is [0, 1) with 53 bits: (a >>> 5) * 2^26 + (b >>> 6), divided by 2^53, for two draws a, b.
 * - `shuffle` is Fisher-Yates from the last index down: j = nextBelow(i + 1), swap i and j.
 *
 * Test vectors: tests/vectors/prng.json (cross-checked against Python's hashlib, see tests/vectors/README.md).
 * @module
 */
import { createHash } from "node:crypto";

const TWO_POW_32 = 0x1_0000_0000;
const BLOCK_BYTES = 32;

/** A deterministic stream of pseudo-random numbers; see the module doc for the exact algorithm. */
export interface Prng {
  /** The next 32-bit unsigned integer. */
  nextU32(): number;
  /** An unbiased integer in [0, n) for 1 <= n <= 2^32. */
  nextBelow(n: number): number;
  /** A float in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** `k` distinct items of `items` in draw order (a partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[];
}

/** Returns the zipmine-prng-v1 stream for `seed`; throws on an empty seed so no draw is ever unseeded. */
export function createPrng(seed: Uint8Array | string): Prng {
  const seedBytes = typeof seed === "string" ? new TextEncoder().encode(seed) : seed;
  if (seedBytes.length === 0) throw new RangeError("Cannot create a PRNG: the seed is empty");
  const input = new Uint8Array(seedBytes.length + 8);
  input.set(seedBytes, 0);
  const counterView = new DataView(input.buffer, seedBytes.length, 8);
  let counter = 0n;
  let block: Uint8Array = new Uint8Array(0);
  let offset = BLOCK_BYTES;

  function nextByte(): number {
    if (offset === BLOCK_BYTES) {
      counterView.setBigUint64(0, counter);
      counter += 1n;
      block = createHash("sha256").update(input).digest();
      offset = 0;
    }
    return block[offset++];
  }

  function nextU32(): number {
    return ((nextByte() << 24) | (nextByte() << 16) | (nextByte() << 8) | nextByte()) >>> 0;
  }

  function nextBelow(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Cannot draw below "${n}": expected an integer in [1, 2^32]`);
    }
    const limit = Math.floor(TWO_POW_32 / n) * n;
    for (;;) {
      const u = nextU32();
      if (u < limit) return u % n;
    }
  }

  function nextFloat(): number {
    const a = nextU32() >>> 5;
    const b = nextU32() >>> 6;
    return (a * 0x400_0000 + b) / 0x20_0000_0000_0000;
  }

  function shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = nextBelow(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  function sample<T>(items: readonly T[], k: number): T[] {
    if (!Number.isInteger(k) || k < 0) throw new RangeError(`Cannot sample "${k}" items: expected k >= 0`);
    const pool = items.slice();
    const take = Math.min(k, pool.length);
    for (let i = 0; i < take; i++) {
      const j = i + nextBelow(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, take);
  }

  return { nextU32, nextBelow, nextFloat, shuffle, sample };
}
