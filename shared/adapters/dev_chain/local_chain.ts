/**
 * The local chain of localnet and tests: a `ChainAdapter` on a Deno KV file, so several processes (two
 * validators, the localnet driver, the API's metagraph export) share one chain. Blocks come from the
 * injected clock (genesis + `blockSeconds` per block); admin functions stand in for registration and
 * staking; `setWeights` applies subtensor's checks with its error names (weight_rules.ts).
 *
 * Emulated rules, and where they differ from subtensor:
 * - `setWeights` with commit-reveal off: the `do_set_weights` checks and order; stores the max-upscaled
 *   vector with its block and sets last_update. A set in block 0 counts as an update (the chain reads a
 *   last_update of 0 as "never").
 * - `setWeights` with commit-reveal on behaves like the SDK's CRv4 path: a timelocked commit (rate limit
 *   `CommittingWeightsTooFast`, at most 10 unrevealed per epoch, sets last_update) that the chain reveals
 *   by itself at the first block of epoch `commit epoch + reveal period`. No drand, no encryption: the
 *   plaintext is stored and simply not shown before the reveal block; the set checks run at commit time
 *   rather than at reveal time.
 * - `commitWeights`/`revealWeights` are CRv2: a blake2 hash commit, then a reveal accepted only in the
 *   reveal epoch (`RevealTooEarly`, `ExpiredWeightCommit`, `InvalidRevealCommitHashNotMatch`,
 *   `NoWeightsCommitFound`, `CommitRevealDisabled`, `TooManyUnrevealedCommits`).
 * - Epochs use the legacy formula (block + netuid + 1) / (tempo + 1); no epoch runs, no emission.
 * - Validator permits and stake are set by the admin functions, not computed from top-k stake.
 * - A call's "signature" is an sr25519 signature by `signer` over the call, checked before anything
 *   else (`BadProof`); there is no nonce, fee or transaction pool.
 * @module
 */
import { dirname } from "node:path";
import type { ChainAdapter, SetWeightsResult, SubnetHyperparameters, WeightVector } from "../../ports.ts";
import type { MetagraphSnapshot, Neuron } from "../../schemas/metagraph.ts";
import {
  cryptoReady,
  isHotkeyAddress,
  type KeyringPair,
  signMessage,
  SS58_PREFIX,
  verifyHotkeySignature,
} from "../../signature.ts";
import { encodeAddress } from "@polkadot/util-crypto";
import {
  assertU16Vector,
  checkWeights,
  epochIndex,
  MAX_UNREVEALED_COMMITS,
  rateLimitPassed,
  revealBlocks,
  revealState,
  weightsCommitHash,
  type WeightsError,
} from "../../chain/weight_rules.ts";
import { DEFAULT_ACTIVITY_CUTOFF, DEFAULT_KAPPA, type YumaSummary, yumaSummary } from "./yuma.ts";

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
  now: () => Date;
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

/** The weights a validator has on chain (revealed ones only). */
export interface LocalWeights {
  uid: number;
  hotkey: string;
  /** Block the weights took effect (the reveal block for commits). */
  block: number;
  uids: number[];
  /** Max-upscaled u16 values, as stored. */
  values: number[];
  versionKey: number;
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
  /** The Yuma-style summary of the current weights. */
  consensus(netuid: number): Promise<YumaSummary>;
  close(): void;
}

interface ChainMeta {
  genesisMs: number;
  blockSeconds: number;
}

interface SubnetRecord {
  ownerHotkey: string | null;
  ownerColdkey: string | null;
  params: LocalHyperparameters;
}

interface NeuronRecord {
  uid: number;
  hotkey: string;
  coldkey: string;
  stake: number;
  validatorPermit: boolean;
  axon: Axon | null;
  registeredBlock: number;
  lastUpdate: number | null;
}

interface StoredWeights {
  hotkey: string;
  block: number;
  uids: number[];
  values: number[];
  versionKey: number;
}

// A CRv4-style commit: revealed by the chain itself at `revealBlock`.
interface TimelockedCommit extends StoredWeights {
  commitBlock: number;
}

