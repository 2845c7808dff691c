/**
 * CRv2 reveals. `revealDue(signer)` sends `reveal_weights` for every owed reveal whose window (read from
 * the chain's `WeightCommits` entry) has come; the validator loop calls it every tick, so a restarted
 * process still reveals at the right block. Reveals are serialised among themselves.
 * @module
 */
import type { KeyringPair } from "../../../signature.ts";
import type { PendingReveal } from "../reveal_store.ts";
import { ss58 } from "./codecs.ts";
import type { AdapterContext } from "./context.ts";
import type { Head } from "./reads.ts";
import type { Submitted } from "./submission.ts";
import type { RevealOutcome } from "./types.ts";

// An unconfirmed commit (persisted, then the process stopped) missing from the chain is given up after
// this long: its extrinsic's mortal era (64 blocks, 12.8 min) has passed, so it can no longer land.
const UNCONFIRMED_GRACE_MS = 15 * 60_000;
// Blocks between two tries of a reveal the chain refused for now.
const REVEAL_RETRY_BLOCKS = 2;

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
  const top = await ctx.reads.head();
  const block = nowBlock ?? top.number;
  const out: RevealOutcome[] = [];
  for (const owedEntry of owed) {
    const r = await withWindow(ctx, owedEntry, top, out);
    if (r) out.push(await revealOne(ctx, r, block, signer));
  }
  return out;
}

/** Removes an owed reveal that cannot be revealed and says why (log, metrics, outcome). */
async function drop(ctx: AdapterContext, r: PendingReveal, error: string): Promise<RevealOutcome> {
  await ctx.store!.remove(r.hotkey, r.hash);
  ctx.retryAt.delete(r.hash);
  ctx.failures.inc({ call: "reveal_weights", error });
  ctx.outcomes.inc({ outcome: "failed" });
  ctx.log.warn("owed reveal dropped", { netuid: r.netuid, hash: r.hash, error });
  return { hash: r.hash, netuid: r.netuid, outcome: "dropped", error };
}

/**
 * `r` with its reveal window; an entry persisted before its commit was confirmed (a crash or restart in
 * between) asks the chain. Null (with the outcome pushed to `out`) when there is no window yet.
 */
async function withWindow(
  ctx: AdapterContext,
  r: PendingReveal,
  top: Head,
  out: RevealOutcome[],
): Promise<PendingReveal | null> {
  if (r.firstRevealBlock !== null && r.lastRevealBlock !== null) return r;
  const found = await ctx.reads.commit(r.netuid, r.hotkey, r.hash, top.hash);
  if (!found) {
    // Its extrinsic may still be in the pool; once its mortal era has passed it cannot land.
    const ageMs = ctx.options.now().getTime() - Date.parse(r.createdAt);
    if (ageMs >= UNCONFIRMED_GRACE_MS) out.push(await drop(ctx, r, "NoWeightsCommitFound"));
    else out.push({ hash: r.hash, netuid: r.netuid, outcome: "waiting" });
    return null;
  }
  const next = {
    ...r,
    commitBlock: found.commitBlock,
    firstRevealBlock: found.first,
    lastRevealBlock: found.last,
  };
  await ctx.store!.put(next);
  return next;
}

/** Reveals `r` at `block` if its window and retry pause allow. */
async function revealOne(
  ctx: AdapterContext,
  r: PendingReveal,
  block: number,
  signer: KeyringPair,
): Promise<RevealOutcome> {
  if (block < r.firstRevealBlock!) {
    return { hash: r.hash, netuid: r.netuid, outcome: "waiting", block: r.firstRevealBlock! };
  }
  if (block > r.lastRevealBlock!) return await drop(ctx, r, "ExpiredWeightCommit");
  const notBefore = ctx.retryAt.get(r.hash) ?? 0;
  if (block < notBefore) return { hash: r.hash, netuid: r.netuid, outcome: "waiting", block: notBefore };
  const { api, reads } = ctx;
  const build = () => api.tx.subtensorModule.revealWeights(r.netuid, r.uids, r.values, r.salt, r.versionKey);
  // A reveal that landed removes its commit from the chain's queue.
  const landed = async (): Promise<Submitted | null> => {
    const now = await reads.head();
    const still = await reads.commit(r.netuid, r.hotkey, r.hash, now.hash);
    return still ? null : { ok: true, block: now.number, blockHash: now.hash };
  };
  const outcome = await ctx.submitter.submit("reveal_weights", build, signer, landed);
  if (outcome.ok) {
    await ctx.store!.remove(r.hotkey, r.hash);
    ctx.retryAt.delete(r.hash);
    ctx.outcomes.inc({ outcome: "revealed" });
    ctx.log.info("weights revealed on subtensor", { netuid: r.netuid, block: outcome.block, hash: r.hash });
    return { hash: r.hash, netuid: r.netuid, outcome: "revealed", block: outcome.block };
  }
  if (outcome.permanent && outcome.error !== "RevealTooEarly") return await drop(ctx, r, outcome.error);
  // Too early by the chain's clock, or a transient failure: try again in a few blocks while the window
  // lasts (not every tick: each try is a transaction).
  ctx.retryAt.set(r.hash, block + REVEAL_RETRY_BLOCKS);
  ctx.failures.inc({ call: "reveal_weights", error: outcome.error });
  ctx.log.warn("reveal not accepted yet; will retry", {
    netuid: r.netuid,
    hash: r.hash,
    error: outcome.error,
  });
  return { hash: r.hash, netuid: r.netuid, outcome: "retry", error: outcome.error };
}
