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
import { u8aConcat, u8aToHex } from "@polkadot/util";
import { xxhashAsU8a } from "@polkadot/util-crypto";
import { ipFromChain } from "../../../chain/axon_ip.ts";
import { mechanismStorageIndex, type WeightCommitsMeta } from "../../../chain/commit_reveal_v2.ts";
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

/** A `WeightCommits` entry's three numbers after the hash; their meaning depends on the layout. */
export type CommitTuple = [number, number, number];

/** The reads the other parts of the adapter build on. */
export interface SubtensorReads {
  head(): Promise<Head>;
  hyperparameters(netuid: number, blockHash: string): Promise<SubtensorHyperparameters>;
  owner(netuid: number, blockHash: string): Promise<string | null>;
  metagraph(netuid: number): Promise<SubtensorMetagraph>;
  /**
   * The signer's uid and its last update of mechanism `mecid` (default 0) at `blockHash`, or null when
   * it is not registered.
   */
  neuronState(
    netuid: number,
    hotkey: string,
    blockHash: string,
    mecid?: number,
  ): Promise<{ uid: number; lastUpdate: number } | null>;
  /** The chain's entry for commit `hash` of `hotkey` on mechanism `mecid` at `blockHash`, or null. */
  commit(
    netuid: number,
    hotkey: string,
    hash: string,
    blockHash: string,
    mecid?: number,
  ): Promise<CommitTuple | null>;
  /** `MechanismCountCurrent(netuid)`; 1 when the runtime has no mechanisms. */
  mechanismCount(netuid: number, blockHash: string): Promise<number>;
  /** `SubnetEpochIndex(netuid)`, the stateful epoch counter of spec >= 423. */
  epochIndex(netuid: number, blockHash: string): Promise<number>;
  /** The runtime's spec version and what its metadata says about `WeightCommits`. */
  weightCommitsMeta(): WeightCommitsMeta;
}

/** The reads over `api`; `description` names the chain in errors. */
export function createReads(api: ApiPromise, description: string): SubtensorReads {
  return { ...createChainReads(api, description), ...createCommitReads(api) };
}

/** Head, hyperparameters, owner, metagraph and a neuron's state. */
function createChainReads(api: ApiPromise, description: string) {
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

  async function neuronState(netuid: number, hotkey: string, blockHash: string, mecid = 0) {
    const at = await api.at(blockHash);
    const uid = await at.query.subtensorModule.uids(netuid, hotkey) as unknown as OptionCodec<IntCodec>;
    if (!uid.isSome) return null;
    const n = uid.unwrap().toNumber();
    // LastUpdate is keyed by the mechanism's storage index: mechanism 0's index is the netuid.
    const index = mechanismStorageIndex(netuid, mecid);
    const updates = await at.query.subtensorModule.lastUpdate(index) as unknown as IntCodec[];
    const last = n < updates.length ? updates[n].toNumber() : 0;
    return { uid: n, lastUpdate: last };
  }

  return { head, hyperparameters, owner, metagraph, neuronState };
}

/** Commit-reveal and mechanism reads: a WeightCommits entry, mechanism count, epoch index, layout facts. */
function createCommitReads(api: ApiPromise) {
  async function commit(
    netuid: number,
    hotkey: string,
    hash: string,
    blockHash: string,
    mecid = 0,
  ): Promise<CommitTuple | null> {
    const at = await api.at(blockHash);
    const query = at.query.subtensorModule.weightCommits;
    const index = mechanismStorageIndex(netuid, mecid);
    const entry = (await query(index, hotkey)) as unknown as OptionCodec<WeightCommitCodec[]>;
    if (!entry.isSome) return null;
    for (const [h, a, b, c] of entry.unwrap()) {
      if (h.toHex() === hash) return [a.toNumber(), b.toNumber(), c.toNumber()];
    }
    return null;
  }

  async function mechanismCount(netuid: number, blockHash: string): Promise<number> {
    // Absent before mechanisms existed: one mechanism, the subnet itself.
    if (!("mechanismCountCurrent" in api.query.subtensorModule)) return 1;
    const at = await api.at(blockHash);
    return (await at.query.subtensorModule.mechanismCountCurrent(netuid) as unknown as IntCodec).toNumber();
  }

  async function epochIndex(netuid: number, blockHash: string): Promise<number> {
    if ("subnetEpochIndex" in api.query.subtensorModule) {
      const at = await api.at(blockHash);
      return (await at.query.subtensorModule.subnetEpochIndex(netuid) as unknown as IntCodec).toNumber();
    }
    // A runtime whose metadata the API was not started with (tests on spec-393 metadata): the raw key.
    const raw = await api.rpc.state.getStorage(subnetEpochIndexKey(netuid), blockHash);
    const bytes = (raw as unknown as OptionCodec<BytesCodec>).isSome
      ? (raw as unknown as OptionCodec<BytesCodec>).unwrap().toU8a(true)
      : new Uint8Array(8); // ValueQuery, DefaultZeroU64
    return Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  }

  function weightCommitsMeta(): WeightCommitsMeta {
    const specVersion = api.runtimeVersion.specVersion.toNumber();
    if (!("weightCommits" in api.query.subtensorModule)) return { specVersion, valueType: null, docs: "" };
    const meta = api.query.subtensorModule.weightCommits.creator.meta;
    const value = meta.type.isMap ? meta.type.asMap.value : meta.type.asPlain;
    const valueType = api.registry.lookup.getTypeDef(value).type;
    return { specVersion, valueType, docs: meta.docs.map((d) => d.toString()).join("\n") };
  }

  return { commit, mechanismCount, epochIndex, weightCommitsMeta };
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

/**
 * The storage key of `SubtensorModule.SubnetEpochIndex(netuid)`: `StorageMap<_, Identity, NetUid, u64,
 * ValueQuery>` (subtensor v3.4.8-423 pallets/subtensor/src/lib.rs:1846), so twox128(pallet) ++
 * twox128(item) ++ the u16 netuid, little-endian, unhashed.
 */
export function subnetEpochIndexKey(netuid: number): string {
  const id = new Uint8Array(2);
  new DataView(id.buffer).setUint16(0, netuid, true);
  return u8aToHex(u8aConcat(xxhashAsU8a("SubtensorModule", 128), xxhashAsU8a("SubnetEpochIndex", 128), id));
}
