/**
 * The local chain's reads and the neuron/subnet bookkeeping its calls share: the block clock, subnet and
 * neuron lookups, the revealed weights as of a block, and parameter checks.
 * @module
 */
import type { LocalChainOptions } from "./types.ts";
import { assertU16Vector } from "../../../chain/weight_rules.ts";
import { keys, listAll, retry, transact } from "./kv.ts";
import type { LocalBeacon } from "../beacon.ts";
import { createRevealer, type RevealState, type TimelockRevealer } from "./timelocked.ts";
import {
  type ChainMeta,
  DEFAULT_HYPERPARAMETERS,
  type LocalHyperparameters,
  type LocalMetagraph,
  type LocalNeuron,
  type LocalWeights,
  type NeuronRecord,
  type StoredWeights,
  type SubnetRecord,
  type TimelockedCommit,
} from "./types.ts";

/** The shared reads and bookkeeping of one open local chain. */
export type LocalStore = ReturnType<typeof createStore>;

export function createStore(kv: Deno.Kv, meta: ChainMeta, options: LocalChainOptions, beacon: LocalBeacon) {
  const revealer = createRevealer(beacon, meta);
  const subnetDefaults = { ...DEFAULT_HYPERPARAMETERS, ...options.hyperparameters };
  validateParams(subnetDefaults);
  const blockAt = (date: Date) =>
    Math.max(0, Math.floor((date.getTime() - meta.genesisMs) / (meta.blockSeconds * 1000)));
  const currentBlock = () => blockAt(options.clock.now());

  async function getSubnet(netuid: number): Promise<Deno.KvEntryMaybe<SubnetRecord>> {
    return await retry(() => kv.get<SubnetRecord>(keys.subnet(netuid)));
  }

  async function requireSubnet(netuid: number): Promise<Deno.KvEntry<SubnetRecord>> {
    const entry = await getSubnet(netuid);
    if (entry.versionstamp === null) {
      throw new RangeError(`Subnet ${netuid} does not exist: SubNetworkDoesNotExist`);
    }
    return entry;
  }

  async function neuronByHotkey(netuid: number, hotkey: string): Promise<Deno.KvEntry<NeuronRecord>> {
    const uid = await retry(() => kv.get<number>(keys.uid(netuid, hotkey)));
    if (uid.value === null) {
      throw new RangeError(
        `Hotkey "${hotkey}" is not registered on subnet ${netuid}: HotKeyNotRegisteredInSubNet`,
      );
    }
    return (await retry(() => kv.get<NeuronRecord>(keys.neuron(netuid, uid.value!)))) as Deno.KvEntry<
      NeuronRecord
    >;
  }

  // Read-modify-write of one neuron, retried until no other writer got in between.
  async function updateNeuron(netuid: number, hotkey: string, change: (n: NeuronRecord) => NeuronRecord) {
    await transact(async () => {
      const entry = await neuronByHotkey(netuid, hotkey);
      return { atomic: kv.atomic().check(entry).set(entry.key, change(entry.value)), result: undefined };
    });
  }

  // Everything a weight call reads, with the entries its commit must check.
  async function readCaller(netuid: number, hotkey: string) {
    const [subnet, count, uid] = await retry(() =>
      kv.getMany<[SubnetRecord, number, number]>([
        keys.subnet(netuid),
        keys.count(netuid),
        keys.uid(netuid, hotkey),
      ])
    );
    const neuron = uid.value === null
      ? null
      : await retry(() => kv.get<NeuronRecord>(keys.neuron(netuid, uid.value!))) as Deno.KvEntry<
        NeuronRecord
      >;
    return { subnet, count, uid, neuron };
  }

  const { readWeights, readNeurons, readMetagraph } = createListReads(kv, requireSubnet, getSubnet, revealer);

  return {
    subnetDefaults,
    currentBlock,
    getSubnet,
    requireSubnet,
    neuronByHotkey,
    updateNeuron,
    readCaller,
    readWeights,
    readNeurons,
    readMetagraph,
    revealer,
    beacon,
    meta,
    clock: options.clock,
  };
}

