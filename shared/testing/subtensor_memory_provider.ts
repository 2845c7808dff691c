/**
 * Test support: an in-memory JSON-RPC provider that stands in for a subtensor node, so `ApiPromise` runs
 * offline against the real runtime metadata (tests read tests/fixtures/chain/subtensor-finney-spec393.scale).
 * It answers the RPCs @polkadot/api 16.5.6 uses to start, sign, submit and watch extrinsics, read storage
 * and call runtime APIs; blocks are numbers with synthetic hashes. Storage values, runtime-API answers and
 * the fate of each submitted extrinsic are set by the test, encoded with the API's own registry through
 * the helpers below, so decoding is exercised exactly as against a node.
 *
 * Not a chain: nothing is executed. A test that wants chain behaviour (a commit appearing in storage)
 * writes it in `onSubmit`.
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import { bnToU8a, compactToU8a, hexToU8a, u8aConcat, u8aToHex } from "@polkadot/util";
import { blake2AsHex, xxhashAsHex } from "@polkadot/util-crypto";

/** The runtime version the provider claims; tests check it against the metadata's `System.Version`. */
export interface MemoryRuntimeVersion {
  specName: string;
  implName: string;
  authoringVersion: number;
  specVersion: number;
  implVersion: number;
  transactionVersion: number;
  systemVersion: number;
}

/** Spec 393 of node-subtensor, as the shared metadata's `System.Version` constant says. */
export const SPEC_393: MemoryRuntimeVersion = {
  specName: "node-subtensor",
  implName: "node-subtensor",
  authoringVersion: 1,
  specVersion: 393,
  implVersion: 1,
  transactionVersion: 1,
  systemVersion: 1,
};

/** What happens to a submitted extrinsic. */
export interface SubmitDecision {
  /** Reject at submission with this RPC error message (as a node's pool would), e.g. `1014: Priority…`. */
  reject?: string;
  /** SCALE hex of the block's `Vec<EventRecord>`; default: `systemEvents(api, 0, null)` if an API is set. */
  events?: string;
}

type Callback = (error: Error | null, result: unknown) => void;

const SYSTEM_EVENTS_KEY = xxhashAsHex("System", 128) + xxhashAsHex("Events", 128).slice(2);

/** The synthetic hash of block `n` (the number sits in the last 8 hex digits). */
export function memoryBlockHash(n: number): string {
  return `0x${"ab".repeat(28)}${n.toString(16).padStart(8, "0")}`;
}

function blockOf(hash: unknown): number | null {
  if (typeof hash !== "string" || !hash.startsWith(`0x${"ab".repeat(28)}`)) return null;
  return parseInt(hash.slice(-8), 16);
}

/**
 * The provider. Pass it as `provider` to `openSubtensorChain`; after the API is up call `useApi(api)` so
 * the default events of included extrinsics can be encoded.
 */
export class MemorySubtensorProvider {
  /** The best (and finalised) block. */
  block: number;
  /** Raw storage: hex key to hex value (absent: none). */
  readonly storage = new Map<string, string>();
  /** Runtime API handlers by `Api_method` name: hex argument bytes to hex answer. */
  readonly runtimeCalls = new Map<string, (data: string) => string>();
  /** Every extrinsic the node accepted, as hex, in order. */
  readonly submitted: string[] = [];
  /** Every submission attempt, accepted or rejected. */
  readonly attempts: string[] = [];
  /** Every request: method and params. */
  readonly requests: { method: string; params: unknown[] }[] = [];
  /** Decides each submission's fate; default: included and successful. */
  onSubmit: (extrinsicHex: string) => SubmitDecision = () => ({});
  /** Decoding API (for default events); set by `useApi`. */
  api: ApiPromise | null = null;

  readonly #metadata: Uint8Array;
  readonly #version: MemoryRuntimeVersion;
  readonly #blocks = new Map<number, { extrinsics: string[]; events: string }>();
  readonly #listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #nextSubscription = 1;
  #connected = true;

  constructor(options: { metadata: Uint8Array; runtimeVersion?: MemoryRuntimeVersion; block?: number }) {
    this.#metadata = options.metadata;
    this.#version = options.runtimeVersion ?? SPEC_393;
    this.block = options.block ?? 1_000;
  }

  /** Lets the provider encode default events with `api`'s registry. */
  useApi(api: ApiPromise): void {
    this.api = api;
  }

