/**
 * drand quicknet ("bls-unchained-g1-rfc9380"): the beacon that subtensor's drand pallet ingests. A pulse is
 * valid when its signature is the BLS signature (G1) of sha256(round BE) under the beacon's G2 key, which is
 * the pallet's QuicknetVerifier check; the pulse's randomness is sha256(signature).
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { decodeG1, decodeG2, TlockFormatError } from "./arkworks.ts";
import { QUICKNET_DST, roundMessage, sha256 } from "./ibe.ts";

export interface BeaconInfo {
  publicKey: Uint8Array;
  genesisTime: number;
  period: number;
}

/** quicknet as subtensor's drand pallet tests and bittensor-drand hard-code it. */
export const QUICKNET: BeaconInfo & { chainHash: string } = {
  publicKey: hexToBytes(
    "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
  ),
  genesisTime: 1692803367,
  period: 3,
  chainHash: "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
};

export interface Pulse {
  round: bigint;
  signature: Uint8Array;
}

/** True when the pulse is the beacon's signature of its round; malformed points are simply invalid. */
export function verifyPulse(publicKey: Uint8Array, pulse: Pulse): boolean {
  try {
    decodeG1(pulse.signature, "signature");
    decodeG2(publicKey, "public key");
  } catch (e) {
    if (e instanceof TlockFormatError) return false;
    throw e;
  }
  const bls = bls12_381.shortSignatures;
  return bls.verify(pulse.signature, bls.hash(roundMessage(pulse.round), QUICKNET_DST), publicKey);
}

/** drand's randomness of a pulse. */
export function pulseRandomness(signature: Uint8Array): Uint8Array {
  return sha256(signature);
}

/** The latest round emitted at or before `unixSeconds` (round 1 at genesis). */
export function roundAt(beacon: Pick<BeaconInfo, "genesisTime" | "period">, unixSeconds: number): bigint {
  if (unixSeconds < beacon.genesisTime) return 0n;
  return BigInt(Math.floor((unixSeconds - beacon.genesisTime) / beacon.period)) + 1n;
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new TlockFormatError("not hex");
  return Uint8Array.from(clean.match(/../g) ?? [], (b) => parseInt(b, 16));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The G2 public key of a beacon secret key (32 bytes, big-endian scalar): for a local beacon and tests. */
export function beaconPublicKey(secretKey: Uint8Array): Uint8Array {
  return bls12_381.shortSignatures.getPublicKey(secretKey).toBytes(true);
}

/** A beacon's pulse for `round`, as drand quicknet signs it. */
export function signRound(secretKey: Uint8Array, round: bigint): Pulse {
  const bls = bls12_381.shortSignatures;
  return { round, signature: bls.sign(bls.hash(roundMessage(round), QUICKNET_DST), secretKey).toBytes(true) };
}
