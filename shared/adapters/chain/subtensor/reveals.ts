/**
 * CRv2 reveals. `revealDue(signer)` sends `reveal_weights` (or `reveal_mechanism_weights`) for every
 * owed reveal whose window has come, judged in the runtime's `WeightCommits` layout: by block number
 * against the reveal blocks the chain stored (spec < 423), or by the chain's `SubnetEpochIndex` against
 * the commit's reveal epoch (spec >= 423). The validator loop calls it every tick, so a restarted process
 * still reveals in time. Refusals that may pass (`RevealTooEarly`, pool errors 16 and 17) are tried again
 * a few blocks later while the window lasts; an unknown layout keeps every entry and is refused loudly.
 * Reveals are serialised among themselves.
 * @module
 */
import type { KeyringPair } from "../../../signature.ts";
import {
  epochRevealState,
  readCommitTuple,
  revealRefusalRetryable,
  type WeightCommitsLayout,
  weightCommitsLayout,
} from "../../../chain/commit_reveal_v2.ts";
import type { PendingReveal } from "../reveal_store.ts";
import { ss58 } from "./codecs.ts";
import type { AdapterContext } from "./context.ts";
import { revealWeightsTx } from "./calls.ts";
import { windowFields } from "./commit.ts";
import type { Head } from "./reads.ts";
import type { Submitted } from "./submission.ts";
import type { RevealOutcome } from "./types.ts";

// An unconfirmed commit (persisted, then the process stopped) missing from the chain is given up after
// this long: its extrinsic's mortal era (64 blocks, 12.8 min) has passed, so it can no longer land.
const UNCONFIRMED_GRACE_MS = 15 * 60_000;
// Blocks between two tries of a reveal the chain refused for now.
const REVEAL_RETRY_BLOCKS = 2;

/** What one `revealDue` pass knows: the head, the block it judges by, the layout, epochs read so far. */
interface Pass {
  top: Head;
  block: number;
  layout: WeightCommitsLayout;
  epochs: Map<number, Promise<number>>;
}

/** The reveal scheduler: `revealDue` and a promise of the reveal in progress (for `close`). */
export function createRevealer(ctx: AdapterContext) {
  let revealing: Promise<unknown> = Promise.resolve();
  function revealDue(signer: KeyringPair, nowBlock?: number): Promise<RevealOutcome[]> {
    const run = revealing.then(() => revealNow(ctx, signer, nowBlock));
    revealing = run.catch(() => {});
    return run;
  }
  return { revealDue, idle: () => revealing };
}

async function revealNow(
  ctx: AdapterContext,
  signer: KeyringPair,
  nowBlock?: number,
): Promise<RevealOutcome[]> {
  if (!ctx.store) return [];
  const hotkey = ss58(signer.publicKey);
  const owed = ctx.store.list().filter((r) => r.hotkey === hotkey && !ctx.inFlight.has(r.hash));
  if (owed.length === 0) return [];
  const verdict = weightCommitsLayout(ctx.reads.weightCommitsMeta());
  if (!verdict.ok) {
    const error = `UnknownWeightCommitsLayout: ${verdict.reason}`;
    ctx.refuseLoudly("reveal_weights", "layout", error, { owed: owed.length });
    return owed.map((r) => ({ ...base(r), outcome: "waiting", error }));
  }
  const top = await ctx.reads.head();
  const pass: Pass = { top, block: nowBlock ?? top.number, layout: verdict.layout, epochs: new Map() };
  const out: RevealOutcome[] = [];
  for (const owedEntry of owed) {
    const r = await withWindow(ctx, owedEntry, pass, out);
    if (r) out.push(await revealOne(ctx, r, pass, signer));
  }
  return out;
}

function base(r: PendingReveal): Pick<RevealOutcome, "hash" | "netuid" | "mechanism"> {
  return { hash: r.hash, netuid: r.netuid, ...(r.mechanism ? { mechanism: r.mechanism } : {}) };
}

/** Removes an owed reveal that cannot be revealed and says why (log, metrics, outcome). */
async function drop(ctx: AdapterContext, r: PendingReveal, error: string): Promise<RevealOutcome> {
  await ctx.store!.remove(r.hotkey, r.hash);
  ctx.retryAt.delete(r.hash);
  ctx.failures.inc({ call: "reveal_weights", error });
  ctx.outcomes.inc({ outcome: "failed" });
  ctx.log.warn("owed reveal dropped", { ...base(r), error });
  return { ...base(r), outcome: "dropped", error };
}

