/**
 * The subtensor chain adapter: `ChainAdapter` over @polkadot/api 16.5.6 for finney, testnet or any
 * subtensor node (`CHAIN_ENDPOINT=finney | test | ws(s)://...`). Everything is decoded with the types of
 * the node's own metadata; nothing about subtensor is hard-coded except call, storage and runtime-API
 * names (shared/reference/bittensor-protocol.md §3).
 *
 * Reads (each at one block hash, so a result is consistent):
 * - `metagraph`: `NeuronInfoRuntimeApi.get_neurons_lite(netuid)`: uid, hotkey, coldkey, alpha stake (rao
 *   summed, then whole alpha), validator permit, axon (IP 0 = not serving) and last update; plus the
 *   `SubnetOwnerHotkey` storage.
 * - `hyperparameters`: `SubnetInfoRuntimeApi.get_subnet_hyperparams_v2(netuid)` (None: no such subnet).
 * - `currentBlock`: the best block's header.
 *
 * Writes (signed by the hotkey pair passed in, with its account nonce; mortal era; every subtensor
 * extension is zero-sized so stock polkadot-js encodes valid extrinsics):
 * - `setWeights` sends `version_key` = the subnet's `WeightsVersionKey` (or the `versionKey` option),
 *   refuses without sending when the hotkey is not registered or `block - last_update < weights rate limit`
 *   (`SettingWeightsTooFast`, or `CommittingWeightsTooFast` with commit-reveal on, as the chain names
 *   them), then with commit-reveal off submits `SubtensorModule.set_weights`, and with it on commits the
 *   CRv2 hash (`commit_weights`, hash = `weightsCommitHash`, salt 8 random u16) after persisting the
 *   plaintext under `stateDir` (reveal_store.ts). `revealDue(signer)` sends `reveal_weights` for every
 *   owed reveal whose window (read from the chain's `WeightCommits` entry) has come; the validator loop
 *   calls it every tick, so a restarted process still reveals at the right block.
 * - `serveAxon`: `SubtensorModule.serve_axon` (skipped when the chain already holds the same axon; refused
 *   without sending inside the serving rate limit).
 *
 * Outcomes: a dispatch failure is reported by the chain's error name (`SettingWeightsTooFast`, decoded
 * from the module error with the metadata), a pool rejection by the node's RPC message as it is (e.g.
 * `1010: Invalid Transaction: Custom error: 6`). Transient failures (RPC/transport errors, dropped or
 * invalid status, no inclusion in time) are retried a bounded number of times with doubling pauses; before
 * a retry the chain is re-read so an attempt that did land is not sent twice. All submissions of one
 * adapter are serialised (one nonce sequence).
 *
 * Not done: timelocked commits (CRv3/v4, `commit_timelocked_weights`, what SDK 10 sends): the drand/TLE
 * encryption could be built from an npm wasm, but neither the ciphertext nor the reveal-round choice can be
 * checked against a chain here. With commit-reveal on this adapter uses CRv2 (`commit_weights` 96 /
 * `reveal_weights` 97), which the subtensor sources still dispatch; that was not tried on a live chain.
 * @module
 */
import { ApiPromise, type SubmittableResult, WsProvider } from "@polkadot/api";
import { encodeAddress } from "@polkadot/util-crypto";
import type { Logger } from "../../log.ts";
import type { Registry } from "../../metrics.ts";
import type { ChainAdapter, SetWeightsResult, SubnetHyperparameters, WeightVector } from "../../ports.ts";
import type { MetagraphSnapshot, Neuron } from "../../schemas/metagraph.ts";
import { cryptoReady, type KeyringPair, SS58_PREFIX } from "../../signature.ts";
import { ipFromChain, ipToChain } from "../../chain/axon_ip.ts";
import { openRevealStore, type PendingReveal, type RevealStore } from "./reveal_store.ts";
import {
  assertU16Vector,
  rateLimitPassed,
  revealBlocks,
  weightsCommitHash,
} from "../../chain/weight_rules.ts";