/** Reads over whole subnets: weights as of a block, neurons, the metagraph. */
function createListReads(
  kv: Deno.Kv,
  requireSubnet: (netuid: number) => Promise<Deno.KvEntry<SubnetRecord>>,
  getSubnet: (netuid: number) => Promise<Deno.KvEntryMaybe<SubnetRecord>>,
  revealer: TimelockRevealer,
) {
  async function readWeights(netuid: number, block: number): Promise<LocalWeights[]> {
    const [stored, pending, subnet, count, neurons] = await Promise.all([
      listAll<StoredWeights>(kv, keys.allWeights(netuid)),
      listAll<TimelockedCommit[]>(kv, keys.allTimelocked(netuid)),
      getSubnet(netuid),
      retry(() => kv.get<number>(keys.count(netuid))),
      listAll<NeuronRecord>(kv, keys.neurons(netuid)),
    ]);
    const uids = new Set([...stored.keys(), ...pending.keys()]);
    const out: LocalWeights[] = [];
    for (const uid of [...uids].sort((a, b) => a - b)) {
      const state: RevealState | null = subnet.value && {
        params: subnet.value.params,
        subnetN: count.value ?? 0,
        neuron: neurons.get(uid) ?? null,
        ownerHotkey: subnet.value.ownerHotkey,
      };
      const effective =
        revealedWeights(stored.get(uid) ?? null, pending.get(uid) ?? [], block, revealer, state)
          .weights;
      if (effective) out.push({ uid, ...effective });
    }
    return out;
  }

  async function readNeurons(netuid: number): Promise<NeuronRecord[]> {
    const records = await listAll<NeuronRecord>(kv, keys.neurons(netuid));
    return [...records.values()].sort((a, b) => a.uid - b.uid);
  }

  async function readMetagraph(netuid: number, block: number): Promise<LocalMetagraph> {
    const subnet = await requireSubnet(netuid);
    const neurons = (await readNeurons(netuid)).map(toLocalNeuron);
    return { netuid, block, ownerHotkey: subnet.value.ownerHotkey, neurons };
  }

  return { readWeights, readNeurons, readMetagraph };
}

// The stored weights as of `block`: timelocked commits the chain has revealed by then (decrypted with the
// beacon's pulse, checked as at reveal) replace older weights; a commit that fails, or whose reveal epoch
// ended before its pulse came, is dropped; the rest wait.
export function revealedWeights(
  stored: StoredWeights | null,
  pending: TimelockedCommit[],
  block: number,
  revealer: TimelockRevealer,
  state: RevealState | null,
): { weights: StoredWeights | null; pending: TimelockedCommit[] } {
  let weights = stored;
  const waiting: TimelockedCommit[] = [];
  const timed = pending.map((c) => ({ c, at: revealer.at(c) }));
  for (const { c, at } of timed.sort((a, b) => a.at - b.at || a.c.commitBlock - b.c.commitBlock)) {
    if (at > c.lastBlock) continue; // never revealed: its pulse came after the reveal epoch
    if (at > block) {
      waiting.push(c);
      continue;
    }
    const revealed = state && revealer.open(c, at, state);
    if (revealed && (!weights || at >= weights.block)) weights = revealed;
  }
  return { weights, pending: waiting };
}

export function toLocalNeuron(n: NeuronRecord): LocalNeuron {
  const { lastUpdate, ...rest } = n;
  return { ...rest, lastUpdate: lastUpdate ?? 0 };
}

export function assertStake(stake: number): void {
  if (!Number.isFinite(stake) || stake < 0) {
    throw new RangeError(`Invalid stake: "${stake}" is not a non-negative number`);
  }
}

export function validateParams(params: LocalHyperparameters): void {
  const u16 = ["minAllowedWeights", "maxWeightLimit", "kappa", "maxAllowedUids"] as const;
  for (const name of u16) assertU16Vector(name, [params[name]]);
  const counts = [
    "tempo",
    "weightsRateLimit",
    "commitRevealPeriod",
    "weightsVersionKey",
    "activityCutoff",
  ] as const;
  for (const name of counts) {
    if (!Number.isSafeInteger(params[name]) || params[name] < 0) {
      throw new RangeError(`Invalid hyperparameter ${name}: "${params[name]}" is not a non-negative integer`);
    }
  }
  if (params.tempo < 1) {
    throw new RangeError(`Invalid hyperparameter tempo: "${params.tempo}" must be at least 1`);
  }
  assertStake(params.stakeThreshold);
}
