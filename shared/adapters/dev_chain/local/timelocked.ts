/**
 * CRv4 on the local chain, both halves:
 * - the client, as the SDK: the `WeightsTlockPayload` encrypted to the reveal round (bittensor-drand's
 *   formula at the chain's block time, never below the beacon's last round) under the local beacon's key;
 * - the chain, as subtensor: `commit_timelocked_weights` stores the ciphertext (checks: commit-reveal on,
 *   version 4, registered, commit rate limit, round not in the past, 10 unrevealed per epoch), and in the
 *   reveal epoch decrypts it with the beacon's pulse of its round, from the first block at which that pulse
 *   exists (the real chain retries every block of the epoch), checks the payload's hotkey and runs the
 *   set-weights checks; a commit not revealed by the end of its reveal epoch, or that fails, is dropped.
 * Difference from subtensor: the checks at reveal use the subnet and neuron state when the weights are
 * read, not as of the reveal block (the local chain runs no blocks).
 * @module
 */
import {
  decodePayload,
  encodePayload,
  revealRound,
  tlockDecrypt,
  tlockEncrypt,
} from "../../../chain/tlock/mod.ts";
import { checkWeights, epochIndex, revealBlocks } from "../../../chain/weight_rules.ts";
import type { WeightVector } from "../../../ports.ts";
import { encodeAddress } from "@polkadot/util-crypto";
import { SS58_PREFIX } from "../../../signature.ts";
import type { LocalBeacon } from "../beacon.ts";
import type {
  ChainMeta,
  LocalHyperparameters,
  NeuronRecord,
  StoredWeights,
  TimelockedCommit,
} from "./types.ts";

/** The commit-reveal version the local chain runs (subtensor's CommitRevealWeightsVersion default). */
export const LOCAL_COMMIT_REVEAL_VERSION = 4;
export const TIMELOCKED_CALL = "commit_timelocked_weights";

/** Client side: the ciphertext and round the SDK would send for `weights` at `block`. */
export function encryptWeights(input: {
  beacon: LocalBeacon;
  meta: ChainMeta;
  params: LocalHyperparameters;
  netuid: number;
  block: number;
  nowMs: number;
  hotkeyPublicKey: Uint8Array;
  weights: WeightVector;
  versionKey: number;
  random: (n: number) => Uint8Array;
}): { commit: Uint8Array; round: bigint } {
  const { beacon } = input;
  const plan = revealRound({
    tempo: input.params.tempo,
    currentBlock: input.block,
    netuid: input.netuid,
    revealPeriodEpochs: input.params.commitRevealPeriod,
    blockTimeSeconds: input.meta.blockSeconds,
    nowSeconds: input.nowMs / 1000,
    genesisTime: beacon.info.genesisTime,
    period: beacon.info.period,
    lastStoredRound: beacon.lastRound(),
  });
  const payload = encodePayload({
    hotkey: input.hotkeyPublicKey,
    uids: [...input.weights.uids],
    values: [...input.weights.weights],
    versionKey: BigInt(input.versionKey),
  });
  return {
    commit: tlockEncrypt(beacon.info.publicKey, plan.revealRound, payload, input.random),
    round: plan.revealRound,
  };
}

/** Chain side: the commit record to queue, or the chain's refusal. */
export function admitCommit(input: {
  beacon: LocalBeacon;
  params: LocalHyperparameters;
  netuid: number;
  block: number;
  hotkey: string;
  commit: Uint8Array;
  round: bigint;
  version: number;
}): { ok: true; record: TimelockedCommit } | {
  ok: false;
  error: "IncorrectCommitRevealVersion" | "InvalidRevealRound" | "CommitRevealDisabled";
} {
  if (!input.params.commitRevealEnabled) return { ok: false, error: "CommitRevealDisabled" };
  if (input.version !== LOCAL_COMMIT_REVEAL_VERSION) {
    return { ok: false, error: "IncorrectCommitRevealVersion" };
  }
  if (input.round < input.beacon.lastRound()) return { ok: false, error: "InvalidRevealRound" };
  const window = revealBlocks(input.netuid, input.block, input.params);
  return {
    ok: true,
    record: {
      hotkey: input.hotkey,
      commitBlock: input.block,
      block: window.first,
      lastBlock: window.first + input.params.tempo,
      round: input.round.toString(),
      commit: Array.from(input.commit, (b) => b.toString(16).padStart(2, "0")).join(""),
    },
  };
}

