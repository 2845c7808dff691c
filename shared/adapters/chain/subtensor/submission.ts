/**
 * Signing, submitting and retrying extrinsics. Signed by the hotkey pair passed in, with its account
 * nonce; mortal era; every subtensor extension is zero-sized so stock polkadot-js encodes valid
 * extrinsics.
 *
 * Outcomes: a dispatch failure is reported by the chain's error name (`SettingWeightsTooFast`, decoded
 * from the module error with the metadata), a pool rejection by the node's RPC message as it is (e.g.
 * `1010: Invalid Transaction: Custom error: 6`). Transient failures (RPC/transport errors, dropped or
 * invalid status, no inclusion in time) are retried a bounded number of times with doubling pauses; before
 * a retry the chain is re-read so an attempt that did land is not sent twice. All submissions of one
 * adapter are serialised (one nonce sequence).
 * @module
 */
import type { ApiPromise, SubmittableResult } from "@polkadot/api";
import type { Logger } from "../../../log.ts";
import type { Counter } from "../../../metrics.ts";
import type { KeyringPair } from "../../../signature.ts";
import type { DispatchErrorCodec } from "./codecs.ts";

export type Tx = ReturnType<ApiPromise["tx"]>;

/** The outcome of one submission. */
export type Submitted = { ok: true; block: number; blockHash: string | null } | {
  ok: false;
  error: string;
  /** A dispatch (module) error or a permanent pool rejection: retrying cannot help. */
  permanent: boolean;
};

// Pool rejections that a resubmission cannot fix.
const PERMANENT_RPC = /Custom error|bad signature|BadProof|Inability to pay|invalid payment/i;

/** What the submitter needs. */
export interface SubmitterOptions {
  api: ApiPromise;
  log: Logger;
  retries: Counter;
  attempts: number;
  sleep: (ms: number) => Promise<void>;
  backoffMs: number;
  maxBackoffMs: number;
  inclusionTimeoutMs: number;
}

/** Submits calls one at a time with bounded retries. */
export interface Submitter {
  /**
   * Submits the call `build()` makes, retrying transient failures with doubling pauses. Before a retry,
   * `landed()` may report that an earlier attempt did land after all (then no resubmission).
   */
  submit(
    call: string,
    build: () => Tx,
    signer: KeyringPair,
    landed?: () => Promise<Submitted | null>,
  ): Promise<Submitted>;
  /** Resolves when every queued submission has finished. */
  idle(): Promise<unknown>;
}

export function createSubmitter(o: SubmitterOptions): Submitter {
  // One submission at a time: the nonce comes from the chain, so two in parallel would collide.
  let queue: Promise<unknown> = Promise.resolve();
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  }

  function submit(
    call: string,
    build: () => Tx,
    signer: KeyringPair,
    landed?: () => Promise<Submitted | null>,
  ): Promise<Submitted> {
    return serial(async () => {
      let last: Submitted | null = null;
      for (let attempt = 1; attempt <= o.attempts; attempt++) {
        if (attempt > 1) {
          await o.sleep(Math.min(o.maxBackoffMs, o.backoffMs * 2 ** (attempt - 2)));
          const already = await landed?.().catch(() => null);
          if (already) return already;
          o.retries.inc({ call });
        }
        const outcome = await submitOnce(o.api, build(), signer, o.inclusionTimeoutMs);
        if (outcome.ok || outcome.permanent) return outcome;
        last = outcome;
        const final = attempt === o.attempts;
        o.log.warn(final ? "subtensor call failed; giving up" : "subtensor call failed; will retry", {
          call,
          attempt,
          error: outcome.error,
        });
      }
      return last!;
    });
  }

  return { submit, idle: () => queue };
}

/** Signs `tx` with the account's next nonce, submits it and waits until it is in a block. */
function submitOnce(api: ApiPromise, tx: Tx, signer: KeyringPair, timeoutMs: number): Promise<Submitted> {
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
      () => finish({ ok: false, error: `not in a block after ${timeoutMs} ms`, permanent: false }),
      timeoutMs,
    );
    const onStatus = (result: SubmittableResult) => {
      const outcome = statusOutcome(api, result);
      if (outcome) finish(outcome);
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

/** The outcome a status update settles, or null while the extrinsic is still on its way. */
function statusOutcome(api: ApiPromise, result: SubmittableResult): Submitted | null {
  const status = result.status;
  if (status.isInBlock || status.isFinalized) {
    const blockHash = (status.isInBlock ? status.asInBlock : status.asFinalized).toHex();
    if (result.dispatchError) {
      const error = describeDispatchError(api, result.dispatchError as unknown as DispatchErrorCodec);
      return { ok: false, error, permanent: true };
    }
    if (result.internalError) {
      return {
        ok: false,
        error: `cannot read the block's events: ${result.internalError.message}`,
        permanent: false,
      };
    }
    if (result.blockNumber === undefined) {
      return { ok: false, error: "extrinsic not found in its block", permanent: false };
    }
    return { ok: true, block: result.blockNumber.toNumber(), blockHash };
  }
  if (result.isError) return { ok: false, error: `extrinsic ${status.type}`, permanent: false };
  return null;
}

/** The chain's name of a dispatch error (`SettingWeightsTooFast`, or `section.Name` outside subtensor). */
function describeDispatchError(api: ApiPromise, error: DispatchErrorCodec): string {
  if (!error.isModule) return error.type;
  const found = api.registry.findMetaError(
    error.asModule as Parameters<typeof api.registry.findMetaError>[0],
  );
  return found.section === "subtensorModule" ? found.name : `${found.section}.${found.name}`;
}
