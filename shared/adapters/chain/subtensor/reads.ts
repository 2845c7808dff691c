/**
 * The subtensor adapter's reads, each at one block hash so a result is consistent:
 * - `metagraph`: `NeuronInfoRuntimeApi.get_neurons_lite(netuid)`: uid, hotkey, coldkey, alpha stake (rao
 *   summed, then whole alpha), validator permit, axon (IP 0 = not serving) and last update; plus the
 *   `SubnetOwnerHotkey` storage.
 * - `hyperparameters`: `SubnetInfoRuntimeApi.get_subnet_hyperparams_v2(netuid)` (None: no such subnet).
 * - `head`: the best block's hash and number.
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import { ipFromChain } from "../../../chain/axon_ip.ts";
import {
  type BoolCodec,
  type BytesCodec,
  type HyperparamsCodec,
  type IntCodec,
  type NeuronLiteCodec,
  type OptionCodec,
  raoToUnits,
  ss58,
  type WeightCommitCodec,
} from "./codecs.ts";
import type {
  SubtensorAxon,
  SubtensorHyperparameters,
  SubtensorMetagraph,
  SubtensorNeuron,
} from "./types.ts";

/** A block: its hash (hex) and number. */
export interface Head {
  hash: string;
  number: number;
}

/** A commit's entry in `WeightCommits`, as the adapter uses it. */
export interface CommitWindow {
  commitBlock: number;
  first: number;
  last: number;
}

/** The reads the other parts of the adapter build on. */
export interface SubtensorReads {
  head(): Promise<Head>;
  hyperparameters(netuid: number, blockHash: string): Promise<SubtensorHyperparameters>;
  owner(netuid: number, blockHash: string): Promise<string | null>;
  metagraph(netuid: number): Promise<SubtensorMetagraph>;
  /** The signer's uid and last update at `blockHash`, or null when it is not registered. */
  neuronState(
    netuid: number,
    hotkey: string,
    blockHash: string,
  ): Promise<{ uid: number; lastUpdate: number } | null>;
  /** The chain's entry for commit `hash` of `hotkey` at `blockHash`, or null. */
  commit(netuid: number, hotkey: string, hash: string, blockHash: string): Promise<CommitWindow | null>;
}

/** The reads over `api`; `description` names the chain in errors. */
export function createReads(api: ApiPromise, description: string): SubtensorReads {
  async function head(): Promise<Head> {
    const hash = await api.rpc.chain.getBlockHash();
    const header = await api.rpc.chain.getHeader(hash);
    return { hash: hash.toHex(), number: header.number.toNumber() };
  }

  async function hyperparameters(netuid: number, blockHash: string): Promise<SubtensorHyperparameters> {
    const at = await api.at(blockHash);
    const call = at.call.subnetInfoRuntimeApi.getSubnetHyperparamsV2;
    const answer = (await call(netuid)) as unknown as OptionCodec<HyperparamsCodec>;
    if (!answer.isSome) throw new RangeError(`Subnet ${netuid} does not exist on ${description}`);
    const h = answer.unwrap();
    return {
      tempo: h.tempo.toNumber(),
      weightsRateLimit: h.weightsRateLimit.toNumber(),
      commitRevealEnabled: h.commitRevealWeightsEnabled.isTrue,
      commitRevealPeriod: h.commitRevealPeriod.toNumber(),
      weightsVersionKey: h.weightsVersion.toNumber(),
      minAllowedWeights: h.minAllowedWeights.toNumber(),
      maxWeightLimit: h.maxWeightsLimit.toNumber(),
      servingRateLimit: h.servingRateLimit.toNumber(),
      activityCutoff: h.activityCutoff.toNumber(),
      kappa: h.kappa.toNumber(),
    };
  }

  async function owner(netuid: number, blockHash: string): Promise<string | null> {
    const at = await api.at(blockHash);
    const value = await at.query.subtensorModule.subnetOwnerHotkey(netuid) as unknown as BytesCodec;
    const bytes = value.toU8a();
    return bytes.every((b) => b === 0) ? null : ss58(bytes);
  }

  async function metagraph(netuid: number): Promise<SubtensorMetagraph> {
    const { hash, number } = await head();
    const at = await api.at(hash);
    const list = await at.call.neuronInfoRuntimeApi.getNeuronsLite(netuid) as unknown as NeuronLiteCodec[];
    if (list.length === 0) {
      const exists = await at.query.subtensorModule.networksAdded(netuid) as unknown as BoolCodec;
      if (!exists.isTrue) throw new RangeError(`Subnet ${netuid} does not exist on ${description}`);
    }
    const neurons = [...list].map(toNeuron).sort((a, b) => a.uid - b.uid);
    return { netuid, block: number, ownerHotkey: await owner(netuid, hash), neurons };
  }

  async function neuronState(netuid: number, hotkey: string, blockHash: string) {
    const at = await api.at(blockHash);
    const uid = await at.query.subtensorModule.uids(netuid, hotkey) as unknown as OptionCodec<IntCodec>;
    if (!uid.isSome) return null;
    const n = uid.unwrap().toNumber();
    // LastUpdate is keyed by the netuid index: mechanism 0's index is the netuid.
    const updates = await at.query.subtensorModule.lastUpdate(netuid) as unknown as IntCodec[];
    const last = n < updates.length ? updates[n].toNumber() : 0;
    return { uid: n, lastUpdate: last };
  }

  async function commit(netuid: number, hotkey: string, hash: string, blockHash: string) {
    const at = await api.at(blockHash);
    const query = at.query.subtensorModule.weightCommits;
    const entry = (await query(netuid, hotkey)) as unknown as OptionCodec<WeightCommitCodec[]>;
    if (!entry.isSome) return null;
    for (const [h, commitBlock, first, last] of entry.unwrap()) {
      if (h.toHex() === hash) {
        return { commitBlock: commitBlock.toNumber(), first: first.toNumber(), last: last.toNumber() };
      }
    }
    return null;
  }

  return { head, hyperparameters, owner, metagraph, neuronState, commit };
}

function toNeuron(n: NeuronLiteCodec): SubtensorNeuron {
  const rao = [...n.stake].reduce((sum, [, amount]) => sum + amount.toBigInt(), 0n);
  const ip = n.axonInfo.ip.toBigInt();
  const ipType = n.axonInfo.ipType.toNumber();
  let axon: SubtensorAxon | null = null;
  if (ip !== 0n && (ipType === 4 || ipType === 6)) {
    axon = { ip: ipFromChain(ip, ipType), port: n.axonInfo.port.toNumber() };
  }
  return {
    uid: n.uid.toNumber(),
    hotkey: ss58(n.hotkey),
    coldkey: ss58(n.coldkey),
    stake: raoToUnits(rao),
    validatorPermit: n.validatorPermit.isTrue,
    axon,
    lastUpdate: n.lastUpdate.toNumber(),
    active: n.active.isTrue,
  };
}
