/**
 * The subtensor weight rules the local chain emulates, as pure functions: the checks of `set_weights` in
 * the chain's order with its error names, max-upscaling, the legacy epoch index, the commit-reveal windows
 * and the CRv2 commit hash. Source: `pallets/subtensor/src/subnets/weights.rs` (see
 * shared/reference/bittensor-protocol.md §3.3-3.6).
 * @module
 */
import { compactToU8a, u8aConcat, u8aToHex } from "@polkadot/util";
import { blake2AsU8a, decodeAddress } from "@polkadot/util-crypto";

/** The largest u16: a weight of 1.0, and the denominator of kappa and the max weight limit. */
export const U16_MAX = 65_535;

/** Unrevealed commits one hotkey may hold (the chain's constant). */
export const MAX_UNREVEALED_COMMITS = 10;

/** The chain's error names that a weight-setting call can end with here. */
export type WeightsError =
  | "BadProof"
  | "SubNetworkDoesNotExist"
  | "WeightVecNotEqualSize"
  | "UidsLengthExceedUidsInSubNet"
  | "HotKeyNotRegisteredInSubNet"
  | "NotEnoughStakeToSetWeights"
  | "IncorrectWeightVersionKey"
  | "SettingWeightsTooFast"
  | "CommittingWeightsTooFast"
  | "NeuronNoValidatorPermit"
  | "DuplicateUids"
  | "UidVecContainInvalidOne"
  | "WeightVecLengthIsLow"
  | "MaxWeightExceeded"
  | "CommitRevealDisabled"
  | "TooManyUnrevealedCommits"
  | "NoWeightsCommitFound"
  | "ExpiredWeightCommit"
  | "RevealTooEarly"
  | "InvalidRevealCommitHashNotMatch"
  | "IncorrectCommitRevealVersion"
  | "InvalidRevealRound"
  | "CommitRevealEnabled";

/** The hyperparameters the checks read. */
export interface WeightRuleParams {
  weightsRateLimit: number;
  weightsVersionKey: number;
  minAllowedWeights: number;
  maxWeightLimit: number;
  /** Whole alpha a hotkey needs to set weights (the subnet owner is exempt). */
  stakeThreshold: number;
}

/** The caller's neuron as the checks see it. */
export interface WeightRuleNeuron {
  uid: number;
  stake: number;
  validatorPermit: boolean;
  /** Block of the last weight setting or commit; null when never (the chain's 0). */
  lastUpdate: number | null;
}

/** Everything one weight check needs. */
export interface WeightCheckInput {
  params: WeightRuleParams;
  /** Registered uids on the subnet (SubnetworkN); valid uids are 0..subnetN-1. */
  subnetN: number;
  /** Null when the signer is not registered. */
  neuron: WeightRuleNeuron | null;
  /** The signer is the subnet owner's hotkey: no stake threshold, no permit needed. */
  isOwner: boolean;
  block: number;
  uids: readonly number[];
  values: readonly number[];
  versionKey: number;
  /** Which rate-limit error applies; null skips the check (a reveal with commit-reveal on). */
  rateLimit: "SettingWeightsTooFast" | "CommittingWeightsTooFast" | null;
}

/** A passed check carries the max-upscaled values the chain stores. */
export type WeightCheckResult = { ok: true; values: number[] } | { ok: false; error: WeightsError };

/** Throws a RangeError unless every entry is a u16, as the SCALE encoder of a real client would. */
export function assertU16Vector(name: string, vector: readonly number[]): void {
  for (const v of vector) {
    if (!Number.isInteger(v) || v < 0 || v > U16_MAX) {
      throw new RangeError(`Cannot encode ${name}: "${v}" is not a u16`);
    }
  }
}

/**
 * Runs `do_set_weights`' checks in the chain's order and returns the first failure, or the max-upscaled
 * values. The subnet's existence and the signature are the caller's business.
 */
export function checkWeights(input: WeightCheckInput): WeightCheckResult {
  const { params, neuron, uids, values } = input;
  const fail = (error: WeightsError): WeightCheckResult => ({ ok: false, error });
  if (uids.length !== values.length) return fail("WeightVecNotEqualSize");
  if (uids.length > input.subnetN) return fail("UidsLengthExceedUidsInSubNet");
  if (!neuron) return fail("HotKeyNotRegisteredInSubNet");
  if (!input.isOwner && neuron.stake < params.stakeThreshold) return fail("NotEnoughStakeToSetWeights");
  if (params.weightsVersionKey !== 0 && input.versionKey < params.weightsVersionKey) {
    return fail("IncorrectWeightVersionKey");
  }
  if (input.rateLimit && !rateLimitPassed(neuron.lastUpdate, input.block, params.weightsRateLimit)) {
    return fail(input.rateLimit);
  }
  const selfWeight = isSelfWeight(neuron.uid, uids, values);
  if (!selfWeight && !input.isOwner && !neuron.validatorPermit) return fail("NeuronNoValidatorPermit");
  if (new Set(uids).size !== uids.length) return fail("DuplicateUids");
  if (uids.some((uid) => uid >= input.subnetN)) return fail("UidVecContainInvalidOne");
  const minAllowed = Math.min(params.minAllowedWeights, input.subnetN);
  if (!selfWeight && values.length < minAllowed) return fail("WeightVecLengthIsLow");
  const upscaled = maxUpscale(values);
  if (!selfWeight && !maxWeightLimited(upscaled, params.maxWeightLimit)) return fail("MaxWeightExceeded");
  return { ok: true, values: upscaled };
}

