/**
 * Setting weights on subtensor. `setWeights` sends `version_key` = the subnet's `WeightsVersionKey` (or
 * the `versionKey` option), refuses without sending when the hotkey is not registered or
 * `block - last_update < weights rate limit` (`SettingWeightsTooFast`, or `CommittingWeightsTooFast` with
 * commit-reveal on, as the chain names them), then with commit-reveal off submits
 * `SubtensorModule.set_weights`, and with it on commits the CRv2 hash (`commit_weights`, hash =
 * `weightsCommitHash`, salt 8 random u16) after persisting the plaintext in the reveal store.
 * @module
 */
import type { SetWeightsResult, WeightVector } from "../../../ports.ts";
import type { KeyringPair } from "../../../signature.ts";
import {
  assertU16Vector,
  rateLimitPassed,
  revealBlocks,
  weightsCommitHash,
} from "../../../chain/weight_rules.ts";
import type { PendingReveal } from "../reveal_store.ts";
import { ss58 } from "./codecs.ts";
import type { AdapterContext } from "./context.ts";
import type { Submitted } from "./submission.ts";
import type { SubtensorHyperparameters } from "./types.ts";

/** A commit to make: who, what, and how the chain's last-update check spots an attempt that landed. */
interface CommitInput {
  netuid: number;
  hotkey: string;
  weights: WeightVector;
  versionKey: number;
  params: SubtensorHyperparameters;
  signer: KeyringPair;
  landed: () => Promise<Submitted | null>;
}

export function createSetWeights(ctx: AdapterContext) {
  const { api, reads, log } = ctx;
  return async function setWeights(
    netuid: number,
    weights: WeightVector,
    signer: KeyringPair,
  ): Promise<SetWeightsResult> {
    assertU16Vector("netuid", [netuid]);
    assertU16Vector("uids", weights.uids);
    assertU16Vector("weights", weights.weights);
    const hotkey = ss58(signer.publicKey);
    const top = await reads.head();
    const params = await reads.hyperparameters(netuid, top.hash);
    const versionKey = ctx.options.versionKey ?? params.weightsVersionKey;
    const call = params.commitRevealEnabled ? "commit_weights" : "set_weights";
    const neuron = await reads.neuronState(netuid, hotkey, top.hash);
    if (!neuron) return ctx.refuse(call, "HotKeyNotRegisteredInSubNet");
    const lastUpdate = neuron.lastUpdate === 0 ? null : neuron.lastUpdate;
    if (!rateLimitPassed(lastUpdate, top.number, params.weightsRateLimit)) {
      const error = params.commitRevealEnabled ? "CommittingWeightsTooFast" : "SettingWeightsTooFast";
      log.info("weights not sent: rate limit", {
        netuid,
        block: top.number,
        lastUpdate,
        limit: params.weightsRateLimit,
      });
      return ctx.refuse(call, error);
    }
    // An attempt that timed out may still have landed: the chain then moved our last update.
    const landed = async (): Promise<Submitted | null> => {
      const now = await reads.head();
      const state = await reads.neuronState(netuid, hotkey, now.hash);
      return state && state.lastUpdate > neuron.lastUpdate
        ? { ok: true, block: state.lastUpdate, blockHash: null }
        : null;
    };
    if (params.commitRevealEnabled) {
      return await commit(ctx, { netuid, hotkey, weights, versionKey, params, signer, landed });
    }
    const build = () => api.tx.subtensorModule.setWeights(netuid, weights.uids, weights.weights, versionKey);
    const outcome = await ctx.submitter.submit(call, build, signer, landed);
    if (!outcome.ok) return ctx.refuse(call, outcome.error);
    ctx.outcomes.inc({ outcome: "set" });
    log.info("weights set on subtensor", {
      netuid,
      block: outcome.block,
      uids: weights.uids.length,
      versionKey,
    });
    return { ok: true, block: outcome.block, mode: "set" };
  };
}

async function commit(ctx: AdapterContext, input: CommitInput): Promise<SetWeightsResult> {
  const { store, api, reads, log } = ctx;
  const { netuid, hotkey, weights, versionKey, params, signer, landed } = input;
  if (!store) {
    throw new Error(
      "Cannot commit weights: commit-reveal is on and the adapter has no stateDir for the reveal",
    );
  }
  const salt = ctx.newSalt();
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
    createdAt: ctx.options.now().toISOString(),
  };
  // Persist first: a crash after the commit lands must still find the plaintext. Marked in flight
  // before, so a concurrent revealDue does not take the unconfirmed entry for a lost commit.
  ctx.inFlight.add(hash);
  try {
    await store.put(entry);
    const build = () => api.tx.subtensorModule.commitWeights(netuid, hash);
    const outcome = await ctx.submitter.submit("commit_weights", build, signer, landed);
    if (!outcome.ok) {
      await store.remove(hotkey, hash);
      return ctx.refuse("commit_weights", outcome.error);
    }
    // The window as the chain stored it; when that read fails, the legacy epoch rule's.
    const window = await reads.commit(netuid, hotkey, hash, outcome.blockHash ?? (await reads.head()).hash)
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
    ctx.outcomes.inc({ outcome: "committed" });
    log.info("weights committed on subtensor", {
      netuid,
      block: outcome.block,
      revealFrom: window?.first ?? fallback.first,
      revealUntil: window?.last ?? fallback.last,
      windowFrom: window ? "chain" : "computed",
    });
    return { ok: true, block: outcome.block, mode: "commit" };
  } finally {
    ctx.inFlight.delete(hash);
  }
}
