/**
 * The arkworks `CanonicalSerialize` (compressed) encodings that the tle crate's types use on the wire:
 * `Vec<u8>` as a u64 little-endian length and the bytes, field elements little-endian, curve points in the
 * zcash format (48-byte G1, 96-byte G2 with the flag bits in the first byte), which is also noble's format.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";

export const G1_BYTES = 48;
export const G2_BYTES = 96;
const FP_BYTES = 48;

export type G1Point = InstanceType<typeof bls12_381.G1.Point>;
export type G2Point = InstanceType<typeof bls12_381.G2.Point>;
type Fp12 = ReturnType<typeof bls12_381.pairing>;

/** A reader over bytes that fails with a named field instead of reading past the end. */
export class ByteReader {
  #offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  take(n: number, what: string): Uint8Array {
    if (n < 0 || this.#offset + n > this.bytes.length) {
      throw new TlockFormatError(`${what}: needs ${n} bytes at ${this.#offset}, have ${this.bytes.length}`);
    }
    const out = this.bytes.subarray(this.#offset, this.#offset + n);
    this.#offset += n;
    return out;
  }

  /** An arkworks `Vec<u8>`: u64 LE length, then the bytes. */
  vec(what: string, maxLen = 1 << 20): Uint8Array {
    const len = new DataView(this.take(8, `${what} length`).slice().buffer).getBigUint64(0, true);
    if (len > BigInt(maxLen)) throw new TlockFormatError(`${what}: length ${len} over ${maxLen}`);
    return this.take(Number(len), what);
  }

  end(what: string): void {
    if (this.#offset !== this.bytes.length) {
      throw new TlockFormatError(`${what}: ${this.bytes.length - this.#offset} trailing bytes`);
    }
  }
}

/** Bytes that do not parse as the expected arkworks/tle structure. */
export class TlockFormatError extends Error {
  override name = "TlockFormatError";
}

export function encodeVec(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + bytes.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(bytes.length), true);
  out.set(bytes, 8);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function fpLe(x: bigint): Uint8Array {
  const out = new Uint8Array(FP_BYTES);
  for (let i = 0; i < FP_BYTES; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/**
 * A pairing value as arkworks serialises `Fp12 = Fp6[w]`, `Fp6 = Fp2[v]`, `Fp2 = Fp[u]`: coefficients c0
 * before c1 (before c2) at every level, each base field element 48 bytes little-endian, 576 bytes in all.
 */
export function encodeGt(f: Fp12): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const fp6 of [f.c0, f.c1]) {
    for (const fp2 of [fp6.c0, fp6.c1, fp6.c2]) parts.push(fpLe(fp2.c0), fpLe(fp2.c1));
  }
  return concat(...parts);
}

/** A scalar as arkworks serialises `Fr`: 32 bytes little-endian. */
export function encodeFrLe(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** A compressed G1 point, on the curve and in the prime-order subgroup (arkworks validates the same). */
export function decodeG1(bytes: Uint8Array, what: string): G1Point {
  if (bytes.length !== G1_BYTES) {
    throw new TlockFormatError(`${what}: ${bytes.length} bytes, want ${G1_BYTES}`);
  }
  try {
    const p = bls12_381.G1.Point.fromBytes(bytes);
    p.assertValidity();
    return p;
  } catch (e) {
    throw new TlockFormatError(`${what}: not a G1 point (${(e as Error).message})`);
  }
}

/** A compressed G2 point, on the curve and in the prime-order subgroup. */
export function decodeG2(bytes: Uint8Array, what: string): G2Point {
  if (bytes.length !== G2_BYTES) {
    throw new TlockFormatError(`${what}: ${bytes.length} bytes, want ${G2_BYTES}`);
  }
  try {
    const p = bls12_381.G2.Point.fromBytes(bytes);
    p.assertValidity();
    return p;
  } catch (e) {
    throw new TlockFormatError(`${what}: not a G2 point (${(e as Error).message})`);
  }
}