/** The public endpoints the SDK names (bittensor/core/settings.py). */
export const SUBTENSOR_ENDPOINTS: Readonly<Record<"finney" | "test", string>> = Object.freeze({
  finney: "wss://entrypoint-finney.opentensor.ai:443",
  test: "wss://test.finney.opentensor.ai:443",
});

/** The axon version `serve_axon` sends by default: the SDK's `version_as_int` of 10.2.0. */
export const DEFAULT_AXON_VERSION = 10_002_000;

/** Alpha and TAO have 9 decimals (1 alpha = 1e9 rao). */
const RAO_PER_UNIT = 1_000_000_000n;

/** A JSON-RPC provider as @polkadot/api takes it (a `WsProvider`, or an in-memory one in tests). */
export type SubtensorProvider = NonNullable<
  NonNullable<ConstructorParameters<typeof ApiPromise>[0]>["provider"]
>;

/** Options of `openSubtensorChain`. */
export interface SubtensorChainOptions {
  /** `finney`, `test` or a ws(s):// URL. */
  endpoint: string;
  /** Used instead of a `WsProvider` on the endpoint (tests pass an in-memory provider). */
  provider?: SubtensorProvider;
  now: () => Date;
  log: Logger;
  metrics: Registry;
  /** Folder of the owed-reveals file; needed to commit weights (commit-reveal on). */
  stateDir?: string;
  /** The version key sent with weights; default: the subnet's `WeightsVersionKey`. */
  versionKey?: number;
  /** Attempts per extrinsic (first try included); default 3. */
  attempts?: number;
  /** Pause before the first retry, doubled each time up to `maxBackoffMs`; default 2000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long to wait for an extrinsic to be in a block before retrying; default 120 s (10 blocks). */
  inclusionTimeoutMs?: number;
  /** How long `openSubtensorChain` waits for the node; default 30 s. */
  connectTimeoutMs?: number;
  /** Injected for tests; default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The CRv2 salt; default 8 random u16. */
  salt?: () => number[];
}

/** An axon endpoint as the metagraph reports it. */
export interface SubtensorAxon {
  ip: string;
  port: number;
}

/** A neuron with the fields only the chain reports. */
export interface SubtensorNeuron extends Neuron {
  axon: SubtensorAxon | null;
  /** Block of the last weight setting or commit; 0 = never. */
  lastUpdate: number;
  active: boolean;
}

/** `metagraph()`'s snapshot: a `MetagraphSnapshot` plus the subnet owner and per-neuron fields. */
export interface SubtensorMetagraph extends MetagraphSnapshot {
  ownerHotkey: string | null;
  neurons: SubtensorNeuron[];
}

/** The port's hyperparameters plus the few the adapter also uses. */
export interface SubtensorHyperparameters extends SubnetHyperparameters {
  /** Blocks between two `serve_axon` of one hotkey (0 = no limit). */
  servingRateLimit: number;
  /** Blocks after its last update until a validator counts as inactive. */
  activityCutoff: number;
  /** Consensus majority as a u16 fraction of 65535. */
  kappa: number;
}

/** What `revealDue` did with one owed reveal. */
export interface RevealOutcome {
  hash: string;
  netuid: number;
  outcome: "revealed" | "waiting" | "dropped" | "retry";
  /** The inclusion block (revealed), or the first reveal block (waiting). */
  block?: number;
  /** The chain's error name or the reason the entry was dropped or kept. */
  error?: string;
}

/** Input of `serveAxon`. */
export interface ServeAxonInput {
  netuid: number;
  /** Public IPv4 or IPv6 address (the chain refuses 127.0.0.1 and private ranges as it sees fit). */
  ip: string;
  port: number;
  signer: KeyringPair;
  /** Default 4, as the SDK sends. */
  protocol?: number;
  /** Default `DEFAULT_AXON_VERSION`. */
  version?: number;
  /** Send even when the chain already holds the same axon. */
  force?: boolean;
}

/** The outcome of `serveAxon`. */
export type ServeAxonResult = { ok: true; block: number; skipped: boolean } | { ok: false; error: string };