  /** The extrinsics included in block `n`. */
  blockExtrinsics(n: number): string[] {
    return [...(this.#blocks.get(n)?.extrinsics ?? [])];
  }

  // --- ProviderInterface ---
  get hasSubscriptions(): boolean {
    return true;
  }
  get isClonable(): boolean {
    return false;
  }
  get isConnected(): boolean {
    return this.#connected;
  }
  get stats() {
    const zero = {
      bytesRecv: 0,
      bytesSent: 0,
      cached: 0,
      errors: 0,
      requests: 0,
      subscriptions: 0,
      timeout: 0,
    };
    return { active: { requests: 0, subscriptions: 0 }, total: zero };
  }
  clone(): never {
    throw new Error("MemorySubtensorProvider cannot be cloned");
  }
  connect(): Promise<void> {
    this.#connected = true;
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    this.#connected = false;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const cb of this.#listeners.get("disconnected") ?? []) cb();
    return Promise.resolve();
  }
  on(type: string, cb: (...args: unknown[]) => void): () => void {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(cb);
    return () => this.#listeners.get(type)?.delete(cb);
  }
  send(method: string, params: unknown[]): Promise<unknown> {
    this.requests.push({ method, params });
    try {
      return Promise.resolve(this.#answer(method, params));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  subscribe(_type: string, method: string, params: unknown[], cb: Callback): Promise<number> {
    this.requests.push({ method, params });
    const id = this.#nextSubscription++;
    try {
      if (method === "author_submitAndWatchExtrinsic") {
        const { block } = this.#submit(String(params[0]));
        const hash = memoryBlockHash(block);
        this.#later(() => cb(null, "ready"));
        this.#later(() => cb(null, { inBlock: hash }));
      } else if (method === "state_subscribeRuntimeVersion") {
        this.#later(() => cb(null, this.#runtimeVersion()));
      } else if (method === "state_subscribeStorage") {
        const keys = (params[0] as string[]) ?? [];
        const changes = keys.map((k) => [k, this.#storageAt(k, this.block)]);
        this.#later(() => cb(null, { block: memoryBlockHash(this.block), changes }));
      } else if (method === "chain_subscribeNewHeads" || method === "chain_subscribeFinalizedHeads") {
        this.#later(() => cb(null, this.#header(this.block)));
      } else {
        throw new Error(`MemorySubtensorProvider: unhandled subscription ${method}`);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(id);
  }
  unsubscribe(): Promise<boolean> {
    return Promise.resolve(true);
  }

  // --- the node ---
  #later(fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (this.#connected) fn();
    }, 0);
    this.#timers.add(t);
  }

  #runtimeVersion() {
    // Only the Metadata API is listed: with metadata V15+ the API decorates runtime calls from the
    // metadata, and listing MetadataApi v2 makes it fetch the metadata the way it does from a node.
    return { ...this.#version, apis: [[blake2AsHex("Metadata", 64), 2]] };
  }

  #header(n: number) {
    return {
      parentHash: memoryBlockHash(Math.max(0, n - 1)),
      number: `0x${n.toString(16)}`,
      stateRoot: `0x${"11".repeat(32)}`,
      extrinsicsRoot: `0x${"22".repeat(32)}`,
      digest: { logs: [] },
    };
  }

  #storageAt(key: string, block: number): string | null {
    if (key === SYSTEM_EVENTS_KEY) return this.#blocks.get(block)?.events ?? "0x00";
    return this.storage.get(key) ?? null;
  }

  #submit(hex: string): { block: number } {
    this.attempts.push(hex);
    const decision = this.onSubmit(hex);
    if (decision.reject) throw new Error(decision.reject);
    this.submitted.push(hex);
    this.block += 1;
    const events = decision.events ?? (this.api ? systemEvents(this.api, 0, null) : "0x00");
    this.#blocks.set(this.block, { extrinsics: [hex], events });
    return { block: this.block };
  }

  #answer(method: string, params: unknown[]): unknown {
    switch (method) {
      case "rpc_methods":
        return {
          methods: [
            "author_submitAndWatchExtrinsic",
            "author_submitExtrinsic",
            "chain_getBlock",
            "chain_getBlockHash",
            "chain_getFinalizedHead",
            "chain_getHeader",
            "state_call",
            "state_getMetadata",
            "state_getRuntimeVersion",
            "state_getStorage",
            "state_queryStorageAt",
            "system_accountNextIndex",
          ],
        };
      case "chain_getBlockHash":
        return memoryBlockHash(
          params[0] === undefined || params[0] === null ? this.block : Number(params[0]),
        );
      case "chain_getFinalizedHead":
        return memoryBlockHash(this.block);
      case "chain_getHeader":
        return this.#header(blockOf(params[0]) ?? this.block);
      case "chain_getBlock": {
        const n = blockOf(params[0]) ?? this.block;
        return {
          block: { header: this.#header(n), extrinsics: this.#blocks.get(n)?.extrinsics ?? [] },
          justifications: null,
        };
      }
      case "state_getRuntimeVersion":
        return this.#runtimeVersion();
      case "state_getMetadata":
        return u8aToHex(this.#metadata);
      case "system_chain":
        return "Bittensor (in-memory)";
      case "system_name":
        return "zipmine-memory";
      case "system_version":
        return "0.0.0";
      case "system_properties":
        return { ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" };
      case "system_accountNextIndex":
        return this.submitted.length;
      case "state_getStorage":
        return this.#storageAt(String(params[0]), blockOf(params[1]) ?? this.block);
      case "state_queryStorageAt": {
        const at = blockOf(params[1]) ?? this.block;
        const keys = params[0] as string[];
        return [{ block: memoryBlockHash(at), changes: keys.map((k) => [k, this.#storageAt(k, at)]) }];
      }
      case "state_call":
        return this.#call(String(params[0]), String(params[1]));
      case "author_submitExtrinsic": {
        this.#submit(String(params[0]));
        return blake2AsHex(hexToU8a(String(params[0])));
      }
      default:
        throw new Error(`MemorySubtensorProvider: unhandled method ${method}`);
    }
  }

  #call(name: string, data: string): string {
    const handler = this.runtimeCalls.get(name);
    if (handler) return handler(data);
    switch (name) {
      case "Metadata_metadata_versions":
        // Vec<u32> [14, 15, 16]
        return u8aToHex(
          u8aConcat(compactToU8a(3), ...[14, 15, 16].map((v) => bnToU8a(v, { bitLength: 32 }))),
        );
      case "Metadata_metadata_at_version":
        // Option<OpaqueMetadata>: Some(Vec<u8>) of the prefixed metadata (only V16 is on file).
        return u8aToHex(u8aConcat([1], compactToU8a(this.#metadata.length), this.#metadata));
      case "AccountNonceApi_account_nonce":
        return u8aToHex(bnToU8a(this.submitted.length, { bitLength: 32 }));
      default:
        throw new Error(`MemorySubtensorProvider: unhandled runtime call ${name}`);
    }
  }
}

// --- encoding helpers (they use the API's registry, i.e. the real metadata) ---

interface StorageEntryLike {
  key(...args: unknown[]): string;
  creator: { meta: { type: { isPlain: boolean; asPlain: unknown; asMap: { value: unknown } } } };
}

/** Stores `value` (encoded as the entry's value type) under `entry.key(...args)`; null deletes it. */
export function setStorage(
  provider: MemorySubtensorProvider,
  api: ApiPromise,
  entry: unknown,
  args: unknown[],
  value: unknown,
): void {
  const e = entry as StorageEntryLike;
  const key = e.key(...args);
  if (value === null) {
    provider.storage.delete(key);
    return;
  }
  const t = e.creator.meta.type;
  const type = api.registry.createLookupType((t.isPlain ? t.asPlain : t.asMap.value) as number);
  provider.storage.set(key, u8aToHex(api.registry.createType(type, value).toU8a()));
}

/** The registry type name of a runtime API method's answer, e.g. for `NeuronInfoRuntimeApi.get_neurons_lite`. */
export function runtimeOutputType(api: ApiPromise, apiName: string, method: string): string {
  const found = api.runtimeMetadata.asLatest.apis.find((a) => a.name.toString() === apiName)?.methods
    .find((m) => m.name.toString() === method);
  if (!found) throw new Error(`Runtime API ${apiName}.${method} is not in the metadata`);
  return api.registry.createLookupType(found.output);
}

/** Answers runtime call `${apiName}_${method}` with `value` encoded as the method's output type. */
export function setRuntimeAnswer(
  provider: MemorySubtensorProvider,
  api: ApiPromise,
  apiName: string,
  method: string,
  value: (argumentHex: string) => unknown,
): void {
  const type = runtimeOutputType(api, apiName, method);
  // toU8a, not toHex: an Option's toHex leaves out its Some byte.
  provider.runtimeCalls.set(
    `${apiName}_${method}`,
    (data) => u8aToHex(api.registry.createType(type, value(data)).toU8a()),
  );
}

/**
 * SCALE hex of a block's `System.Events` with one record for extrinsic `index`: `ExtrinsicSuccess`, or
 * `ExtrinsicFailed` with the module error `failure` (e.g. `{ pallet: "SubtensorModule", error:
 * "SettingWeightsTooFast" }`), each encoded with the metadata's own types.
 */
export function systemEvents(
  api: ApiPromise,
  index: number,
  failure: { pallet: string; error: string } | null,
): string {
  const meta = api.runtimeMetadata.asLatest;
  const system = meta.pallets.find((p) => p.name.toString() === "System")!;
  const event = failure ? api.events.system.ExtrinsicFailed : api.events.system.ExtrinsicSuccess;
  const info = { weight: { refTime: 1_000, proofSize: 0 }, class: "Normal", paysFee: "No" };
  let values: unknown[] = [info];
  if (failure) {
    const pallet = meta.pallets.find((p) => p.name.toString() === failure.pallet);
    const errors = pallet && api.errors[stringCamel(failure.pallet)];
    const err = errors?.[failure.error];
    if (!pallet || !err) throw new Error(`Unknown module error ${failure.pallet}.${failure.error}`);
    values = [
      { Module: { index: pallet.index.toNumber(), error: [err.meta.index.toNumber(), 0, 0, 0] } },
      info,
    ];
  }
  const fields = event.meta.fields;
  const data = fields.map((f, i) =>
    api.registry.createType(api.registry.createLookupType(f.type), values[i]).toU8a()
  );
  const eventBytes = u8aConcat([system.index.toNumber(), event.meta.index.toNumber()], ...data);
  const recordsType = api.registry.createLookupType(
    (api.query.system.events as unknown as StorageEntryLike).creator.meta.type.asPlain as number,
  );
  const records = [{ phase: { ApplyExtrinsic: index }, event: eventBytes, topics: [] }];
  return u8aToHex(api.registry.createType(recordsType, records).toU8a());
}

function stringCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