/** Commits of the same epoch as `block` (the chain allows 10 unrevealed per hotkey and epoch). */
export function sameEpoch(pending: TimelockedCommit[], netuid: number, block: number, tempo: number) {
  return pending.filter((c) => epochIndex(netuid, c.commitBlock, tempo) === epochIndex(netuid, block, tempo));
}

/** What a reveal checks against: the subnet, its size, the committing uid's neuron and the owner. */
export interface RevealState {
  params: LocalHyperparameters;
  subnetN: number;
  neuron: NeuronRecord | null;
  ownerHotkey: string | null;
}

/** The chain's reveal of timelocked commits; decryptions are cached (each costs two pairings). */
export function createRevealer(beacon: LocalBeacon, meta: ChainMeta) {
  const opened = new Map<string, Uint8Array | null>();
  const blockMs = meta.blockSeconds * 1000;

  /** The block at which the chain reveals `c`: its reveal block, or later when the pulse comes later. */
  function at(c: TimelockedCommit): number {
    const pulseMs = (beacon.info.genesisTime + (Number(BigInt(c.round)) - 1) * beacon.info.period) * 1000;
    return Math.max(c.block, Math.ceil((pulseMs - meta.genesisMs) / blockMs));
  }

  function plaintext(c: TimelockedCommit): Uint8Array | null {
    if (opened.has(c.commit)) return opened.get(c.commit)!;
    const pulse = beacon.pulse(BigInt(c.round));
    let out: Uint8Array | null = null;
    if (pulse) {
      try {
        out = tlockDecrypt(
          Uint8Array.from(c.commit.match(/../g) ?? [], (b) => parseInt(b, 16)),
          pulse.signature,
        );
      } catch {
        out = null; // undecryptable: the chain skips the commit
      }
      if (opened.size > 1024) opened.clear();
      opened.set(c.commit, out);
    }
    return out;
  }

  /** The weights `c` sets when revealed at `block`, or null when the chain drops it. */
  function open(c: TimelockedCommit, block: number, state: RevealState): StoredWeights | null {
    const bytes = plaintext(c);
    if (!bytes) return null;
    let payload;
    try {
      payload = decodePayload(bytes);
    } catch {
      return null;
    }
    if (payload.hotkey.length !== 32 || encodeAddress(payload.hotkey, SS58_PREFIX) !== c.hotkey) return null;
    if (
      !state.neuron || state.neuron.hotkey !== c.hotkey ||
      payload.versionKey > BigInt(Number.MAX_SAFE_INTEGER)
    ) {
      return null;
    }
    const versionKey = Number(payload.versionKey);
    const check = checkWeights({
      params: state.params,
      subnetN: state.subnetN,
      neuron: { ...state.neuron, lastUpdate: state.neuron.lastUpdate },
      isOwner: c.hotkey === state.ownerHotkey,
      block,
      uids: payload.uids,
      values: payload.values,
      versionKey,
      rateLimit: null, // with commit-reveal on, do_set_weights skips the rate limit
    });
    if (!check.ok) return null;
    return {
      hotkey: c.hotkey,
      block,
      uids: payload.uids,
      values: check.values,
      versionKey,
      via: TIMELOCKED_CALL,
    };
  }

  return { at, open };
}

export type TimelockRevealer = ReturnType<typeof createRevealer>;