interface HashCommit {
  hash: string;
  commitBlock: number;
}

const ROOT = "local_chain";
const keys = {
  meta: (): Deno.KvKey => [ROOT, "meta"],
  subnet: (netuid: number): Deno.KvKey => [ROOT, "subnet", netuid],
  count: (netuid: number): Deno.KvKey => [ROOT, "count", netuid],
  neuron: (netuid: number, uid: number): Deno.KvKey => [ROOT, "neuron", netuid, uid],
  neurons: (netuid: number): Deno.KvKey => [ROOT, "neuron", netuid],
  uid: (netuid: number, hotkey: string): Deno.KvKey => [ROOT, "uid", netuid, hotkey],
  weights: (netuid: number, uid: number): Deno.KvKey => [ROOT, "weights", netuid, uid],
  allWeights: (netuid: number): Deno.KvKey => [ROOT, "weights", netuid],
  timelocked: (netuid: number, uid: number): Deno.KvKey => [ROOT, "timelocked", netuid, uid],
  allTimelocked: (netuid: number): Deno.KvKey => [ROOT, "timelocked", netuid],
  hashCommits: (netuid: number, hotkey: string): Deno.KvKey => [ROOT, "commits", netuid, hotkey],
};

const DEFAULT_BLOCK_SECONDS = 12;
// Conflicts and lock errors are retried with a growing, jittered pause; a few writers (two validators and
// the localnet driver) settle in a handful of attempts, a stuck database still surfaces as an error.
const MAX_ATTEMPTS = 50;
const MAX_PAUSE_MS = 100;

/** The KV path of a `CHAIN_ENDPOINT` naming the local chain (`local:<path>`), else null. */
export function localChainPath(endpoint: string): string | null {
  return endpoint.startsWith("local:") ? endpoint.slice("local:".length) : null;
}

/** Opens (creating if needed) the local chain in `path`. */
export async function openLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  if (options.blockSeconds !== undefined && !(options.blockSeconds > 0)) {
    throw new RangeError(`Cannot open local chain: block seconds "${options.blockSeconds}" must be positive`);
  }
  const versionKey = options.versionKey ?? 0;
  if (!Number.isSafeInteger(versionKey) || versionKey < 0) {
    throw new RangeError(`Cannot open local chain: version key "${versionKey}" is not a u64`);
  }
  await cryptoReady();
  if (options.path !== ":memory:") await Deno.mkdir(dirname(options.path), { recursive: true });
  const kv = await Deno.openKv(options.path);
  try {
    const meta = await initMeta(kv, options);
    return createLocalChain(kv, meta, options, versionKey);
  } catch (error) {
    kv.close();
    throw error;
  }
}

async function initMeta(kv: Deno.Kv, options: LocalChainOptions): Promise<ChainMeta> {
  const wanted: ChainMeta = {
    genesisMs: options.genesisMs ?? options.now().getTime(),
    blockSeconds: options.blockSeconds ?? DEFAULT_BLOCK_SECONDS,
  };
  const created = await retry(() =>
    kv.atomic().check({ key: keys.meta(), versionstamp: null }).set(keys.meta(), wanted).commit()
  );
  if (created.ok) return wanted;
  const meta = (await retry(() => kv.get<ChainMeta>(keys.meta()))).value!;
  for (const field of ["genesisMs", "blockSeconds"] as const) {
    if (options[field] !== undefined && options[field] !== meta[field]) {
      throw new RangeError(
        `Cannot open local chain "${options.path}": it has ${field} "${meta[field]}", not "${
          options[field]
        }"`,
      );
    }
  }
  return meta;
}

