/**
 * Boneh-Franklin FullIdent IBE as the tle crate builds it on drand quicknet ("TinyBLS381": signatures and
 * identities in G1, the beacon key in G2). The encrypted message is the 32-byte AES key of the body.
 *
 *   encrypt: t random, sigma = H4(t), r = H3(sigma, m), U = rG2, V = sigma ^ H2(e(Q_id, r P_pub)), W = m ^ H4(sigma)
 *   decrypt: sigma = V ^ H2(e(sig, U)), m = W ^ H4(sigma), and U == H3(sigma, m) G2 or it fails
 *
 * H2 is sha256 of the arkworks-serialised pairing value, H3 sha256(a || b) read big-endian mod r, H4 sha256.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { createHash } from "node:crypto";
import { concat, encodeFrLe, encodeGt, type G1Point, type G2Point } from "./arkworks.ts";

/** Injected randomness: n fresh random bytes per call (crypto.getRandomValues in production). */
export type Rng = (n: number) => Uint8Array;

/** The hash-to-G1 domain of drand quicknet (bls-unchained-g1-rfc9380), also tle's QUICKNET_CTX. */
export const QUICKNET_DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

const Fr = bls12_381.fields.Fr;

export interface IbeCiphertext {
  u: G2Point;
  v: Uint8Array;
  w: Uint8Array;
}

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/** The message drand quicknet signs for a round: sha256 of the round as u64 big-endian. */
export function roundMessage(round: bigint): Uint8Array {
  if (round < 0n || round >= 1n << 64n) throw new RangeError(`round ${round} is not a u64`);
  const be = new Uint8Array(8);
  new DataView(be.buffer).setBigUint64(0, round, false);
  return sha256(be);
}

/** The IBE public key of a round: the round message hashed to G1 (what the beacon signs). */
export function roundIdentity(round: bigint): G1Point {
  return bls12_381.G1.hashToCurve(roundMessage(round), { DST: QUICKNET_DST }) as unknown as G1Point;
}

function xor32(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = a[i] ^ b[i];
  return out;
}

function h2(sig: G1Point, pk: G2Point): Uint8Array {
  return sha256(encodeGt(bls12_381.pairing(sig, pk)));
}

function h3(sigma: Uint8Array, message: Uint8Array): bigint {
  let x = 0n;
  for (const byte of sha256(concat(sigma, message))) x = (x << 8n) | BigInt(byte);
  return Fr.create(x);
}

function randomScalar(rng: Rng): bigint {
  // 64 bytes reduced mod r: bias under 2^-250, and t only seeds sigma.
  let x = 0n;
  for (const byte of rng(64)) x = (x << 8n) | BigInt(byte);
  return Fr.create(x);
}

export function ibeEncrypt(message: Uint8Array, pPub: G2Point, identity: G1Point, rng: Rng): IbeCiphertext {
  if (message.length !== 32) throw new RangeError("the IBE message is a 32-byte key");
  const sigma = sha256(encodeFrLe(randomScalar(rng)));
  const r = h3(sigma, message);
  if (r === 0n) throw new Error("degenerate IBE randomness"); // probability 2^-255
  const u = bls12_381.G2.Point.BASE.multiply(r);
  const v = xor32(sigma, h2(identity, pPub.multiply(r)));
  const w = xor32(message, sha256(sigma));
  return { u, v, w };
}

/** The 32-byte message, or null when the signature is not the identity's key (U fails the check). */
export function ibeDecrypt(ct: IbeCiphertext, signature: G1Point): Uint8Array | null {
  if (ct.v.length !== 32 || ct.w.length !== 32 || ct.u.is0()) return null;
  const sigma = xor32(ct.v, h2(signature, ct.u));
  const message = xor32(ct.w, sha256(sigma));
  const r = h3(sigma, message);
  if (r === 0n || !bls12_381.G2.Point.BASE.multiply(r).equals(ct.u)) return null;
  return message;
}
