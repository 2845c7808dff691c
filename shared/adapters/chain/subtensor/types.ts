/**
 * The subtensor adapter's public shapes: options, the adapter interface and its results, and the
 * endpoint names (`CHAIN_ENDPOINT=finney | test | ws(s)://...`).
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import type { Logger } from "../../../log.ts";
import type { Registry } from "../../../metrics.ts";
import type { ChainAdapter, SubnetHyperparameters } from "../../../ports.ts";
import type { MetagraphSnapshot, Neuron } from "../../../schemas/metagraph.ts";
import type { KeyringPair } from "../../../signature.ts";
import type { PendingReveal } from "../reveal_store.ts";
import type { Clock } from "../../../ports.ts";

/** The public endpoints the SDK names (bittensor/core/settings.py). */
export const SUBTENSOR_ENDPOINTS: Readonly<Record<"finney" | "test", string>> = Object.freeze({
  finney: "wss://entrypoint-finney.opentensor.ai:443",
  test: "wss://test.finney.opentensor.ai:443",
});

/** The axon version `serve_axon` sends by default: the SDK's `version_as_int` of 10.2.0. */
export const DEFAULT_AXON_VERSION = 10_002_000;

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
  clock: Clock;
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
  /**
   * With commit-reveal on: `crv4` (default) sends timelocked commits when the runtime has them, as the SDK
   * does; `crv2` sends hash commits and reveals them (`commit_weights` + `reveal_weights`).
   */
  commitReveal?: "crv4" | "crv2";
  /** Randomness of CRv4 encryption; default crypto.getRandomValues. */
  random?: (n: number) => Uint8Array;
  /** Expected seconds per block, for the CRv4 reveal round (the SDK's 12; 0.25 on fast-block chains). */
  blockSeconds?: number;
  /**
   * The mechanisms to set (the same weights on each); default: every mechanism the subnet has
   * (`MechanismCountCurrent`). Naming one the subnet lacks refuses the whole call.
   */
  mechanisms?: number[];
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
  /** The mechanism, when not 0. */
  mechanism?: number;
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