function createLocalChain(
  kv: Deno.Kv,
  meta: ChainMeta,
  options: LocalChainOptions,
  versionKey: number,
): LocalChain {
  const subnetDefaults = { ...DEFAULT_HYPERPARAMETERS, ...options.hyperparameters };
  validateParams(subnetDefaults);
  const blockAt = (date: Date) =>
    Math.max(0, Math.floor((date.getTime() - meta.genesisMs) / (meta.blockSeconds * 1000)));
  const currentBlock = () => blockAt(options.now());

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

  async function readWeights(netuid: number, block: number): Promise<LocalWeights[]> {
    const [stored, pending] = await Promise.all([
      listAll<StoredWeights>(kv, keys.allWeights(netuid)),
      listAll<TimelockedCommit[]>(kv, keys.allTimelocked(netuid)),
    ]);
    const uids = new Set([...stored.keys(), ...pending.keys()]);
    const out: LocalWeights[] = [];
    for (const uid of [...uids].sort((a, b) => a - b)) {
      const effective = revealedWeights(stored.get(uid) ?? null, pending.get(uid) ?? [], block).weights;
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

  async function setWeights(
    netuid: number,
    weights: WeightVector,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    assertU16Vector("uids", weights.uids);
    assertU16Vector("weights", weights.weights);
    const hotkey = signerHotkey(signer);
    if (!signedBy(signer, hotkey, "set_weights", { netuid, ...weights, versionKey })) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, count, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      const commitReveal = params.commitRevealEnabled;
      const check = checkWeights({
        params,
        subnetN: count.value ?? 0,
        neuron: neuron?.value ?? null,
        isOwner: hotkey === subnet.value.ownerHotkey,
        block,
        uids: weights.uids,
        values: weights.weights,
        versionKey,
        rateLimit: commitReveal ? "CommittingWeightsTooFast" : "SettingWeightsTooFast",
      });
      if (!check.ok) return refused(check.error);
      const n = neuron!;
      const record: StoredWeights = {
        hotkey,
        block,
        uids: [...weights.uids],
        values: check.values,
        versionKey,
      };
      const atomic = kv.atomic().check(subnet, count, uid, n).set(n.key, { ...n.value, lastUpdate: block });
      if (!commitReveal) {
        return { atomic: atomic.set(keys.weights(netuid, n.value.uid), record), result: setOk(block, "set") };
      }
      // CRv4-style: fold commits already revealed into the stored weights, then queue this one.
      const [stored, pending] = await retry(() =>
        kv.getMany<[StoredWeights, TimelockedCommit[]]>([
          keys.weights(netuid, n.value.uid),
          keys.timelocked(netuid, n.value.uid),
        ])
      );
      const folded = revealedWeights(stored.value, pending.value ?? [], block);
      const epoch = epochIndex(netuid, block, params.tempo);
      const sameEpoch = folded.pending.filter((c) =>
        epochIndex(netuid, c.commitBlock, params.tempo) === epoch
      );
      if (sameEpoch.length >= MAX_UNREVEALED_COMMITS) return refused("TooManyUnrevealedCommits");
      const revealBlock = revealBlocks(netuid, block, params).first;
      const queued = [...folded.pending, { ...record, block: revealBlock, commitBlock: block }];
      atomic.check(stored, pending).set(keys.timelocked(netuid, n.value.uid), queued);
      if (folded.weights) atomic.set(keys.weights(netuid, n.value.uid), folded.weights);
      return { atomic, result: setOk(block, "commit") };
    });
  }

  async function commitWeights(
    netuid: number,
    commitHash: string,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    if (!/^0x[0-9a-f]{64}$/i.test(commitHash)) {
      throw new TypeError(`Cannot encode commit hash: "${commitHash}" is not an H256`);
    }
    const hash = commitHash.toLowerCase();
    const hotkey = signerHotkey(signer);
    if (!signedBy(signer, hotkey, "commit_weights", { netuid, hash })) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      if (!params.commitRevealEnabled) return refused("CommitRevealDisabled");
      if (neuron === null) return refused("HotKeyNotRegisteredInSubNet");
      if (!rateLimitPassed(neuron.value.lastUpdate, block, params.weightsRateLimit)) {
        return refused("CommittingWeightsTooFast");
      }
      const commits = await retry(() => kv.get<HashCommit[]>(keys.hashCommits(netuid, hotkey)));
      const live = (commits.value ?? []).filter((c) =>
        revealState(netuid, c.commitBlock, block, params) !== "expired"
      );
      if (live.length >= MAX_UNREVEALED_COMMITS) return refused("TooManyUnrevealedCommits");
      const atomic = kv.atomic().check(subnet, uid, neuron, commits)
        .set(keys.hashCommits(netuid, hotkey), [...live, { hash, commitBlock: block }])
        .set(neuron.key, { ...neuron.value, lastUpdate: block });
      return { atomic, result: setOk(block, "commit") };
    });
  }

  async function revealWeights(
    netuid: number,
    reveal: WeightsReveal,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    const hotkey = signerHotkey(signer);
    const hash = weightsCommitHash({ hotkey, netuid, ...reveal });
    if (!signedBy(signer, hotkey, "reveal_weights", { netuid, ...reveal })) return badProof();
    return await transact<SetWeightsResult>(async () => {
      const block = currentBlock();
      const { subnet, count, uid, neuron } = await readCaller(netuid, hotkey);
      if (subnet.value === null) return refused("SubNetworkDoesNotExist");
      const params = subnet.value.params;
      if (!params.commitRevealEnabled) return refused("CommitRevealDisabled");
      const commits = await retry(() => kv.get<HashCommit[]>(keys.hashCommits(netuid, hotkey)));
      if (!commits.value?.length) return refused("NoWeightsCommitFound");
      const expired = commits.value.filter((c) =>
        revealState(netuid, c.commitBlock, block, params) === "expired"
      );
      const live = commits.value.filter((c) => !expired.includes(c));
      const position = live.findIndex((c) => c.hash === hash);
      if (position < 0) {
        if (expired.some((c) => c.hash === hash)) return refused("ExpiredWeightCommit");
        return refused(live.length === 0 ? "NoWeightsCommitFound" : "InvalidRevealCommitHashNotMatch");
      }
      if (revealState(netuid, live[position].commitBlock, block, params) !== "open") {
        return refused("RevealTooEarly");
      }
      const check = checkWeights({
        params,
        subnetN: count.value ?? 0,
        neuron: neuron?.value ?? null,
        isOwner: hotkey === subnet.value.ownerHotkey,
        block,
        uids: reveal.uids,
        values: reveal.values,
        versionKey: reveal.versionKey,
        rateLimit: null, // with commit-reveal on, do_set_weights skips the rate limit
      });
      if (!check.ok) return refused(check.error);
      const record: StoredWeights = {
        hotkey,
        block,
        uids: [...reveal.uids],
        values: check.values,
        versionKey: reveal.versionKey,
      };
      // The chain drops every commit up to and including the revealed one; last_update stays (CR is on).
      const atomic = kv.atomic().check(subnet, count, uid, neuron!, commits)
        .set(keys.hashCommits(netuid, hotkey), live.slice(position + 1))
        .set(keys.weights(netuid, neuron!.value.uid), record);
      return { atomic, result: setOk(block, "set") };
    });
  }

  async function registerNeuron(netuid: number, input: RegisterNeuronInput): Promise<LocalNeuron> {
    if (!isHotkeyAddress(input.hotkey)) {
      throw new TypeError(`Cannot register hotkey "${input.hotkey}": not an SS58 address with prefix 42`);
    }
    assertStake(input.stake ?? 0);
    return await transact(async () => {
      const block = currentBlock();
      const [subnet, count, existing] = await retry(() =>
        kv.getMany<[SubnetRecord, number, number]>([
          keys.subnet(netuid),
          keys.count(netuid),
          keys.uid(netuid, input.hotkey),
        ])
      );
      if (subnet.value === null) {
        throw new RangeError(`Subnet ${netuid} does not exist: SubNetworkDoesNotExist`);
      }
      if (existing.value !== null) {
        throw new RangeError(
          `Cannot register hotkey "${input.hotkey}" on subnet ${netuid}: HotKeyAlreadyRegisteredInSubNet`,
        );
      }
      const n = count.value ?? 0;
      const uid = input.uid ?? n;
      const record: NeuronRecord = {
        uid,
        hotkey: input.hotkey,
        coldkey: input.coldkey,
        stake: input.stake ?? 0,
        validatorPermit: input.validatorPermit ?? false,
        axon: input.axon ?? null,
        registeredBlock: block,
        lastUpdate: null,
      };
      const atomic = kv.atomic().check(subnet, count, existing).set(keys.uid(netuid, input.hotkey), uid)
        .set(keys.neuron(netuid, uid), record);
      if (input.uid === undefined) {
        if (n >= subnet.value.params.maxAllowedUids) {
          throw new RangeError(
            `Cannot register on subnet ${netuid}: all ${n} uids are taken; pass a uid to replace`,
          );
        }
        atomic.set(keys.count(netuid), n + 1);
      } else {
        if (!Number.isInteger(uid) || uid < 0 || uid >= n) {
          throw new RangeError(`Cannot replace uid "${uid}" on subnet ${netuid}: it is not registered`);
        }
        // Pruning: the old hotkey leaves, and its weights and pending commits go with it.
        const old = (await retry(() => kv.get<NeuronRecord>(keys.neuron(netuid, uid)))) as Deno.KvEntry<
          NeuronRecord
        >;
        atomic.check(old).delete(keys.uid(netuid, old.value.hotkey)).delete(keys.weights(netuid, uid))
          .delete(keys.timelocked(netuid, uid)).delete(keys.hashCommits(netuid, old.value.hotkey));
      }
      return { atomic, result: toLocalNeuron(record) };
    });
  }

  return {
    description: `local:${options.path}`,
    genesisMs: meta.genesisMs,
    blockSeconds: meta.blockSeconds,
    currentBlock: () => Promise.resolve(currentBlock()),
    metagraph: (netuid) => readMetagraph(netuid, currentBlock()),
    async hyperparameters(netuid) {
      return { ...(await requireSubnet(netuid)).value.params };
    },
    async ownerHotkey(netuid) {
      return (await requireSubnet(netuid)).value.ownerHotkey;
    },
    setWeights,
    commitWeights,
    revealWeights,
    async createSubnet(netuid, input = {}) {
      assertU16Vector("netuid", [netuid]);
      const params = { ...subnetDefaults, ...input.hyperparameters };
      validateParams(params);
      const record: SubnetRecord = {
        ownerHotkey: input.ownerHotkey ?? null,
        ownerColdkey: input.ownerColdkey ?? null,
        params,
      };
      const result = await retry(() =>
        kv.atomic().check({ key: keys.subnet(netuid), versionstamp: null }).set(keys.subnet(netuid), record)
          .commit()
      );
      if (!result.ok) throw new RangeError(`Cannot create subnet ${netuid}: it exists`);
    },
    async setHyperparameters(netuid, changes) {
      return await transact(async () => {
        const subnet = await requireSubnet(netuid);
        const params = { ...subnet.value.params, ...changes };
        validateParams(params);
        return {
          atomic: kv.atomic().check(subnet).set(subnet.key, { ...subnet.value, params }),
          result: params,
        };
      });
    },
    registerNeuron,
    async setStake(netuid, hotkey, stake) {
      assertStake(stake);
      await updateNeuron(netuid, hotkey, (n) => ({ ...n, stake }));
    },
    async setValidatorPermit(netuid, hotkey, permit) {
      await updateNeuron(netuid, hotkey, (n) => ({ ...n, validatorPermit: permit }));
    },
    async setAxon(netuid, hotkey, axon) {
      await updateNeuron(netuid, hotkey, (n) => ({ ...n, axon }));
    },
    async weights(netuid) {
      await requireSubnet(netuid);
      return await readWeights(netuid, currentBlock());
    },
    async consensus(netuid) {
      const block = currentBlock();
      const subnet = await requireSubnet(netuid);
      const [neurons, weights] = await Promise.all([readNeurons(netuid), readWeights(netuid, block)]);
      const { params, ownerHotkey } = subnet.value;
      return yumaSummary({
        block,
        neurons,
        weights,
        kappa: params.kappa,
        activityCutoff: params.activityCutoff,
        stakeThreshold: params.stakeThreshold,
        ownerUid: neurons.find((n) => n.hotkey === ownerHotkey)?.uid ?? null,
      });
    },
    close: () => kv.close(),
  };
}

