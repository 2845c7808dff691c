/**
 * The CRv2 commit: persist the plaintext, send `commit_weights` (or `commit_mechanism_weights`), then
 * record the reveal window the chain stored with the commit, read in the runtime's `WeightCommits`
 * layout: reveal blocks (spec < 423) or the commit's epoch (spec >= 423, see commit_reveal_v2.ts).
 * @module
 */
import type { SetWeightsResult } from "../../../ports.ts";
import { assertU16Vector, revealBlocks, weightsCommitHash } from "../../../chain/weight_rules.ts";
import {
  mechanismStorageIndex,
  readCommitTuple,
  type RevealWindow,
  type WeightCommitsLayout,
} from "../../../chain/commit_reveal_v2.ts";
import type { PendingReveal } from "../reveal_store.ts";
import type { AdapterContext } from "./context.ts";
import { commitWeightsTx } from "./calls.ts";
import type { Submitted } from "./submission.ts";
import type { SubtensorHyperparameters } from "./types.ts";
import type { MechanismInput } from "./weights.ts";

/** The store fields of a window: reveal blocks, or the reveal epoch (`commit_epoch + reveal_period`). */
export function windowFields(
  window: RevealWindow,
  params: Pick<SubtensorHyperparameters, "commitRevealPeriod">,
): Pick<PendingReveal, "commitBlock" | "firstRevealBlock" | "lastRevealBlock" | "revealEpoch"> {
  return window.layout === "reveal-blocks"
    ? {
      commitBlock: window.commitBlock,
      firstRevealBlock: window.firstRevealBlock,
      lastRevealBlock: window.lastRevealBlock,
    }
    : {
      commitBlock: window.commitBlock,
      firstRevealBlock: null,
      lastRevealBlock: null,
      revealEpoch: window.commitEpoch + params.commitRevealPeriod,
    };
}

export async function commitWeights(
  ctx: AdapterContext,
  input: MechanismInput,
  layout: WeightCommitsLayout,
  landed: () => Promise<Submitted | null>,
): Promise<SetWeightsResult> {
  const { store } = ctx;
  const { netuid, mecid, hotkey, weights, versionKey, signer } = input;
  if (!store) {
    throw new Error(
      "Cannot commit weights: commit-reveal is on and the adapter has no stateDir for the reveal",
    );
  }
  const salt = ctx.newSalt();
  assertU16Vector("salt", salt);
  // The chain hashes the mechanism's storage index (weights.rs get_commit_hash); mechanism 0's is the netuid.
  const index = mechanismStorageIndex(netuid, mecid);
  const hash = weightsCommitHash({
    hotkey,
    netuid: index,
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
    createdAt: ctx.options.clock.now().toISOString(),
    ...(mecid === 0 ? {} : { mechanism: mecid }),
  };
  // Persist first: a crash after the commit lands must still find the plaintext. Marked in flight
  // before, so a concurrent revealDue does not take the unconfirmed entry for a lost commit.
  ctx.inFlight.add(hash);
  try {
    await store.put(entry);
    const build = () => commitWeightsTx(ctx.api, netuid, mecid, hash);
    const outcome = await ctx.submitter.submit("commit_weights", build, signer, landed);
    if (!outcome.ok) {
      await store.remove(hotkey, hash);
      return ctx.refuse("commit_weights", outcome.error);
    }
    await recordWindow(ctx, input, layout, entry, outcome.block, outcome.blockHash);
    return { ok: true, block: outcome.block, mode: "commit" };
  } finally {
    ctx.inFlight.delete(hash);
  }
}

/** Completes the store entry with the reveal window the chain stored (or the legacy rule's blocks). */
async function recordWindow(
  ctx: AdapterContext,
  input: MechanismInput,
  layout: WeightCommitsLayout,
  entry: PendingReveal,
  block: number,
  blockHash: string | null,
): Promise<void> {
  const { store, reads, log } = ctx;
  const { netuid, mecid, hotkey, params } = input;
  const tuple = await reads.commit(netuid, hotkey, entry.hash, blockHash ?? (await reads.head()).hash, mecid)
    .catch((error) => {
      log.warn("cannot read the commit's reveal window", { error });
      return null;
    });
  // Without the chain's tuple: the legacy rule's blocks, or (epoch layout) ask the chain again later.
  const fields = tuple
    ? windowFields(readCommitTuple(layout, tuple), params)
    : layout === "reveal-blocks"
    ? windowFields(
      { layout, commitBlock: block, ...legacyWindow(netuid, block, params) },
      params,
    )
    : { commitBlock: null, firstRevealBlock: null, lastRevealBlock: null };
  await store!.put({ ...entry, ...fields });
  ctx.outcomes.inc({ outcome: "committed" });
  log.info("weights committed on subtensor", {
    netuid,
    ...(mecid === 0 ? {} : { mechanism: mecid }),
    block: block,
    layout,
    ...(layout === "reveal-blocks"
      ? { revealFrom: fields.firstRevealBlock, revealUntil: fields.lastRevealBlock }
      : { revealEpoch: fields.revealEpoch ?? null }),
    windowFrom: tuple ? "chain" : "computed",
  });
}

function legacyWindow(netuid: number, block: number, params: SubtensorHyperparameters) {
  const { first, last } = revealBlocks(netuid, block, params);
  return { firstRevealBlock: first, lastRevealBlock: last };
}