/** The subtensor adapter. `close()` it when done. */
export interface SubtensorChain extends ChainAdapter {
  /** The connected API (its registry decodes anything the node sends). */
  readonly api: ApiPromise;
  /** The ws(s) URL (or `memory` for an injected provider). */
  readonly url: string;
  metagraph(netuid: number): Promise<SubtensorMetagraph>;
  hyperparameters(netuid: number): Promise<SubtensorHyperparameters>;
  /**
   * Sends `reveal_weights` for each reveal `signer` owes whose window includes `nowBlock` (default: the
   * best block); drops expired or refused ones. Cheap when nothing is owed (no chain access).
   */
  revealDue(signer: KeyringPair, nowBlock?: number): Promise<RevealOutcome[]>;
  /** The owed reveals (all hotkeys), oldest first. */
  pendingReveals(): PendingReveal[];
  serveAxon(input: ServeAxonInput): Promise<ServeAxonResult>;
  close(): Promise<void>;
}

/** True when `chain` has a reveal scheduler the validator loop must drive (the subtensor adapter). */
export function hasRevealScheduler(
  chain: ChainAdapter,
): chain is ChainAdapter & Pick<SubtensorChain, "revealDue"> {
  return typeof (chain as Partial<SubtensorChain>).revealDue === "function";
}

/** The ws(s) URL of a `CHAIN_ENDPOINT` naming subtensor: `finney`, `test` or the URL itself. */
export function resolveSubtensorEndpoint(endpoint: string): string {
  if (endpoint === "finney" || endpoint === "test") return SUBTENSOR_ENDPOINTS[endpoint];
  if (/^wss?:\/\/\S+$/.test(endpoint)) return endpoint;
  if (endpoint.startsWith("local:")) {
    throw new RangeError(
      `Endpoint "${endpoint}" is the local chain, not subtensor: open it with openLocalChain`,
    );
  }
  throw new RangeError(`Invalid subtensor endpoint "${endpoint}": expected finney, test or a ws(s):// URL`);
}

// Subtensor's own transaction extensions carry no bytes (explicit and implicit are `()`); declaring them
// tells the registry so and silences its "unknown signed extension" warning.
const ZERO_SIZED = { extrinsic: {}, payload: {} };
const SIGNED_EXTENSIONS = {
  SudoTransactionExtension: ZERO_SIZED,
  CheckShieldedTxValidity: ZERO_SIZED,
  SubtensorTransactionExtension: ZERO_SIZED,
  DrandPriority: ZERO_SIZED,
};

// An unconfirmed commit (persisted, then the process stopped) missing from the chain is given up after
// this long: its extrinsic's mortal era (64 blocks, 12.8 min) has passed, so it can no longer land.
const UNCONFIRMED_GRACE_MS = 15 * 60_000;
// Blocks between two tries of a reveal the chain refused for now.
const REVEAL_RETRY_BLOCKS = 2;

// Pool rejections that a resubmission cannot fix.
const PERMANENT_RPC = /Custom error|bad signature|BadProof|Inability to pay|invalid payment/i;