// The stored weights as of `block`: timelocked commits whose reveal block has come replace older weights
// (a commit whose neuron changed hands since is dropped, as the chain checks the hotkey at reveal).
function revealedWeights(
  stored: StoredWeights | null,
  pending: TimelockedCommit[],
  block: number,
): { weights: StoredWeights | null; pending: TimelockedCommit[] } {
  let weights = stored;
  const waiting: TimelockedCommit[] = [];
  for (const commit of [...pending].sort((a, b) => a.block - b.block || a.commitBlock - b.commitBlock)) {
    if (commit.block > block) {
      waiting.push(commit);
    } else if (!weights || commit.block >= weights.block) {
      const { commitBlock: _, ...revealed } = commit;
      weights = revealed;
    }
  }
  return { weights, pending: waiting };
}

/** One attempt of a transaction: a write to commit (and the answer once it lands), or an answer now. */
type Attempt<T> = { atomic: Deno.AtomicOperation; result: T } | { done: T };

// Runs a read-then-atomic-write until its checks hold (another process may write in between). An attempt
// may answer without writing (a refusal); a thrown error ends the transaction.
async function transact<T>(attempt: () => Promise<Attempt<T>>): Promise<T> {
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const outcome = await attempt();
    if ("done" in outcome) return outcome.done;
    const committed = await retry(() => outcome.atomic.commit());
    if (committed.ok) return outcome.result;
    await pause(i + 1);
  }
  throw new Error(`Cannot write to the local chain: ${MAX_ATTEMPTS} attempts conflicted with other writers`);
}

