/**
 * The local chain's public shapes (options, hyperparameters, neurons, weights, the adapter interface)
 * and the records it keeps in its KV file.
 * @module
 */
import type { ChainAdapter, SetWeightsResult, SubnetHyperparameters } from "../../../ports.ts";
import type { MetagraphSnapshot, Neuron } from "../../../schemas/metagraph.ts";
import type { KeyringPair } from "../../../signature.ts";
import { DEFAULT_ACTIVITY_CUTOFF, DEFAULT_KAPPA, type YumaSummary } from "../yuma.ts";
import type { Clock } from "../../../ports.ts";

/** The port's hyperparameters plus the few the local chain also uses. */
export interface LocalHyperparameters extends SubnetHyperparameters {
  /** Consensus majority as a u16 fraction of 65535. */
  kappa: number;
  /** Blocks after its last update until a validator counts as inactive. */
  activityCutoff: number;
  /** Whole alpha a hotkey needs to set weights (the owner is exempt). */
  stakeThreshold: number;
  /** Registration fails once this many uids exist (pass `uid` to replace one). */
  maxAllowedUids: number;
}

/** Defaults of a new subnet: the chain's, with commit-reveal off (an owner can turn it off). */
export const DEFAULT_HYPERPARAMETERS: Readonly<LocalHyperparameters> = Object.freeze({
  tempo: 360,
  weightsRateLimit: 100,
  commitRevealEnabled: false,
  commitRevealPeriod: 1,
  weightsVersionKey: 0,
  minAllowedWeights: 1,
  maxWeightLimit: 65_535,
  kappa: DEFAULT_KAPPA,
  activityCutoff: DEFAULT_ACTIVITY_CUTOFF,
  stakeThreshold: 0,
  maxAllowedUids: 256,
});

/** Options of `openLocalChain`. */
export interface LocalChainOptions {
  /** The KV file (`:memory:` for a private, single-handle chain). */
  path: string;
  clock: Clock;
  /** Seconds per block; fixed when the chain is created, checked when given to an existing one. */
  blockSeconds?: number;
  /** Block 0's time; default: `now()` when the chain is created, checked when given to an existing one. */
  genesisMs?: number;
  /** The version key this client sends with its weights (the SDK sends its spec version); default 0. */
  versionKey?: number;
  /** Defaults for `createSubnet`, over `DEFAULT_HYPERPARAMETERS`. */
  hyperparameters?: Partial<LocalHyperparameters>;
}

/** An axon endpoint. */
export interface Axon {
  ip: string;
  port: number;
}

/** A neuron with the fields only the local chain reports. */
export interface LocalNeuron extends Neuron {
  axon: Axon | null;
  /** Block of the last weight setting or commit; 0 when never (as the chain reports it) or in block 0. */
  lastUpdate: number;
  registeredBlock: number;
}

/** `metagraph()`'s snapshot; it is a `MetagraphSnapshot` plus the subnet owner and per-neuron blocks. */
export interface LocalMetagraph extends MetagraphSnapshot {
  ownerHotkey: string | null;
  neurons: LocalNeuron[];
}

/** Input of `registerNeuron`. */
export interface RegisterNeuronInput {
  hotkey: string;
  coldkey: string;
  /** Whole alpha; default 0. */
  stake?: number;
  validatorPermit?: boolean;
  axon?: Axon | null;
  /** Replace the neuron at this uid (the chain's pruning), clearing its weights; default: the next uid. */
  uid?: number;
}

/** Input of `createSubnet`. */
export interface CreateSubnetInput {
  ownerHotkey?: string | null;
  ownerColdkey?: string | null;
  hyperparameters?: Partial<LocalHyperparameters>;
}

/** The weights a validator has on chain (revealed ones only), with its uid. */
export interface LocalWeights extends StoredWeights {
  uid: number;
}

/** A CRv2 reveal: the plaintext whose hash was committed. */
export interface WeightsReveal {
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: number;
}

