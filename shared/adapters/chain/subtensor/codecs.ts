/**
 * Structural views of the codecs the subtensor adapter decodes. The API has no subtensor type
 * augmentation; every value is decoded with the node's own metadata and read through these shapes.
 * @module
 */
import { encodeAddress } from "@polkadot/util-crypto";
import { SS58_PREFIX } from "../../../signature.ts";

export interface IntCodec {
  toBigInt(): bigint;
  toNumber(): number;
}
export interface OptionCodec<T> {
  isSome: boolean;
  unwrap(): T;
}
export interface BoolCodec {
  isTrue: boolean;
}
export interface BytesCodec {
  toU8a(bare?: boolean): Uint8Array;
  toHex(): string;
}
export interface AxonInfoCodec {
  block: IntCodec;
  version: IntCodec;
  ip: IntCodec;
  port: IntCodec;
  ipType: IntCodec;
  protocol: IntCodec;
}
export interface NeuronLiteCodec {
  hotkey: BytesCodec;
  coldkey: BytesCodec;
  uid: IntCodec;
  active: BoolCodec;
  axonInfo: AxonInfoCodec;
  stake: [BytesCodec, IntCodec][];
  lastUpdate: IntCodec;
  validatorPermit: BoolCodec;
}
export interface HyperparamsCodec {
  tempo: IntCodec;
  weightsRateLimit: IntCodec;
  commitRevealWeightsEnabled: BoolCodec;
  commitRevealPeriod: IntCodec;
  weightsVersion: IntCodec;
  minAllowedWeights: IntCodec;
  maxWeightsLimit: IntCodec;
  servingRateLimit: IntCodec;
  activityCutoff: IntCodec;
  kappa: IntCodec;
}
export type WeightCommitCodec = [BytesCodec, IntCodec, IntCodec, IntCodec];

export interface DispatchErrorCodec {
  isModule: boolean;
  asModule: unknown;
  type: string;
}

/** Alpha and TAO have 9 decimals (1 alpha = 1e9 rao). */
const RAO_PER_UNIT = 1_000_000_000n;

/** Whole units of a rao amount (9 decimals), as a float. */
export function raoToUnits(rao: bigint): number {
  return Number(rao / RAO_PER_UNIT) + Number(rao % RAO_PER_UNIT) / 1e9;
}

/** The SS58 address (prefix 42) of an account id codec or raw public key. */
export const ss58 = (bytes: BytesCodec | Uint8Array): string =>
  encodeAddress(bytes instanceof Uint8Array ? bytes : bytes.toU8a(), SS58_PREFIX);

// Subtensor's own transaction extensions carry no bytes (explicit and implicit are `()`); declaring them
// tells the registry so and silences its "unknown signed extension" warning.
const ZERO_SIZED = { extrinsic: {}, payload: {} };
export const SIGNED_EXTENSIONS = {
  SudoTransactionExtension: ZERO_SIZED,
  CheckShieldedTxValidity: ZERO_SIZED,
  SubtensorTransactionExtension: ZERO_SIZED,
  DrandPriority: ZERO_SIZED,
};