// Retries SQLite lock errors: other processes (validators, the localnet driver) share the file.
async function retry<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const locked = error instanceof TypeError && /database is (locked|busy)/i.test(error.message);
      if (!locked || attempt >= MAX_ATTEMPTS) throw error;
      await pause(attempt);
    }
  }
}

// Jitter keeps writers from retrying in lock-step; it needs no determinism.
function pause(attempt: number): Promise<void> {
  const ms = Math.min(MAX_PAUSE_MS, 2 * attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function listAll<T>(kv: Deno.Kv, prefix: Deno.KvKey): Promise<Map<number, T>> {
  return await retry(async () => {
    const out = new Map<number, T>();
    for await (const entry of kv.list<T>({ prefix })) {
      out.set(entry.key[entry.key.length - 1] as number, entry.value);
    }
    return out;
  });
}

function signerHotkey(signer: KeyringPair): string {
  return encodeAddress(signer.publicKey, SS58_PREFIX);
}

// The extrinsic's signature check: the pair must hold the hotkey's sr25519 secret.
function signedBy(signer: KeyringPair, hotkey: string, call: string, args: unknown): boolean {
  const message = `local_chain:${call}:${JSON.stringify(args)}`;
  try {
    return verifyHotkeySignature({ message, signature: signMessage(signer, message), hotkey });
  } catch (error) {
    if (error instanceof Error) return false; // a locked or non-sr25519 pair cannot sign
    throw error;
  }
}

function refused(error: WeightsError): { done: SetWeightsResult } {
  return { done: { ok: false, error } };
}

function badProof(): SetWeightsResult {
  return { ok: false, error: "BadProof" satisfies WeightsError };
}

function setOk(block: number, mode: "set" | "commit"): SetWeightsResult {
  return { ok: true, block, mode };
}

function toLocalNeuron(n: NeuronRecord): LocalNeuron {
  const { lastUpdate, ...rest } = n;
  return { ...rest, lastUpdate: lastUpdate ?? 0 };
}

function assertStake(stake: number): void {
  if (!Number.isFinite(stake) || stake < 0) {
    throw new RangeError(`Invalid stake: "${stake}" is not a non-negative number`);
  }
}

function validateParams(params: LocalHyperparameters): void {
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