function hasWindow(r: PendingReveal, layout: WeightCommitsLayout): boolean {
  return layout === "reveal-blocks"
    ? r.firstRevealBlock !== null && r.lastRevealBlock !== null
    : r.revealEpoch !== undefined && r.revealEpoch !== null;
}

/**
 * `r` with its reveal window in the pass's layout. An entry persisted before its commit was confirmed (a
 * crash or restart in between), or kept across a runtime upgrade that changed the layout, asks the
 * chain. Null (with the outcome pushed to `out`) when there is no window yet.
 */
async function withWindow(
  ctx: AdapterContext,
  r: PendingReveal,
  pass: Pass,
  out: RevealOutcome[],
): Promise<PendingReveal | null> {
  if (hasWindow(r, pass.layout)) return r;
  const found = await ctx.reads.commit(r.netuid, r.hotkey, r.hash, pass.top.hash, r.mechanism ?? 0);
  if (!found) {
    // Its extrinsic may still be in the pool; once its mortal era has passed it cannot land.
    const ageMs = ctx.options.clock.now().getTime() - Date.parse(r.createdAt);
    if (ageMs >= UNCONFIRMED_GRACE_MS) out.push(await drop(ctx, r, "NoWeightsCommitFound"));
    else out.push({ ...base(r), outcome: "waiting" });
    return null;
  }
  const params = pass.layout === "commit-epoch"
    ? await ctx.reads.hyperparameters(r.netuid, pass.top.hash)
    : { commitRevealPeriod: 0 };
  const next = { ...r, ...windowFields(readCommitTuple(pass.layout, found), params) };
  await ctx.store!.put(next);
  return next;
}

/** Where `r`'s window stands in this pass: not yet (with the first block when known), open, or past. */
async function windowState(
  ctx: AdapterContext,
  r: PendingReveal,
  pass: Pass,
): Promise<{ state: "early" | "open" | "expired"; from?: number }> {
  if (pass.layout === "reveal-blocks") {
    if (pass.block < r.firstRevealBlock!) return { state: "early", from: r.firstRevealBlock! };
    return { state: pass.block > r.lastRevealBlock! ? "expired" : "open" };
  }
  let epoch = pass.epochs.get(r.netuid);
  if (!epoch) {
    epoch = ctx.reads.epochIndex(r.netuid, pass.top.hash);
    pass.epochs.set(r.netuid, epoch);
  }
  return { state: epochRevealState(await epoch, r.revealEpoch!) };
}

/** Reveals `r` if its window and retry pause allow. */
async function revealOne(
  ctx: AdapterContext,
  r: PendingReveal,
  pass: Pass,
  signer: KeyringPair,
): Promise<RevealOutcome> {
  const window = await windowState(ctx, r, pass);
  if (window.state === "early") {
    return { ...base(r), outcome: "waiting", ...(window.from === undefined ? {} : { block: window.from }) };
  }
  if (window.state === "expired") return await drop(ctx, r, "ExpiredWeightCommit");
  const notBefore = ctx.retryAt.get(r.hash) ?? 0;
  if (pass.block < notBefore) return { ...base(r), outcome: "waiting", block: notBefore };
  const { reads } = ctx;
  const build = () => revealWeightsTx(ctx.api, r);
  // A reveal that landed removes its commit from the chain's queue.
  const landed = async (): Promise<Submitted | null> => {
    const now = await reads.head();
    const still = await reads.commit(r.netuid, r.hotkey, r.hash, now.hash, r.mechanism ?? 0);
    return still ? null : { ok: true, block: now.number, blockHash: now.hash };
  };
  const outcome = await ctx.submitter.submit("reveal_weights", build, signer, landed);
  if (outcome.ok) {
    await ctx.store!.remove(r.hotkey, r.hash);
    ctx.retryAt.delete(r.hash);
    ctx.outcomes.inc({ outcome: "revealed" });
    ctx.log.info("weights revealed on subtensor", { ...base(r), block: outcome.block });
    return { ...base(r), outcome: "revealed", block: outcome.block };
  }
  if (outcome.permanent && !revealRefusalRetryable(outcome.error)) return await drop(ctx, r, outcome.error);
  // Too early by the chain's clock (RevealTooEarly, pool error 17), not in the node's state yet (16), or
  // a transient failure: try again in a few blocks while the window lasts (each try is a transaction).
  ctx.retryAt.set(r.hash, pass.block + REVEAL_RETRY_BLOCKS);
  ctx.failures.inc({ call: "reveal_weights", error: outcome.error });
  ctx.log.warn("reveal not accepted yet; will retry", { ...base(r), error: outcome.error });
  return { ...base(r), outcome: "retry", error: outcome.error };
}
