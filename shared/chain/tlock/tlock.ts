/**
 * Timelock encryption to a drand round (tle's `tle`/`tld` with AES-256-GCM): a fresh 32-byte key encrypts the
 * message with AES-GCM and is itself IBE-encrypted to the round's identity, so the round's beacon signature
 * is the only key that opens it.
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { decodeG1, decodeG2 } from "./arkworks.ts";
import { CIPHER_SUITE, decodeTle, encodeTle } from "./ciphertext.ts";
import { ibeDecrypt, ibeEncrypt, type Rng, roundIdentity } from "./ibe.ts";

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A ciphertext that the given signature does not open (wrong round, wrong key, or tampered bytes). */
export class TlockDecryptError extends Error {
  override name = "TlockDecryptError";
}

/** Encrypts `message` so that the beacon's signature of `round` decrypts it; `publicKey` is the 96-byte G2 key. */
export function tlockEncrypt(
  publicKey: Uint8Array,
  round: bigint,
  message: Uint8Array,
  rng: Rng,
): Uint8Array {
  const pPub = decodeG2(publicKey, "public key");
  const key = rng(32);
  const nonce = rng(NONCE_BYTES);
  if (key.length !== 32 || nonce.length !== NONCE_BYTES) throw new RangeError("rng returned too few bytes");
  const header = ibeEncrypt(key, pPub, roundIdentity(round), rng);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const ciphertext = new Uint8Array([...cipher.update(message), ...cipher.final(), ...cipher.getAuthTag()]);
  return encodeTle({ header, aes: { ciphertext, nonce }, cipherSuite: CIPHER_SUITE });
}

/** Decrypts with the round's 48-byte G1 signature; throws TlockFormatError or TlockDecryptError. */
export function tlockDecrypt(ciphertext: Uint8Array, signature: Uint8Array): Uint8Array {
  const ct = decodeTle(ciphertext);
  const key = ibeDecrypt(ct.header, decodeG1(signature, "signature"));
  if (!key) throw new TlockDecryptError("the signature does not open this ciphertext (IBE check failed)");
  const { ciphertext: sealed, nonce } = ct.aes;
  if (nonce.length !== NONCE_BYTES) throw new TlockDecryptError(`nonce of ${nonce.length} bytes, want 12`);
  if (sealed.length < TAG_BYTES) throw new TlockDecryptError("body shorter than its authentication tag");
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return new Uint8Array([
      ...decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      ...decipher.final(),
    ]);
  } catch {
    throw new TlockDecryptError("AES-GCM authentication failed");
  }
}