/** Connects to the node and returns the adapter; fails when the node does not answer in time. */
export async function openSubtensorChain(options: SubtensorChainOptions): Promise<SubtensorChain> {
  const url = options.provider ? "memory" : resolveSubtensorEndpoint(options.endpoint);
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`Invalid attempts "${attempts}": expected an integer >= 1`);
  }
  await cryptoReady();
  const provider = options.provider ?? new WsProvider(url, 2_500, {}, 60_000);
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let api: ApiPromise;
  try {
    api = await Promise.race([
      ApiPromise.create({
        provider,
        noInitWarn: true,
        throwOnConnect: true,
        signedExtensions: SIGNED_EXTENSIONS,
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`Cannot connect to subtensor at ${url}: no answer in ${connectTimeoutMs} ms`)),
          connectTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    await provider.disconnect().catch(() => {});
    if (error instanceof Error && error.message.startsWith("Cannot connect")) throw error;
    // A refused WebSocket rejects with an ErrorEvent, not an Error.
    const reason = (error as { message?: unknown })?.message ?? error;
    throw new Error(`Cannot connect to subtensor at ${url}: ${String(reason) || "connection failed"}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
  try {
    const store = options.stateDir ? await openRevealStore(options.stateDir) : null;
    return createSubtensorChain(api, url, store, { ...options, attempts });
  } catch (error) {
    await api.disconnect();
    throw error;
  }
}

// --- decoding helpers: the API has no subtensor type augmentation, so codecs are read structurally ---

interface IntCodec {
  toBigInt(): bigint;
  toNumber(): number;
}
interface OptionCodec<T> {
  isSome: boolean;
  unwrap(): T;
}
interface BoolCodec {
  isTrue: boolean;
}
interface BytesCodec {
  toU8a(bare?: boolean): Uint8Array;
  toHex(): string;
}
interface AxonInfoCodec {
  block: IntCodec;
  version: IntCodec;
  ip: IntCodec;
  port: IntCodec;
  ipType: IntCodec;
  protocol: IntCodec;
}
interface NeuronLiteCodec {
  hotkey: BytesCodec;
  coldkey: BytesCodec;
  uid: IntCodec;
  active: BoolCodec;
  axonInfo: AxonInfoCodec;
  stake: [BytesCodec, IntCodec][];
  lastUpdate: IntCodec;
  validatorPermit: BoolCodec;
}
interface HyperparamsCodec {
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
type WeightCommitCodec = [BytesCodec, IntCodec, IntCodec, IntCodec];

interface DispatchErrorCodec {
  isModule: boolean;
  asModule: unknown;
  type: string;
}

type Tx = ReturnType<ApiPromise["tx"]>;
type Submitted = { ok: true; block: number; blockHash: string | null } | {
  ok: false;
  error: string;
  /** A dispatch (module) error or a permanent pool rejection: retrying cannot help. */
  permanent: boolean;
};

const ss58 = (bytes: BytesCodec | Uint8Array) =>
  encodeAddress(bytes instanceof Uint8Array ? bytes : bytes.toU8a(), SS58_PREFIX);

/** Whole units of a rao amount (9 decimals), as a float. */
export function raoToUnits(rao: bigint): number {
  return Number(rao / RAO_PER_UNIT) + Number(rao % RAO_PER_UNIT) / 1e9;
}

function createSubtensorChain(
  api: ApiPromise,
  url: string,
  store: RevealStore | null,
  options: SubtensorChainOptions & { attempts: number },
): SubtensorChain {
  const { log, metrics } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const backoffMs = options.backoffMs ?? 2_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const inclusionTimeoutMs = options.inclusionTimeoutMs ?? 120_000;
  const newSalt = options.salt ?? (() => Array.from(crypto.getRandomValues(new Uint16Array(8))));
  const outcomes = metrics.counter(
    "zipmine_subtensor_weights_total",
    "Weight extrinsics on subtensor by outcome: set, committed, revealed, failed",
  );
  const failures = metrics.counter(
    "zipmine_subtensor_failures_total",
    "Refused or failed subtensor calls, by call and the chain's error name",
  );
  const retries = metrics.counter(
    "zipmine_subtensor_retries_total",
    "Resubmissions after a transient failure",
  );
  const description = url === "memory" ? "subtensor:memory" : `subtensor:${url}`;
  const inFlight = new Set<string>();
  // Owed reveals the chain turned down for now (RevealTooEarly, transient): the block to try again.
  const retryAt = new Map<string, number>();

  // One submission at a time: the nonce comes from the chain, so two in parallel would collide.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  }

  async function head(): Promise<{ hash: string; number: number }> {
    const hash = await api.rpc.chain.getBlockHash();
    const header = await api.rpc.chain.getHeader(hash);
    return { hash: hash.toHex(), number: header.number.toNumber() };
  }

  async function readHyperparameters(netuid: number, blockHash: string): Promise<SubtensorHyperparameters> {
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

  async function readOwner(netuid: number, blockHash: string): Promise<string | null> {
    const at = await api.at(blockHash);
    const owner = await at.query.subtensorModule.subnetOwnerHotkey(netuid) as unknown as BytesCodec;
    const bytes = owner.toU8a();
    return bytes.every((b) => b === 0) ? null : ss58(bytes);
  }

  async function readMetagraph(netuid: number): Promise<SubtensorMetagraph> {
    const { hash, number } = await head();
    const at = await api.at(hash);
    const list = await at.call.neuronInfoRuntimeApi.getNeuronsLite(netuid) as unknown as NeuronLiteCodec[];
    if (list.length === 0) {
      const exists = await at.query.subtensorModule.networksAdded(netuid) as unknown as BoolCodec;
      if (!exists.isTrue) throw new RangeError(`Subnet ${netuid} does not exist on ${description}`);
    }
    const neurons = [...list].map((n): SubtensorNeuron => {
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
    }).sort((a, b) => a.uid - b.uid);
    return { netuid, block: number, ownerHotkey: await readOwner(netuid, hash), neurons };
  }

  /** The signer's uid and last update at `blockHash`, or null when it is not registered. */
  async function readNeuronState(netuid: number, hotkey: string, blockHash: string) {
    const at = await api.at(blockHash);
    const uid = await at.query.subtensorModule.uids(netuid, hotkey) as unknown as OptionCodec<IntCodec>;
    if (!uid.isSome) return null;
    const n = uid.unwrap().toNumber();
    // LastUpdate is keyed by the netuid index: mechanism 0's index is the netuid.
    const updates = await at.query.subtensorModule.lastUpdate(netuid) as unknown as IntCodec[];
    const last = n < updates.length ? updates[n].toNumber() : 0;
    return { uid: n, lastUpdate: last };
  }

  /** The chain's entry for commit `hash` of `hotkey` at `blockHash`, or null. */
  async function readCommit(netuid: number, hotkey: string, hash: string, blockHash: string) {
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

  function describeDispatchError(error: DispatchErrorCodec): string {
    if (!error.isModule) return error.type;
    const found = api.registry.findMetaError(
      error.asModule as Parameters<typeof api.registry.findMetaError>[0],
    );
    return found.section === "subtensorModule" ? found.name : `${found.section}.${found.name}`;
  }

  /** Signs `tx` with the account's next nonce, submits it and waits until it is in a block. */
  function submitOnce(tx: Tx, signer: KeyringPair): Promise<Submitted> {
    return new Promise<Submitted>((resolve) => {
      let done = false;
      let unsubscribe: (() => void) | null = null;
      const finish = (outcome: Submitted) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe?.();
        resolve(outcome);
      };
      const timer = setTimeout(
        () => finish({ ok: false, error: `not in a block after ${inclusionTimeoutMs} ms`, permanent: false }),
        inclusionTimeoutMs,
      );
      const onStatus = (result: SubmittableResult) => {
        const status = result.status;
        if (status.isInBlock || status.isFinalized) {
          const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
          if (result.dispatchError) {
            const error = describeDispatchError(result.dispatchError as unknown as DispatchErrorCodec);
            finish({ ok: false, error, permanent: true });
          } else if (result.internalError) {
            finish({
              ok: false,
              error: `cannot read the block's events: ${result.internalError.message}`,
              permanent: false,
            });
          } else if (result.blockNumber === undefined) {
            finish({ ok: false, error: "extrinsic not found in its block", permanent: false });
          } else {
            finish({ ok: true, block: result.blockNumber.toNumber(), blockHash });
          }
        } else if (result.isError) {
          finish({ ok: false, error: `extrinsic ${status.type}`, permanent: false });
        }
      };
      tx.signAndSend(signer, { nonce: -1 }, onStatus).then(
        (unsub) => {
          if (done) unsub();
          else unsubscribe = unsub;
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          finish({ ok: false, error: message, permanent: PERMANENT_RPC.test(message) });
        },
      );
    });
  }

  /**
   * Submits the call `build()` makes, retrying transient failures with doubling pauses. Before a retry,
   * `landed()` may report that an earlier attempt did land after all (then no resubmission).
   */
  function submit(
    call: string,
    build: () => Tx,
    signer: KeyringPair,
    landed?: () => Promise<Submitted | null>,
  ): Promise<Submitted> {
    return serial(async () => {
      let last: Submitted | null = null;
      for (let attempt = 1; attempt <= options.attempts; attempt++) {
        if (attempt > 1) {
          await sleep(Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 2)));
          const already = await landed?.().catch(() => null);
          if (already) return already;
          retries.inc({ call });
        }
        const outcome = await submitOnce(build(), signer);
        if (outcome.ok || outcome.permanent) return outcome;
        last = outcome;
        const final = attempt === options.attempts;
        log.warn(final ? "subtensor call failed; giving up" : "subtensor call failed; will retry", {
          call,
          attempt,
          error: outcome.error,
        });
      }
      return last!;
    });
  }

  function refuse(call: string, error: string): { ok: false; error: string } {
    failures.inc({ call, error });
    if (call !== "serve_axon") outcomes.inc({ outcome: "failed" });
    return { ok: false, error };
  }

  async function setWeights(
    netuid: number,
    weights: WeightVector,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    assertU16Vector("netuid", [netuid]);
    assertU16Vector("uids", weights.uids);
    assertU16Vector("weights", weights.weights);
    const hotkey = ss58(signer.publicKey);
    const top = await head();
    const params = await readHyperparameters(netuid, top.hash);
    const versionKey = options.versionKey ?? params.weightsVersionKey;
    const call = params.commitRevealEnabled ? "commit_weights" : "set_weights";
    const neuron = await readNeuronState(netuid, hotkey, top.hash);
    if (!neuron) return refuse(call, "HotKeyNotRegisteredInSubNet");
    const lastUpdate = neuron.lastUpdate === 0 ? null : neuron.lastUpdate;
    if (!rateLimitPassed(lastUpdate, top.number, params.weightsRateLimit)) {
      const error = params.commitRevealEnabled ? "CommittingWeightsTooFast" : "SettingWeightsTooFast";
      log.info("weights not sent: rate limit", {
        netuid,
        block: top.number,
        lastUpdate,
        limit: params.weightsRateLimit,
      });
      return refuse(call, error);
    }
    // An attempt that timed out may still have landed: the chain then moved our last update.
    const landed = async (): Promise<Submitted | null> => {
      const now = await head();
      const state = await readNeuronState(netuid, hotkey, now.hash);
      return state && state.lastUpdate > neuron.lastUpdate
        ? { ok: true, block: state.lastUpdate, blockHash: null }
        : null;
    };
    if (!params.commitRevealEnabled) {
      const build = () =>
        api.tx.subtensorModule.setWeights(netuid, weights.uids, weights.weights, versionKey);
      const outcome = await submit(call, build, signer, landed);
      if (!outcome.ok) return refuse(call, outcome.error);
      outcomes.inc({ outcome: "set" });
      log.info("weights set on subtensor", {
        netuid,
        block: outcome.block,
        uids: weights.uids.length,
        versionKey,
      });
      return { ok: true, block: outcome.block, mode: "set" };
    }
    return await commit(netuid, hotkey, weights, versionKey, params, signer, landed);
  }

  async function commit(
    netuid: number,
    hotkey: string,
    weights: WeightVector,
    versionKey: number,
    params: SubtensorHyperparameters,
    signer: KeyringPair,
    landed: () => Promise<Submitted | null>,
  ): Promise<SetWeightsResult> {
    if (!store) {
      throw new Error(
        "Cannot commit weights: commit-reveal is on and the adapter has no stateDir for the reveal",
      );
    }
    const salt = newSalt();
    assertU16Vector("salt", salt);
    const hash = weightsCommitHash({
      hotkey,
      netuid,
      uids: weights.uids,
      values: weights.weights,
      salt,
      versionKey,
    });
    const entry: PendingReveal = {
      netuid,
      hotkey,
      hash,
      uids: [...weights.uids],
      values: [...weights.weights],
      salt,
      versionKey,
      commitBlock: null,
      firstRevealBlock: null,
      lastRevealBlock: null,
      createdAt: options.now().toISOString(),
    };
    // Persist first: a crash after the commit lands must still find the plaintext. Marked in flight
    // before, so a concurrent revealDue does not take the unconfirmed entry for a lost commit.
    inFlight.add(hash);
    try {
      await store.put(entry);
      const outcome = await submit(
        "commit_weights",
        () => api.tx.subtensorModule.commitWeights(netuid, hash),
        signer,
        landed,
      );
      if (!outcome.ok) {
        await store.remove(hotkey, hash);
        return refuse("commit_weights", outcome.error);
      }
      // The window as the chain stored it; when that read fails, the legacy epoch rule's.
      const window = await readCommit(netuid, hotkey, hash, outcome.blockHash ?? (await head()).hash)
        .catch((error) => {
          log.warn("cannot read the commit's reveal window; using the computed one", { error });
          return null;
        });
      const fallback = revealBlocks(netuid, outcome.block, params);
      await store.put({
        ...entry,
        commitBlock: window?.commitBlock ?? outcome.block,
        firstRevealBlock: window?.first ?? fallback.first,
        lastRevealBlock: window?.last ?? fallback.last,
      });
      outcomes.inc({ outcome: "committed" });
      log.info("weights committed on subtensor", {
        netuid,
        block: outcome.block,
        revealFrom: window?.first ?? fallback.first,
        revealUntil: window?.last ?? fallback.last,
        windowFrom: window ? "chain" : "computed",
      });
      return { ok: true, block: outcome.block, mode: "commit" };
    } finally {
      inFlight.delete(hash);
    }
  }

  let revealing: Promise<unknown> = Promise.resolve();
  function revealDue(signer: KeyringPair, nowBlock?: number): Promise<RevealOutcome[]> {
    const run = revealing.then(() => revealNow(signer, nowBlock));
    revealing = run.catch(() => {});
    return run;
  }

  async function revealNow(signer: KeyringPair, nowBlock?: number): Promise<RevealOutcome[]> {
    if (!store) return [];
    const hotkey = ss58(signer.publicKey);
    const owed = store.list().filter((r) => r.hotkey === hotkey && !inFlight.has(r.hash));
    if (owed.length === 0) return [];
    const top = await head();
    const block = nowBlock ?? top.number;
    const out: RevealOutcome[] = [];
    const drop = async (r: PendingReveal, error: string) => {
      await store.remove(r.hotkey, r.hash);
      retryAt.delete(r.hash);
      failures.inc({ call: "reveal_weights", error });
      outcomes.inc({ outcome: "failed" });
      log.warn("owed reveal dropped", { netuid: r.netuid, hash: r.hash, error });
      out.push({ hash: r.hash, netuid: r.netuid, outcome: "dropped", error });
    };
    for (let r of owed) {
      if (r.firstRevealBlock === null || r.lastRevealBlock === null) {
        // Persisted before its commit was confirmed (a crash or restart in between): ask the chain.
        const found = await readCommit(r.netuid, r.hotkey, r.hash, top.hash);
        if (!found) {
          // Its extrinsic may still be in the pool; once its mortal era has passed it cannot land.
          const ageMs = options.now().getTime() - Date.parse(r.createdAt);
          if (ageMs >= UNCONFIRMED_GRACE_MS) await drop(r, "NoWeightsCommitFound");
          else out.push({ hash: r.hash, netuid: r.netuid, outcome: "waiting" });
          continue;
        }
        r = {
          ...r,
          commitBlock: found.commitBlock,
          firstRevealBlock: found.first,
          lastRevealBlock: found.last,
        };
        await store.put(r);
      }
      if (block < r.firstRevealBlock!) {
        out.push({ hash: r.hash, netuid: r.netuid, outcome: "waiting", block: r.firstRevealBlock! });
        continue;
      }
      if (block > r.lastRevealBlock!) {
        await drop(r, "ExpiredWeightCommit");
        continue;
      }
      const notBefore = retryAt.get(r.hash) ?? 0;
      if (block < notBefore) {
        out.push({ hash: r.hash, netuid: r.netuid, outcome: "waiting", block: notBefore });
        continue;
      }
      const entry = r;
      const build = () =>
        api.tx.subtensorModule.revealWeights(
          entry.netuid,
          entry.uids,
          entry.values,
          entry.salt,
          entry.versionKey,
        );
      // A reveal that landed removes its commit from the chain's queue.
      const landed = async (): Promise<Submitted | null> => {
        const now = await head();
        const still = await readCommit(entry.netuid, entry.hotkey, entry.hash, now.hash);
        return still ? null : { ok: true, block: now.number, blockHash: now.hash };
      };
      const outcome = await submit("reveal_weights", build, signer, landed);
      if (outcome.ok) {
        await store.remove(entry.hotkey, entry.hash);
        retryAt.delete(entry.hash);
        outcomes.inc({ outcome: "revealed" });
        log.info("weights revealed on subtensor", {
          netuid: entry.netuid,
          block: outcome.block,
          hash: entry.hash,
        });
        out.push({ hash: entry.hash, netuid: entry.netuid, outcome: "revealed", block: outcome.block });
      } else if (outcome.permanent && outcome.error !== "RevealTooEarly") {
        await drop(entry, outcome.error);
      } else {
        // Too early by the chain's clock, or a transient failure: try again in a few blocks while the
        // window lasts (not every tick: each try is a transaction).
        retryAt.set(entry.hash, block + REVEAL_RETRY_BLOCKS);
        failures.inc({ call: "reveal_weights", error: outcome.error });
        log.warn("reveal not accepted yet; will retry", {
          netuid: entry.netuid,
          hash: entry.hash,
          error: outcome.error,
        });
        out.push({ hash: entry.hash, netuid: entry.netuid, outcome: "retry", error: outcome.error });
      }
    }
    return out;
  }

  async function serveAxon(input: ServeAxonInput): Promise<ServeAxonResult> {
    const { netuid, port, signer } = input;
    assertU16Vector("netuid", [netuid]);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new RangeError(`Cannot serve axon: port "${port}" is not in 1..65535`);
    }
    const { ip, ipType } = ipToChain(input.ip);
    const protocol = input.protocol ?? 4;
    const version = input.version ?? DEFAULT_AXON_VERSION;
    const hotkey = ss58(signer.publicKey);
    const top = await head();
    const at = await api.at(top.hash);
    const current = await at.query.subtensorModule.axons(netuid, hotkey) as unknown as OptionCodec<
      AxonInfoCodec
    >;
    if (current.isSome) {
      const a = current.unwrap();
      const same = a.ip.toBigInt() === ip && a.port.toNumber() === port && a.ipType.toNumber() === ipType &&
        a.protocol.toNumber() === protocol && a.version.toNumber() === version;
      if (same && !input.force) {
        log.info("axon already on chain; serve_axon skipped", { netuid, ip: input.ip, port });
        return { ok: true, block: top.number, skipped: true };
      }
      const limit = (await readHyperparameters(netuid, top.hash)).servingRateLimit;
      const lastServe = a.block.toNumber();
      if (limit > 0 && lastServe > 0 && top.number - lastServe < limit) {
        return refuse("serve_axon", "ServingRateLimitExceeded");
      }
    }
    const build = () => api.tx.subtensorModule.serveAxon(netuid, version, ip, port, ipType, protocol, 0, 0);
    const outcome = await submit("serve_axon", build, signer);
    if (!outcome.ok) return refuse("serve_axon", outcome.error);
    log.info("axon served on subtensor", { netuid, block: outcome.block, ip: input.ip, port });
    return { ok: true, block: outcome.block, skipped: false };
  }

  return {
    api,
    url,
    description,
    currentBlock: async () => (await head()).number,
    metagraph: readMetagraph,
    async hyperparameters(netuid) {
      return await readHyperparameters(netuid, (await head()).hash);
    },
    async ownerHotkey(netuid) {
      return await readOwner(netuid, (await head()).hash);
    },
    setWeights,
    revealDue,
    pendingReveals: () => store?.list() ?? [],
    serveAxon,
    async close() {
      await Promise.allSettled([queue, revealing]);
      await api.disconnect();
    },
  };
}