/** The local chain: the port plus admin and commit-reveal calls. Close it when done. */
export interface LocalChain extends ChainAdapter {
  readonly genesisMs: number;
  readonly blockSeconds: number;
  metagraph(netuid: number): Promise<LocalMetagraph>;
  hyperparameters(netuid: number): Promise<LocalHyperparameters>;
  /** Creates a subnet; fails if it exists. */
  createSubnet(netuid: number, input?: CreateSubnetInput): Promise<void>;
  /** Changes hyperparameters (the owner's sudo calls) and returns the result. */
  setHyperparameters(netuid: number, changes: Partial<LocalHyperparameters>): Promise<LocalHyperparameters>;
  registerNeuron(netuid: number, input: RegisterNeuronInput): Promise<LocalNeuron>;
  setStake(netuid: number, hotkey: string, stake: number): Promise<void>;
  setValidatorPermit(netuid: number, hotkey: string, permit: boolean): Promise<void>;
  setAxon(netuid: number, hotkey: string, axon: Axon | null): Promise<void>;
  /** Every validator's current (revealed) weights, by uid. */
  weights(netuid: number): Promise<LocalWeights[]>;
  /** CRv2 `commit_weights`: `commitHash` is `weightsCommitHash(...)`. */
  commitWeights(netuid: number, commitHash: string, signer: KeyringPair): Promise<SetWeightsResult>;
  /** CRv2 `reveal_weights`, in the commit's reveal epoch. */
  revealWeights(netuid: number, reveal: WeightsReveal, signer: KeyringPair): Promise<SetWeightsResult>;
  /** CRv4 `commit_timelocked_weights`: a tle ciphertext of a WeightsTlockPayload for beacon `round`. */
  commitTimelockedWeights(
    netuid: number,
    commit: Uint8Array,
    round: bigint,
    version: number,
    signer: KeyringPair,
  ): Promise<SetWeightsResult>;
  /** The local beacon (`Drand.BeaconConfig` and `LastStoredRound`). */
  beacon(): LocalBeaconInfo;
  /** The Yuma-style summary of the current weights. */
  consensus(netuid: number): Promise<YumaSummary>;
  close(): void;
}

export interface ChainMeta {
  genesisMs: number;
  blockSeconds: number;
}

/** The chain's beacon as `Drand.BeaconConfig` reports it (public key hex, genesis, period). */
export interface LocalBeaconInfo {
  publicKey: string;
  genesisTime: number;
  period: number;
  lastRound: string;
}

export interface SubnetRecord {
  ownerHotkey: string | null;
  ownerColdkey: string | null;
  params: LocalHyperparameters;
}

export interface NeuronRecord {
  uid: number;
  hotkey: string;
  coldkey: string;
  stake: number;
  validatorPermit: boolean;
  axon: Axon | null;
  registeredBlock: number;
  lastUpdate: number | null;
}

/** A validator's weights as the chain stores them. */
export interface StoredWeights {
  hotkey: string;
  /** Block the weights took effect (the reveal block for commits). */
  block: number;
  uids: number[];
  /** Max-upscaled u16 values, as stored. */
  values: number[];
  versionKey: number;
  /** The extrinsic that put them on chain: set_weights, reveal_weights or commit_timelocked_weights. */
  via?: string;
}

// A CRv4-style commit: revealed by the chain itself at `revealBlock`.
/** A CRv4 commit as the chain holds it: the ciphertext and its drand round, not the weights. */
export interface TimelockedCommit {
  hotkey: string;
  commitBlock: number;
  /** First block of the reveal epoch. */
  block: number;
  /** Last block of the reveal epoch: a commit not revealed by then is dropped. */
  lastBlock: number;
  /** The beacon round it is encrypted to (decimal u64). */
  round: string;
  /** The tle ciphertext, hex. */
  commit: string;
}

export interface HashCommit {
  hash: string;
  commitBlock: number;
}
