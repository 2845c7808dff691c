/**
 * Setting weights on subtensor, on every mechanism of the subnet (`MechanismCountCurrent`, or the
 * configured ones; the same weights on each). `setWeights` sends `version_key` = the subnet's
 * `WeightsVersionKey` (or the `versionKey` option), refuses without sending when the hotkey is not
 * registered or `block - last_update < weights rate limit` (`SettingWeightsTooFast`, or
 * `CommittingWeightsTooFast` with commit-reveal on, as the chain names them; last update per mechanism),
 * then with commit-reveal off submits `set_weights`, and with it on commits the CRv2 hash
 * (`commit_weights`, hash = `weightsCommitHash` over the mechanism's storage index, salt 8 random u16)
 * after persisting the plaintext in the reveal store. With commit-reveal on it first checks that it knows
 * the runtime's `WeightCommits` layout (commit_reveal_v2.ts): a commit it could not reveal would still
 * bump `LastUpdate` and make the validator look active with stale weights, so it refuses loudly instead.
 * @module
 */
import type { SetWeightsResult, WeightVector } from "../../../ports.ts";
import type { KeyringPair } from "../../../signature.ts";
import { assertU16Vector, rateLimitPassed } from "../../../chain/weight_rules.ts";
import {
  mechanismsToSet,
  type WeightCommitsLayout,
  weightCommitsLayout,
} from "../../../chain/commit_reveal_v2.ts";
import { ss58 } from "./codecs.ts";
import type { AdapterContext } from "./context.ts";
import { commitWeights } from "./commit.ts";
import { setWeightsTx } from "./calls.ts";
import type { Head } from "./reads.ts";
import type { Submitted } from "./submission.ts";
import type { SubtensorHyperparameters } from "./types.ts";

/** One mechanism's weights to set or commit. */
export interface MechanismInput {
  netuid: number;
  mecid: number;
  hotkey: string;
  weights: WeightVector;
  versionKey: number;
  params: SubtensorHyperparameters;
  signer: KeyringPair;
  top: Head;
  /** The WeightCommits layout (commit-reveal on), else null. */
  layout: WeightCommitsLayout | null;
}

export function createSetWeights(ctx: AdapterContext) {
  const { reads } = ctx;
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
    const count = await reads.mechanismCount(netuid, top.hash);
    const chosen = mechanismsToSet(count, ctx.options.mechanisms);
    if (!chosen.ok) return ctx.refuseLoudly(call, "mechanisms", chosen.error, { netuid, count });
    let layout: WeightCommitsLayout | null = null;
    if (params.commitRevealEnabled) {
      const verdict = weightCommitsLayout(reads.weightCommitsMeta());
      if (!verdict.ok) {
        return ctx.refuseLoudly(call, "layout", `UnknownWeightCommitsLayout: ${verdict.reason}`, { netuid });
      }
      layout = verdict.layout;
    }
    // Every mechanism is tried even when one fails; the first failure is the answer.
    let failed: SetWeightsResult | null = null;
    let last: SetWeightsResult | null = null;
    for (const mecid of chosen.mechanisms) {
      const input = { netuid, mecid, hotkey, weights, versionKey, params, signer, top, layout };
      const result = await setMechanism(ctx, input);
      if (result.ok) last = result;
      else failed ??= mecid === 0 ? result : { ok: false, error: `mechanism ${mecid}: ${result.error}` };
    }
    return failed ?? last!;
  };
}

async function setMechanism(ctx: AdapterContext, input: MechanismInput): Promise<SetWeightsResult> {
  const { reads, log } = ctx;
  const { netuid, mecid, hotkey, weights, versionKey, params, signer, top } = input;
  const call = params.commitRevealEnabled ? "commit_weights" : "set_weights";
  const mechanism = mecid === 0 ? {} : { mechanism: mecid };
  const neuron = await reads.neuronState(netuid, hotkey, top.hash, mecid);
  if (!neuron) return ctx.refuse(call, "HotKeyNotRegisteredInSubNet");
  const lastUpdate = neuron.lastUpdate === 0 ? null : neuron.lastUpdate;
  if (!rateLimitPassed(lastUpdate, top.number, params.weightsRateLimit)) {
    const error = params.commitRevealEnabled ? "CommittingWeightsTooFast" : "SettingWeightsTooFast";
    log.info("weights not sent: rate limit", {
      netuid,
      ...mechanism,
      block: top.number,
      lastUpdate,
      limit: params.weightsRateLimit,
    });
    return ctx.refuse(call, error);
  }
  // An attempt that timed out may still have landed: the chain then moved our last update.
  const landed = async (): Promise<Submitted | null> => {
    const now = await reads.head();
    const state = await reads.neuronState(netuid, hotkey, now.hash, mecid);
    return state && state.lastUpdate > neuron.lastUpdate
      ? { ok: true, block: state.lastUpdate, blockHash: null }
      : null;
  };
  if (input.layout) return await commitWeights(ctx, input, input.layout, landed);
  const build = () => setWeightsTx(ctx.api, netuid, mecid, weights.uids, weights.weights, versionKey);
  const outcome = await ctx.submitter.submit(call, build, signer, landed);
  if (!outcome.ok) return ctx.refuse(call, outcome.error);
  ctx.outcomes.inc({ outcome: "set" });
  log.info("weights set on subtensor", {
    netuid,
    ...mechanism,
    block: outcome.block,
    uids: weights.uids.length,
    versionKey,
  });
  return { ok: true, block: outcome.block, mode: "set" };
}