/** `current - last >= limit`; a neuron that never set weights always passes. */
export function rateLimitPassed(lastUpdate: number | null, block: number, limit: number): boolean {
  return lastUpdate === null || block - lastUpdate >= limit;
}

/** Exactly one weight, on the caller's own uid. */
export function isSelfWeight(uid: number, uids: readonly number[], values: readonly number[]): boolean {
  return values.length === 1 && uids.length >= 1 && uids[0] === uid;
}

/** `vec_u16_max_upscale_to_u16`: round(v * 65535 / max), halves away from zero; all zeros stay zeros. */
export function maxUpscale(values: readonly number[]): number[] {
  const max = Math.max(0, ...values);
  if (max === 0) return [...values];
  return values.map((v) => Math.floor((2 * v * U16_MAX + max) / (2 * max)));
}

/** `check_vec_max_limited`: max(v) / sum(v) <= limit / 65535 (65535 means no limit). */
export function maxWeightLimited(values: readonly number[], limit: number): boolean {
  if (limit >= U16_MAX || values.length === 0) return true;
  const sum = values.reduce((a, b) => a + b, 0);
  if (sum === 0) return true;
  return Math.max(...values) * U16_MAX <= limit * sum;
}

/** The legacy epoch index: (block + netuid + 1) / (tempo + 1), rounded down. */
export function epochIndex(netuid: number, block: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** The blocks of epoch `commit epoch + period`, the only epoch in which a commit may be revealed. */
export function revealBlocks(
  netuid: number,
  commitBlock: number,
  { tempo, commitRevealPeriod }: { tempo: number; commitRevealPeriod: number },
): { first: number; last: number } {
  const revealEpoch = epochIndex(netuid, commitBlock, tempo) + commitRevealPeriod;
  const first = Math.max(0, revealEpoch * (tempo + 1) - (netuid + 1));
  return { first, last: first + tempo };
}

/** Where `block` stands against a commit's reveal epoch. */
export function revealState(
  netuid: number,
  commitBlock: number,
  block: number,
  params: { tempo: number; commitRevealPeriod: number },
): "early" | "open" | "expired" {
  const due = epochIndex(netuid, commitBlock, params.tempo) + params.commitRevealPeriod;
  const current = epochIndex(netuid, block, params.tempo);
  return current < due ? "early" : current === due ? "open" : "expired";
}

/** What a CRv2 commit hashes. `salt` is a u16 vector, as in `reveal_weights`. */
export interface CommitHashInput {
  hotkey: string;
  /** The netuid index (netuid for mechanism 0). */
  netuid: number;
  uids: readonly number[];
  values: readonly number[];
  salt: readonly number[];
  versionKey: number;
}

/**
 * The CRv2 commit hash: blake2-256 of the SCALE tuple (AccountId32, u16 netuid, Vec<u16> uids,
 * Vec<u16> values, Vec<u16> salt, u64 version_key), as `0x` + 64 hex characters.
 */
export function weightsCommitHash(input: CommitHashInput): string {
  assertU16Vector("uids", input.uids);
  assertU16Vector("values", input.values);
  assertU16Vector("salt", input.salt);
  assertU16Vector("netuid", [input.netuid]);
  if (!Number.isSafeInteger(input.versionKey) || input.versionKey < 0) {
    throw new RangeError(`Cannot encode version key: "${input.versionKey}" is not a u64`);
  }
  const version = new Uint8Array(8);
  new DataView(version.buffer).setBigUint64(0, BigInt(input.versionKey), true);
  const encoded = u8aConcat(
    decodeAddress(input.hotkey),
    u16Le([input.netuid]),
    u16Vec(input.uids),
    u16Vec(input.values),
    u16Vec(input.salt),
    version,
  );
  return u8aToHex(blake2AsU8a(encoded, 256));
}

function u16Le(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v, true));
  return out;
}

function u16Vec(values: readonly number[]): Uint8Array {
  return u8aConcat(compactToU8a(values.length), u16Le(values));
}
