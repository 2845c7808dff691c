/**
 * The miner's last assignment source (issue 18): the running epoch's plan, sealed by the API days ahead and
 * held in the miner's state folder, opened with the drand pulse of the epoch's start. It works with the API
 * and every validator unreachable; the opened assignment is the one the API signed.
 * @module
 */
import { epochAt } from "../shared/epoch.ts";
import { type HeldSealedPlansDeps, holdSealedPlans } from "../shared/adapters/sealed_plans/held.ts";
import { openHeldPlan } from "../shared/adapters/sealed_plans/sync.ts";
import type { AssignmentSource } from "./assignment_source.ts";

/** What the sealed-plan source needs. */
export interface SealedSourceDeps extends HeldSealedPlansDeps {
  /** Validators' copies (`sealedPlanCopies`), asked when the running epoch's plan is not held. */
  copies?: () => Promise<unknown[]>;
}

/** The sealed-plan source, and `sync` to refresh the held plans from the API while it is up. */
export function createSealedSource(deps: SealedSourceDeps): AssignmentSource & { sync(): Promise<void> } {
  const held = holdSealedPlans(deps);
  return {
    name: "sealed-plan",
    async current() {
      const epoch = epochAt(deps.clock.now().getTime(), deps.epochOptions);
      if (deps.copies && !(await held.store.get(epoch.id))) {
        const { added } = await held.store.save(await deps.copies(), await held.trust());
        deps.log.info("sealed plans copied from validators", { added });
      }
      const signed = await openHeldPlan(held.opener, epoch.id);
      deps.log.info("assignment opened from its sealed plan", { epochId: epoch.id });
      return signed.assignment;
    },
    sync: held.sync,
  };
}
