/**
 * What the parts of the subtensor adapter share: the API, the reads, the submitter, the reveal store,
 * the metrics and the bookkeeping of commits in flight and reveals to retry.
 * @module
 */
import type { ApiPromise } from "@polkadot/api";
import type { Logger } from "../../../log.ts";
import type { Counter } from "../../../metrics.ts";
import type { RevealStore } from "../reveal_store.ts";
import { createReads, type SubtensorReads } from "./reads.ts";
import { createSubmitter, type Submitter } from "./submission.ts";
import type { SubtensorChainOptions } from "./types.ts";

export interface AdapterContext {
  api: ApiPromise;
  url: string;
  /** `subtensor:<url>`, or `subtensor:memory` for an injected provider. */
  description: string;
  store: RevealStore | null;
  options: SubtensorChainOptions & { attempts: number };
  log: Logger;
  reads: SubtensorReads;
  submitter: Submitter;
  outcomes: Counter;
  failures: Counter;
  newSalt: () => number[];
  /** Hashes of commits being submitted (their store entry has no window yet). */
  inFlight: Set<string>;
  /** Owed reveals the chain turned down for now (RevealTooEarly, transient): the block to try again. */
  retryAt: Map<string, number>;
  /** Counts and returns a refusal of `call`. */
  refuse(call: string, error: string): { ok: false; error: string };
  /**
   * A refusal because the chain is not what the adapter knows (an unknown WeightCommits layout, missing
   * mechanisms): counted, logged as an error, and returned.
   */
  refuseLoudly(call: string, what: string, error: string, fields?: Record<string, unknown>): {
    ok: false;
    error: string;
  };
}

export function createContext(
  api: ApiPromise,
  url: string,
  store: RevealStore | null,
  options: SubtensorChainOptions & { attempts: number },
): AdapterContext {
  const { log, metrics } = options;
  const description = url === "memory" ? "subtensor:memory" : `subtensor:${url}`;
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
  const unsupported = metrics.counter(
    "zipmine_subtensor_unsupported_total",
    "Weight calls refused because the chain is not what the adapter knows, by what (layout, mechanisms)",
  );
  const submitter = createSubmitter({
    api,
    log,
    retries,
    attempts: options.attempts,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    backoffMs: options.backoffMs ?? 2_000,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    inclusionTimeoutMs: options.inclusionTimeoutMs ?? 120_000,
  });
  return {
    api,
    url,
    description,
    store,
    options,
    log,
    reads: createReads(api, description),
    submitter,
    outcomes,
    failures,
    newSalt: options.salt ?? (() => Array.from(crypto.getRandomValues(new Uint16Array(8)))),
    inFlight: new Set(),
    retryAt: new Map(),
    refuse(call, error) {
      failures.inc({ call, error });
      if (call !== "serve_axon") outcomes.inc({ outcome: "failed" });
      return { ok: false, error };
    },
    refuseLoudly(call, what, error, fields = {}) {
      unsupported.inc({ what });
      log.error("subtensor weights refused: the chain is not what this adapter knows", {
        call,
        what,
        error,
        ...fields,
      });
      return this.refuse(call, error);
    },
  };
}
