/**
 * Per-epoch values derived from the API's EPOCH_SECRET with HMAC-SHA256, so they are unpredictable without
 * the secret yet reproducible by the API at any time:
 *
 * - selection seed = HMAC(secret, epochId): seeds the ZIP draw (`selection.ts`);
 * - nonce          = first 32 hex of HMAC(secret, "nonce:" + epochId): written into every uploaded row,
 *                    proving the data was produced after the assignment was handed out;
 * - sampling seed  = HMAC(secret, "sample:" + epochId) as 64 hex: validators draw spot checks from it. It
 *                    is revealed only after the submission deadline, so miners cannot predict the sample;
 * - seed commitment = SHA-256 of the sampling seed's 32 raw bytes, hex: published with the epoch, so anyone
 *                    can check the revealed seed against it.
 *
 * The API stores nonce and sampling seed in the epoch plan when it creates it, so rotating the secret only
 * changes future epochs. Vectors: tests/vectors/epoch_secrets.json.
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** Hex length of a nonce (128 bits; the RESI API used 16). */
export const NONCE_HEX_CHARS = 32;

function hmac(secret: string, message: string): Buffer {
  if (secret.length === 0) throw new RangeError("Cannot derive epoch values: the secret is empty");
  return createHmac("sha256", secret).update(message).digest();
}

/** The 32-byte seed of the epoch's ZIP selection. */
export function selectionSeed(secret: string, epochId: string): Uint8Array {
  return new Uint8Array(hmac(secret, epochId));
}

/** The epoch nonce every row must carry. */
export function epochNonce(secret: string, epochId: string): string {
  return hmac(secret, `nonce:${epochId}`).toString("hex").slice(0, NONCE_HEX_CHARS);
}

/** The validators' sampling seed (64 hex), secret until the submission deadline. */
export function samplingSeed(secret: string, epochId: string): string {
  return hmac(secret, `sample:${epochId}`).toString("hex");
}

/** The public commitment to a sampling seed: SHA-256 of its raw bytes, hex. */
export function seedCommitment(seedHex: string): string {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) {
    throw new SyntaxError(`Cannot commit to seed "${seedHex}": expected 64 hex`);
  }
  return createHash("sha256").update(Buffer.from(seedHex, "hex")).digest("hex");
}

/** True when `seedHex` is the seed behind `commitment`. */
export function verifySeed(seedHex: string, commitment: string): boolean {
  return /^[0-9a-f]{64}$/.test(seedHex) && seedCommitment(seedHex) === commitment;
}

/**
 * The seed of the API's signing key when API_SIGNING_SEED is not set: HMAC(secret, "api-signing-key"), so
 * a deployment gets a stable key without a second secret, and the key reveals nothing about the secret.
 */
export function apiSigningSeed(secret: string): Uint8Array {
  return new Uint8Array(hmac(secret, "api-signing-key"));
}

/** Constant-time string equality, for comparing a claimed nonce with the real one. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
