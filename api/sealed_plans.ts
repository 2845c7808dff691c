/**
 * The API's side of issue 18: every minute it makes sure the next SEALED_PLANS_AHEAD epochs are planned and
 * their plans sealed to the drand beacon (`shared/sealed_plan.ts`), so miners and validators hold them days
 * before they open. Planning ahead keeps the plans secret: they sit in KV like the next epoch's plan always
 * did, and every route still refuses an epoch that has not started.
 * @module
 */
import { epochAt, epochByIndex } from "../shared/epoch.ts";
import { sealPlan } from "../shared/sealed_plan.ts";
import type { SealedPlan } from "../shared/schemas/sealed_plan.ts";
import type { ApiDeps } from "./deps.ts";
import type { Planner } from "./planner.ts";
import { assignmentResponse } from "./responses.ts";
import { hasSealedPlan, purgeSealedPlans, putSealedPlan, sealedPlansFrom } from "./stores/sealed_plans.ts";

/** Publishes and lists sealed plans. */
export interface SealedPlanPublisher {
  /** Seals every missing plan of the next SEALED_PLANS_AHEAD epochs, in order; returns how many it added. */
  publishAhead(): Promise<number>;
  /** The published plans from the previous epoch on (its seed may still be opened), oldest first. */
  published(): Promise<SealedPlan[]>;
  /** Drops sealed plans of epochs that ended before `cutoffMs`. */
  purge(cutoffMs: number): Promise<number>;
}

/** Creates the publisher over the API's dependencies and planner. */
export function createSealedPlanPublisher(deps: ApiDeps, planner: Planner): SealedPlanPublisher {
  const { config, kv, clock, signer, log } = deps;
  const sealed = deps.metrics.counter("zipmine_api_sealed_plans_total", "Epoch plans sealed to drand ahead");
  const currentIndex = () => epochAt(clock.now(), planner.epochOptions).index;

  return {
    async publishAhead() {
      let added = 0;
      const first = currentIndex();
      // The running epoch too: after a long outage its plan may never have been sealed.
      for (let i = first; i <= first + config.SEALED_PLANS_AHEAD && config.SEALED_PLANS_AHEAD > 0; i++) {
        const epoch = epochByIndex(i, planner.epochOptions);
        if (await hasSealedPlan(kv, epoch.id)) continue;
        const plan = await planner.plan(epoch); // in order, so the cooldown sees every earlier plan
        const envelope = sealPlan(
          signer,
          { assignment: assignmentResponse(plan, "ACTIVE"), seed: plan.samplingSeed },
          config.DRAND_BEACON,
          deps.random,
        );
        if (await putSealedPlan(kv, envelope)) {
          added++;
          sealed.inc();
        }
      }
      if (added > 0) {
        log.info("sealed plans published", {
          added,
          through: epochByIndex(first + config.SEALED_PLANS_AHEAD, planner.epochOptions).id,
        });
      }
      return added;
    },
    async published() {
      const from = epochByIndex(currentIndex() - 1, planner.epochOptions);
      return await sealedPlansFrom(kv, from.id, config.SEALED_PLANS_AHEAD + 2);
    },
    async purge(cutoffMs) {
      return await purgeSealedPlans(kv, epochAt(cutoffMs, planner.epochOptions).id);
    },
  };
}
