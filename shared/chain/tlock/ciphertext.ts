/**
 * The tle `TLECiphertext<TinyBLS381>` wire layout of the revision subtensor pins (ideal-lab5/timelock
 * 5416406c), arkworks compressed:
 *
 *   header.u  G2 compressed (96)        header.v  Vec<u8> (8 + 32)     header.w  Vec<u8> (8 + 32)
 *   body      Vec<u8> holding AESOutput { ciphertext: Vec<u8> (AES-GCM output with its 16-byte tag),
 *                                         nonce: Vec<u8> (12) }
 *   cipher_suite  Vec<u8> = "AES_GCM_"
 */
import { ByteReader, concat, decodeG2, encodeVec, TlockFormatError } from "./arkworks.ts";
import type { IbeCiphertext } from "./ibe.ts";

export const CIPHER_SUITE = new TextEncoder().encode("AES_GCM_");
/** A weights payload is a few KiB at most; the chain bounds commits far below this. */
const MAX_BODY = 1 << 20;

export interface TleCiphertext {
  header: IbeCiphertext;
  aes: { ciphertext: Uint8Array; nonce: Uint8Array };
  cipherSuite: Uint8Array;
}

export function encodeTle(ct: TleCiphertext): Uint8Array {
  const body = concat(encodeVec(ct.aes.ciphertext), encodeVec(ct.aes.nonce));
  return concat(
    ct.header.u.toBytes(true),
    encodeVec(ct.header.v),
    encodeVec(ct.header.w),
    encodeVec(body),
    encodeVec(ct.cipherSuite),
  );
}

/** Parses the whole buffer (trailing bytes are refused) or throws a TlockFormatError naming the field. */
export function decodeTle(bytes: Uint8Array): TleCiphertext {
  const r = new ByteReader(bytes);
  const u = decodeG2(r.take(96, "header.u"), "header.u");
  const v = r.vec("header.v", 64);
  const w = r.vec("header.w", 64);
  const body = new ByteReader(r.vec("body", MAX_BODY));
  const ciphertext = body.vec("body.ciphertext", MAX_BODY);
  const nonce = body.vec("body.nonce", 64);
  body.end("body");
  const cipherSuite = r.vec("cipher_suite", 64);
  r.end("ciphertext");
  if (!sameBytes(cipherSuite, CIPHER_SUITE)) {
    throw new TlockFormatError(
      `cipher_suite: unsupported ${JSON.stringify(new TextDecoder().decode(cipherSuite))}`,
    );
  }
  return { header: { u, v, w }, aes: { ciphertext, nonce }, cipherSuite };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
